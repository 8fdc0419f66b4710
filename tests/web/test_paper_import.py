"""Committee-paper import: the seed's own appendix text gives exactly the seeded plan."""
from __future__ import annotations

import io

import pytest
from docx import Document

from tests.conftest import SHARED_SEEDS
from tests.web.papers import assert_same_as_seeded, import_into_empty_review, seeded_plan
from tracker.domain.refs import check_ref
from tracker.exports.plan_json import export_all
from tracker.imports.operations import apply_import, plan_file
from tracker.imports.paper_text import parse_carlisle_paper, parse_committee_paper

SOURCE = SHARED_SEEDS / "004_3f0832b40f0a09ed.txt"
needs_source = pytest.mark.skipif(not SOURCE.exists(), reason="shared/seeds is not beside the repository")


@needs_source
def test_seed_text_into_an_empty_review_gives_exactly_the_seeded_plan(app, empty_app):
    imported, [plan] = import_into_empty_review(empty_app, [(SOURCE.read_bytes(), "004.txt")])
    assert len(plan.preview.create) == 87 and plan.preview.missing == []
    assert_same_as_seeded(imported, seeded_plan(app))


@needs_source
def test_seed_text_into_a_new_review_infers_pattern_and_themes(empty_app):
    with empty_app.app_context():
        plan = plan_file(SOURCE.read_bytes(), "004.txt", "CX")
        assert plan.ok, plan.problems
        apply_import(plan)
        review = export_all(["CX"])["reviews"][0]
    assert review["review"]["ref_pattern"] == r"CC\-\d{2}\-{theme}\-\d{2}"
    assert [t["code"] for t in review["themes"]] == ["ENV", "OWN", "PERF", "COM", "ORG"]
    assert [s["code"] for s in review["themes"][4]["subthemes"]] == ["i", "ii", "iii", "iv", "v", "vi"]
    assert len(review["actions"]) == 87 and sum(len(a["measures"]) for a in review["actions"]) == 116
    assert review["recommendations"][14]["variations"][7]["status_text"] == "Still to start"


def _paper(body: str) -> str:
    return "APPENDIX B\n\nAction Plan - Master List\n\n" + body


@pytest.mark.parametrize("refs, pattern", [
    (["SC18", "SC19"], r"SC\d{2}"),
    (["R1", "R2"], r"R\d+"),
    (["1.1", "1.2"], r"\d+\.\d+"),
    (["22 CTAX 01", "22 NNDR 02"], r"\d+\ {theme}\ \d{2}"),
])
def test_other_ref_styles_parse(refs, pattern):
    body = "Revenues\n" + "".join(f"{ref}\nTitle {ref}\n1) Do a thing\n2) Another\n1) Complete\n2) To start\n\n"
                                  for ref in refs)
    paper = parse_committee_paper(_paper(body))
    assert [a.ref for a in paper.actions] == refs and paper.problems == []
    assert [(m.number, m.measured_output) for m in paper.actions[0].measures] == [(1, "Complete"), (2, "To start")]
    from tracker.imports.paper_text import infer_ref_pattern
    assert infer_ref_pattern(refs) == pattern


def test_problems_are_reported_with_line_numbers():
    body = ("Environment\nCC-01-ENV-01\nOne\n1) a\n2) b\n1) Complete\n\n"
            "CC-02-ENV-02\nTwo\n1) a\n1) Done\n2) Extra\n\n"
            "CC-1-ENV-03\nBad\n1) a\n1) Done\n\n"
            "CC-01-ENV-01\nAgain\n1) a\n1) Done\n")
    paper = parse_committee_paper(_paper(body), r"CC-\d{2}-{theme}-\d{2}")
    messages = {(p.line, p.message.split(";")[0]) for p in paper.problems}
    # Line numbers count from the top of the paper (four lines of heading come first).
    assert messages == {
        (9, "CC-01-ENV-01: measure 2 has no measured output"),
        (12, "CC-02-ENV-02: output 2 has no measure 2"),
        (18, "'CC-1-ENV-03' looks like a ref id but does not follow the review's pattern 'CC-\\d{2}-{theme}-\\d{2}'"),
        (23, "CC-01-ENV-01 appears twice (first at line 6)")}


def test_docx_paper_is_read_like_the_text(empty_app):
    document = Document()
    document.add_paragraph("APPENDIX B")
    document.add_paragraph("Environment")
    table = document.add_table(rows=1, cols=3)
    cells = table.rows[0].cells
    cells[0].text = "CC-01-ENV-01"
    cells[1].paragraphs[0].text = "External Location Directors"
    cells[1].add_paragraph("1) Road signs")
    cells[1].add_paragraph("2) Finger posts")
    cells[2].paragraphs[0].text = "1) One new road sign has been installed."
    cells[2].add_paragraph("2) To start")
    out = io.BytesIO()
    document.save(out)
    with empty_app.app_context():
        plan = plan_file(out.getvalue(), "paper.docx", "DX")
        assert plan.ok, plan.problems
        action = plan.conversion.data["actions"][0]
    assert action["ref"] == "CC-01-ENV-01" and action["title"] == "External Location Directors"
    assert [(m["number"], m["text"], m["measured_output"]) for m in action["measures"]] == [
        (1, "Road signs", "One new road sign has been installed."), (2, "Finger posts", "To start")]


