"""Reading plain numbered plans and pasted tables (no app): which layout a text is in, and what it holds."""
from __future__ import annotations

from tracker.imports.numbered_plan import split_fields, target_date
from tracker.imports.paper_text import layout_of, parse_committee_paper

BRIEF = """1. Customer access
1.1 Improve the website so that the top 20 services can be done online. Progress: pilot live.
1.2 Publish service standards
2. Housing
2.1 Review the allocations policy – Owner: Head of Housing – Target: March 2027
"""


def rows(text: str, pattern: str | None = None):
    paper = parse_committee_paper(text, pattern)
    assert layout_of(paper) == "numbered", layout_of(paper)
    return paper, [(a.ref, a.title, a.theme_heading, a.progress) for a in paper.actions]


def test_sections_become_themes_and_items_hold_their_own_progress():
    paper, read = rows(BRIEF)
    assert paper.problems == []
    assert read == [
        ("1.1", "Improve the website so that the top 20 services can be done online.", "Customer access",
         "pilot live."),
        ("1.2", "Publish service standards", "Customer access", ""),
        ("2.1", "Review the allocations policy", "Housing", ""),
    ]
    housing = paper.actions[2]
    assert (housing.owner, housing.target_text, housing.target_date) == ("Head of Housing", "March 2027", "2027-03-31")
    assert all(a.measures == [] for a in paper.actions)


def test_recommendations_numbered_by_name_are_recommendations_and_their_actions():
    paper, read = rows("Customer Services Improvement Plan 2026\n\n"
                       "Recommendation 1: The council should answer most calls at the first point of contact.\n"
                       "Progress: Complete.\n"
                       "Recommendation 2: Extend opening hours on Thursday evenings\n"
                       "  Update: consultation closes in May.\n"
                       "Recommendation 3: Publish a customer charter\n")
    # The title above, after a blank line, is the document's, not a section.
    assert read == [
        ("R1", "The council should answer most calls at the first point of contact.", None, "Complete."),
        ("R2", "Extend opening hours on Thursday evenings", None, "consultation closes in May."),
        ("R3", "Publish a customer charter", None, ""),
    ]
    assert [a.recommendation for a in paper.actions] == [1, 2, 3]


def test_lettered_items_under_capital_headings_take_the_sections_number():
    paper, read = rows("CUSTOMER ACCESS\n"
                       "a) Improve the website\n"
                       "   Pilot live in March; 12 services online.\n"
                       "b) Publish service standards (Owner: Head of Customer Services)\n"
                       "HOUSING\n"
                       "a) Review the allocations policy\n"
                       "   - consultation done\n"
                       "   - new policy to Executive in June\n")
    assert read == [
        ("1a", "Improve the website", "CUSTOMER ACCESS", "Pilot live in March; 12 services online."),
        ("1b", "Publish service standards", "CUSTOMER ACCESS", ""),
        ("2a", "Review the allocations policy", "HOUSING", "- consultation done\n- new policy to Executive in June"),
    ]
    assert paper.actions[1].owner == "Head of Customer Services"


def test_roman_numerals_under_numbered_sections():
    _, read = rows("1. Customer access\n(i) Improve the website\n(ii) Publish service standards\n"
                   "2. Housing\n(i) Review the allocations policy\n")
    assert [(ref, theme) for ref, _, theme, _ in read] == [
        ("1.i", "Customer access"), ("1.ii", "Customer access"), ("2.i", "Housing")]


def test_lists_numbered_afresh_in_each_section_are_told_apart():
    _, read = rows("Housing improvement plan\n\n"
                   "Access to services\n"
                   "1. Improve the website so that the top 20 services can be\n"
                   "   done online.\n"
                   "2. Publish service standards. Progress: drafted, to Executive in May\n"
                   "Tenancy\n"
                   "1. Review the allocations policy\n"
                   "   Not started: waits on the new IT system.\n")
    assert read == [
        ("1.1", "Improve the website so that the top 20 services can be done online.", "Access to services", ""),
        ("1.2", "Publish service standards.", "Access to services", "drafted, to Executive in May"),
        ("2.1", "Review the allocations policy", "Tenancy", "Not started: waits on the new IT system."),
    ]


def test_ref_ids_field_lines_and_a_status_beside_the_progress():
    paper, read = rows("R1 Opening hours\nStatus: Complete\n"
                       "R2 Call handling standards – Lead officer: Jane Smith – Due: 31/12/2026\n"
                       "Progress: draft written; Status: On track\n"
                       "R3 Customer charter\n")
    assert read == [("R1", "Opening hours", None, "Complete"), ("R2", "Call handling standards", None, "draft written"),
                    ("R3", "Customer charter", None, "")]
    r2 = paper.actions[1]
    assert (r2.status, r2.owner, r2.target_date) == ("in_progress", "Jane Smith", "2026-12-31")
    assert paper.actions[0].status is None  # "Complete" alone is the progress text; the rules read it


def test_bulleted_plan_without_sections():
    _, read = rows("• Improve the website\n• Publish service standards – Status: Complete\n• Review allocations\n")
    assert read == [("1", "Improve the website", None, ""), ("2", "Publish service standards", None, "Complete"),
                    ("3", "Review allocations", None, "")]


def test_three_levels_give_themes_subthemes_and_items():
    paper, read = rows("1. Customer access\n1.1 Digital\n1.1.1 Improve the website\n1.1.2 Online payments\n"
                       "1.2 Face to face\n1.2.1 Reception refurbishment. Progress: Complete\n"
                       "2. Housing\n2.1 Allocations\n2.1.1 Review the policy\n")
    assert [(a.ref, a.theme_heading, a.subtheme_heading) for a in paper.actions] == [
        ("1.1.1", "Customer access", "1.1) Digital"), ("1.1.2", "Customer access", "1.1) Digital"),
        ("1.2.1", "Customer access", "1.2) Face to face"), ("2.1.1", "Housing", "2.1) Allocations")]


def test_named_actions_fields_on_their_own_lines_and_a_heading_before_lettered_items():
    paper, read = rows("Theme 1: Customer access\n"
                       "Action 1.1: Improve the website\n"
                       "    Owner: Head of Digital\n"
                       "    Target date: 30 June 2026\n"
                       "    12/05/2026 – pilot launched with 5 services\n"
                       "Action 1.2: Publish standards\n"
                       "Customer care:\n"
                       "(a) Train all staff\n"
                       "(b) Mystery shopping\n")
    # "Action 1.2" is followed by lettered items, but a section starts before them: it is an item.
    assert read == [("1.1", "Improve the website", "Customer access", "12/05/2026 – pilot launched with 5 services"),
                    ("1.2", "Publish standards", "Customer access", ""),
                    ("2a", "Train all staff", "Customer care", ""), ("2b", "Mystery shopping", "Customer care", "")]
    assert (paper.actions[0].owner, paper.actions[0].target_date) == ("Head of Digital", "2026-06-30")


def test_a_word_numbered_list_copied_with_tabs_is_a_plan_not_a_table():
    _, read = rows("1.\tCustomer access\n1.1\tImprove the website\n1.2\tPublish standards\n")
    assert [(ref, title, theme) for ref, title, theme, _ in read] == [
        ("1.1", "Improve the website", "Customer access"), ("1.2", "Publish standards", "Customer access")]


def test_a_reports_numbered_paragraphs_before_its_appendix_are_not_actions():
    _, read = rows("BACKGROUND\n1. The Executive approved the review a year ago.\n2. Since then we have consulted.\n"
                   "APPENDIX A\nAction plan\n1.1 Improve the website\n1.2 Publish standards\n")
    assert [ref for ref, *_ in read] == ["1.1", "1.2"]


def test_a_ref_id_with_its_title_below_and_progress_but_no_measures_is_a_plain_plan():
    # The Carlisle reader's own shape of ref ids, with progress instead of numbered measures.
    paper, read = rows("Environment\nCC-01-ENV-01\nExternal location directors\nProgress: Complete\n"
                       "CC-02-ENV-02\nCivic Centre signage\n")
    assert read == [("CC-01-ENV-01", "External location directors", "Environment", "Complete"),
                    ("CC-02-ENV-02", "Civic Centre signage", "Environment", "")]


def test_repeated_and_untitled_items_are_problems_with_their_lines():
    paper = parse_committee_paper("Housing\n1.1 Review allocations\n1.2\n\n1.1 Review allocations again\n")
    assert [(p.line, p.message) for p in paper.problems] == [
        (3, "1.2: no title; write the item's words after its number"),
        (5, "1.1 appears twice (first at line 2); number each item once")]


def test_the_carlisle_layout_is_still_read_as_before():
    text = ("APPENDIX B\nEnvironment\nCC-01-ENV-01\nExternal Location Directors\n1) Road signs\n2) Finger posts\n"
            "1) One new road sign has been installed.\n2) To start\n")
    paper = parse_committee_paper(text)
    assert layout_of(paper) == "carlisle" and paper.problems == []
    assert [(m.number, m.text, m.measured_output) for m in paper.actions[0].measures] == [
        (1, "Road signs", "One new road sign has been installed."), (2, "Finger posts", "To start")]
    assert paper.actions[0].progress is None