def test_pasted_text_through_the_import_pages(app, client_for):
    manager = client_for("manager")
    body = _paper("Environment\nCC-88-ENV-88\nNew signage\n1) Replace the board\n1) To start\n")
    response = manager.post("/imports", token_from="/imports", data={"review": "CC", "pasted": body})
    assert response.status_code == 303
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 action to create" in page and "87 not in the file" in page


def test_a_missing_title_is_reported_not_taken_from_the_first_measure():
    paper = parse_committee_paper(_paper("Environment\nCC-01-ENV-01\n1) a\n1) Done\n"), r"CC-\d{2}-{theme}-\d{2}")
    assert [(p.line, p.message) for p in paper.problems] == [
        (6, "CC-01-ENV-01: no title on the line after the ref id; add one")]
    assert paper.actions[0].measures[0].text == "a"


OTHER_COUNCIL = """Revenues and Benefits Improvement Plan – progress report

APPENDIX A
1. The council should answer most calls at the first point of contact.
Progress: Complete.
2)
Extend opening hours:
(i) Thursday evenings
(ii) Saturday mornings
Status: i) Complete ii) Still to start

APPENDIX B
Council Tax
22 CTAX 01 - Reduce the time to process a change of address
1. Introduce an online change of address form
2. Review the back office process
1. Form live since April
2. To start
22 CTAX 02: Improve the collection rate
(1) Send reminders by text message
(1) 1.5 million reminders sent
Benefits
22 HB 01 Speed up new claims
1) Use risk-based verification 2) Publish processing times
1) Complete 2) Outcome of CCC Project
"""


def test_another_councils_paper_numbered_its_own_way_imports(empty_app):
    """Titles beside their ref ids, lists numbered "1." or "(1)", "Progress:" for the status."""
    paper = parse_committee_paper(OTHER_COUNCIL)
    assert paper.problems == []
    assert [(r.number, r.text, r.status_text) for r in paper.recommendations] == [
        (1, "The council should answer most calls at the first point of contact.", "Complete."),
        (2, "Extend opening hours:", "i) Complete ii) Still to start")]
    assert [(v.label, v.text, v.status_text) for v in paper.recommendations[1].variations] == [
        ("i", "Thursday evenings", "Complete"), ("ii", "Saturday mornings", "Still to start")]
    with empty_app.app_context():
        plan = plan_file(OTHER_COUNCIL.encode(), "rb.txt", "RB")
        assert plan.ok, plan.problems
        apply_import(plan)
        review = export_all(["RB"])["reviews"][0]
    pattern = review["review"]["ref_pattern"]
    assert check_ref("23 CTAX 05", pattern, "CTAX").ok and not check_ref("22-CTAX-01", pattern).ok
    assert [(t["code"], t["name"]) for t in review["themes"]] == [("CTAX", "Council Tax"), ("HB", "Benefits")]
    assert [(a["ref"], a["title"], [(m["number"], m["text"], m["measured_output"], m["status"])
                                    for m in a["measures"]]) for a in review["actions"]] == [
        ("22 CTAX 01", "Reduce the time to process a change of address",
         [(1, "Introduce an online change of address form", "Form live since April", "not_started"),
          (2, "Review the back office process", "To start", "not_started")]),
        ("22 CTAX 02", "Improve the collection rate",
         [(1, "Send reminders by text message", "1.5 million reminders sent", "not_started")]),
        ("22 HB 01", "Speed up new claims",
         [(1, "Use risk-based verification", "Complete", "complete"),
          (2, "Publish processing times", "Outcome of CCC Project", "dependent")]),
    ]


def test_a_text_with_no_plan_in_it_says_which_shapes_are_read(app):
    with app.app_context():
        plan = plan_file(b"Minutes of the meeting\nApologies were received.\nThe minutes were agreed.\n",
                         "minutes.txt", "MN")
    message = str(plan.problems[-1])
    assert not plan.ok and message.startswith("No actions were found. The text can be a numbered plan")
    assert "1.1 Improve the website" in message and "Ref | Action | Progress" in message
    assert "CC-01-ENV-01" in message and "no numbered measures" not in message


def test_recommendation_headings_end_the_commentary_before_them():
    paper = parse_carlisle_paper("APPENDIX A\nRecommendation 1\nThat a unit be created.\nStatus: Complete.\n"
                                  "Recommendation 2\n2) That it be promoted.\nStatus: To start\n")
    assert [(r.number, r.text, r.status_text) for r in paper.recommendations] == [
        (1, "That a unit be created.", "Complete."), (2, "That it be promoted.", "To start")]


def test_an_appendix_a_alone_updates_a_review_or_is_a_plain_plan_for_a_new_one():
    text = "APPENDIX A\nRecommendation 1\nThat a unit be created.\nStatus: Complete.\n"
    kept = parse_committee_paper(text, r"CC-\d{2}-{theme}-\d{2}")
    assert [(r.number, r.status_text) for r in kept.recommendations] == [(1, "Complete.")] and kept.actions == []
    new = parse_committee_paper(text)
    assert [(a.ref, a.title, a.progress, a.recommendation) for a in new.actions] == [
        ("R1", "That a unit be created.", "Complete.", 1)]