def test_fields_split_only_at_a_separator_or_a_capital():
    assert split_fields("Monitor progress: monthly reports") == ("Monitor progress: monthly reports", [])
    assert split_fields("Review the policy (Owner: Head of Housing) – target: June 2026") == (
        "Review the policy", [("owner", "Head of Housing"), ("target", "June 2026")])


def test_targets_are_read_as_dates_a_period_as_its_last_day():
    assert target_date("31/3/2027") == "2027-03-31"
    assert target_date("February 2028") == "2028-02-29"
    # The one reader of tracker dates (tracker/domain/dates.py read_period_end), as sheets use it.
    assert target_date("Summer 2027") == "2027-08-31" and target_date("Q3 2026/27") == "2026-12-31"
    assert target_date("95% of calls answered") is None and target_date("TBC") is None


# -- tables pasted as text -----------------------------------------------------------------------

def table(text: str):
    paper = parse_committee_paper(text)
    assert layout_of(paper) == "table", layout_of(paper)
    return [(a.line, a.cells) for a in paper.actions]


def test_a_table_copied_from_excel_with_tabs_and_a_quoted_cell():
    read = table("Housing action plan\nRef\tAction\tDetail\tProgress\n"
                 "1.1\tImprove the website\tTop 20 services online\tPilot live\n"
                 "1.2\tPublish standards\t\"Draft the standards\nConsult\"\tComplete\n")
    assert read == [
        (3, {"Ref": "1.1", "Action": "Improve the website", "Detail": "Top 20 services online",
             "Progress": "Pilot live"}),
        (4, {"Ref": "1.2", "Action": "Publish standards", "Detail": "Draft the standards\nConsult",
             "Progress": "Complete"})]


def test_a_word_table_whose_cells_hold_two_paragraphs():
    # Word copies a paragraph break inside a cell as a line break, outside any quotes.
    read = table("Ref\tAction\tProgress\nR1\tImprove the\nwebsite\tPilot live\nmore progress, and more.\n"
                 "Housing\nR2\tStandards\tComplete\n")
    assert read == [(2, {"Ref": "R1", "Action": "Improve the\nwebsite",
                         "Progress": "Pilot live\nmore progress, and more."}),
                    (5, {"Ref": "Housing", "Action": "", "Progress": ""}),
                    (6, {"Ref": "R2", "Action": "Standards", "Progress": "Complete"})]


def test_a_table_typed_with_bars_wrapped_cells_and_section_rows():
    read = table("Our plan\n| Ref | Action | Progress |\n|-----|--------|----------|\n| Customer access | | |\n"
                 "| R1  | Improve the website | Pilot live |\n|     | (phase 1)           | in March   |\n"
                 "| R2  | Publish standards | Complete |\n\nSigned: J Smith\n")
    assert read == [
        (4, {"Ref": "Customer access", "Action": "", "Progress": ""}),
        (5, {"Ref": "R1", "Action": "Improve the website (phase 1)", "Progress": "Pilot live in March"}),
        (7, {"Ref": "R2", "Action": "Publish standards", "Progress": "Complete"})]


def test_a_table_aligned_with_spaces():
    read = table("Ref    Action                      Progress\n"
                 "R1     Improve the website         Pilot live\n"
                 "                                   in March\n"
                 "R2     Publish standards           Complete\n"
                 "Housing\n"
                 "R3     Review allocations          To start\n\nReport ends.\n")
    assert read == [
        (2, {"Ref": "R1", "Action": "Improve the website", "Progress": "Pilot live in March"}),
        (4, {"Ref": "R2", "Action": "Publish standards", "Progress": "Complete"}),
        (5, {"Ref": "Housing", "Action": "", "Progress": ""}),
        (6, {"Ref": "R3", "Action": "Review allocations", "Progress": "To start"})]


def test_a_plan_typed_with_two_spaces_after_its_numbers_is_not_a_table():
    paper = parse_committee_paper("Customer access  (lead: Jane Smith)\n1.1  Improve the website\n"
                                  "1.2  Publish standards\nHousing  (lead: Tom Jones)\n2.1  Review allocations\n")
    assert layout_of(paper) == "numbered"
    assert [(a.ref, a.title) for a in paper.actions] == [
        ("1.1", "Improve the website"), ("1.2", "Publish standards"), ("2.1", "Review allocations")]


def test_prose_with_double_spaces_is_not_a_table():
    paper = parse_committee_paper("Contact Officer:  John Nutley\nThe council should do more.  Really it should.\n")
    assert paper.actions == [] and layout_of(paper) == "carlisle"
