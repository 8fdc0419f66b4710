"""Trackers in the layouts councils publish them in, read through the page and the command line.

Each layout is adapted from published committee papers: scrutiny recommendation trackers (a
reference carrying the municipal year, "Action taken", "Lead Officer/EM"), a peer-challenge action
plan (the ref id opening the recommendation's cell, "Timescale" written as a month or "Ongoing"),
internal-audit follow-up tables (agreed management action, original and revised target dates,
"% complete"), a manifesto tracker whose headings sit in two rows (a grouped heading over
sub-headings, one update column per reporting date), a Best Value improvement plan printed to PDF
(quarters of the financial year as timescales, RAG letters), a select-committee response with an
"Agreed?" column, a school-improvement style plan with refs 1a, 1b under merged area rows, and a
table pasted as text. Text is the product's own, never a council's.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from tests.files import csv_bytes, docx, pasted, pdf, xlsx
from tracker.extensions import db
from tracker.imports.operations import plan_file
from tracker.models import Action, Recommendation, Review

# --- the layouts --------------------------------------------------------------------------------

# A scrutiny recommendation tracker: the reference carries the municipal year, "Date" is the date of
# the committee (not a target), "Area" is the theme, "Action taken" is the progress.
SCRUTINY = [
    ["Scrutiny Recommendation Tracker"],
    ["Reference", "Origin", "Date", "Area", "Recommendation", "Exec Date", "Lead Officer/EM", "Action taken",
     "Status"],
    ["SR (25/26) 01", "CRP", "01/01/26", "Finance", "That the budget consultation opens in September",
     "01/02/26", "D. Marsh", "Consultation opened on 1 September; 400 responses so far", "Complete"],
    ["SR (25/26) 02", "CRP", "01/01/26", "Finance", "That fees and charges are benchmarked every year",
     "01/02/26", "P. Lowe", "Benchmarking group set up with neighbouring councils", "Ongoing"],
    ["SR (25/26) 03", "PPL", "01/02/26", "Adult social care", "That carers are offered an assessment within 28 days",
     "01/03/26", "S. Shah", "Paused while the assessment team is recruited", "Paused"],
]
SCRUTINY_PLAN = [
    ("SR (25/26) 01", "That the budget consultation opens in September", "Finance",
     "Consultation opened on 1 September; 400 responses so far", "complete", "D. Marsh", None),
    ("SR (25/26) 02", "That fees and charges are benchmarked every year", "Finance",
     "Benchmarking group set up with neighbouring councils", "ongoing", "P. Lowe", None),
    ("SR (25/26) 03", "That carers are offered an assessment within 28 days", "Adult social care",
     "Paused while the assessment team is recruited", "on_hold", "S. Shah", None),
]

# An internal audit follow-up table: the agreed management action is the item (not the finding),
# a revised target date replaces the original, "% complete" is the status, "Date completed" is
# not a target.
AUDIT = [
    ["Audit", "Ref", "Priority", "Finding", "Agreed management action", "Responsible officer",
     "Original target date", "Revised target date", "% complete", "Update", "Date completed"],
    ["Payroll 2025/26", "AP-12", "High", "Starters are set up without a signed contract",
     "Check a signed contract before any starter is paid", "Payroll manager", "30/09/25", "31/03/26", "75%",
     "Checklist in use; two services still to adopt it", ""],
    ["Payroll 2025/26", "AP-13", "Medium", "Overtime claims are not always authorised",
     "Authorise every overtime claim in the HR system", "Payroll manager", "31/12/25", "", "100%",
     "Approval step live in the HR system", "15/12/25"],
    ["Procurement 2025/26", "AP-14", "High", "Waivers are not reported to committee",
     "Report every waiver to Audit Committee each quarter", "Head of Procurement", "31/03/26", "", "0%", "", ""],
]
AUDIT_PLAN = [
    ("AP-12", "Check a signed contract before any starter is paid", "General",
     "Checklist in use; two services still to adopt it", "in_progress", "Payroll manager", "2026-03-31"),
    ("AP-13", "Authorise every overtime claim in the HR system", "General", "Approval step live in the HR system",
     "complete", "Payroll manager", "2025-12-31"),
    ("AP-14", "Report every waiver to Audit Committee each quarter", "General", "", "not_started",
     "Head of Procurement", "2026-03-31"),
]

# A manifesto tracker whose headings sit in two rows: a grouped heading over sub-headings, one update
# column per reporting date (the latest is the progress), quarters and seasons as target dates.
MANIFESTO = [
    ["Manifesto commitments: progress report"],
    ["Commitment", "", "Lead member", "Delivery", "", "Progress", ""],
    ["No.", "Commitment", "", "Target", "RAG", "Update September 2025", "Update March 2026"],
    ["1. A greener borough"],
    ["1.01", "Plant 5,000 street trees", "Cllr Green", "Q4 2026/27", "Green", "1,200 planted",
     "2,900 planted; winter planting under way"],
    ["1.02", "Open two new recycling centres", "Cllr Green", "Summer 2027", "Amber", "Sites identified",
     "Planning application for the first site submitted"],
    ["2. Safer streets"],
    ["2.01", "Light every underpass", "Cllr Stone", "2025/26", "Blue", "Six of ten underpasses lit",
     "All ten underpasses lit"],
]
MANIFESTO_MERGES = ["A1:G1", "A2:B2", "C2:C3", "D2:E2", "F2:G2", "A4:G4", "A7:G7"]
MANIFESTO_PLAN = [
    ("1.01", "Plant 5,000 street trees", "A greener borough", "2,900 planted; winter planting under way",
     "in_progress", "Cllr Green", "2027-03-31"),
    ("1.02", "Open two new recycling centres", "A greener borough",
     "Planning application for the first site submitted", "in_progress", "Cllr Green", "2027-08-31"),
    ("2.01", "Light every underpass", "Safer streets", "All ten underpasses lit", "complete", "Cllr Stone",
     "2026-03-31"),
]

# A Best Value improvement plan printed to PDF: a workstream column for the theme, RAG letters,
# timescales as quarters of the financial year and months.
BEST_VALUE = [
    ["Ref", "Workstream", "Action", "Lead officer", "Timescale", "RAG", "Progress to date"],
    ["BV-01", "Governance", "Refresh the constitution and scheme of delegation", "Monitoring Officer", "Q2 2025/26",
     "G", "Draft constitution to Council in October"],
    ["BV-02", "Governance", "Train every councillor on the code of conduct", "Monitoring Officer", "March 2026",
     "A", "62% of councillors trained"],
    ["BV-03", "Finance", "Set a balanced medium-term financial strategy", "Section 151 Officer", "Q4 2025/26",
     "R", "Gap of £4m remains for 2026/27"],
    ["BV-04", "Finance", "Close the 2023/24 accounts", "Section 151 Officer", "31/12/25", "B",
     "Accounts signed by the auditor"],
]
BEST_VALUE_PLAN = [
    ("BV-01", "Refresh the constitution and scheme of delegation", "Governance",
     "Draft constitution to Council in October", "in_progress", "Monitoring Officer", "2025-09-30"),
    ("BV-02", "Train every councillor on the code of conduct", "Governance", "62% of councillors trained",
     "in_progress", "Monitoring Officer", "2026-03-31"),
    ("BV-03", "Set a balanced medium-term financial strategy", "Finance", "Gap of £4m remains for 2026/27",
     "in_progress", "Section 151 Officer", "2026-03-31"),
    ("BV-04", "Close the 2023/24 accounts", "Finance", "Accounts signed by the auditor", "complete",
     "Section 151 Officer", "2025-12-31"),
]

# A select committee's recommendations and the Cabinet's response, with an update column named by
# its month: "Agreed?" is the response to the recommendation, not its progress.
SELECT_COMMITTEE = [
    ["Rec No", "Recommendation", "Agreed?", "Cabinet response", "Lead officer", "Timescale",
     "Progress update (January 2026)"],
    ["Rec 1", "Publish the waiting times for housing adaptations", "Yes",
     "Waiting times will be published each quarter", "Head of Housing", "June 2026",
     "First figures published in December"],
    ["Rec 2", "Offer a named contact to every family waiting for an adaptation", "Partly",
     "A named team, not a person, will be offered", "Head of Housing", "TBC", "Team inbox set up"],
    ["Rec 3", "Cap the charge for minor adaptations at £50", "No", "Charges are set by the annual budget", "",
     "", ""],
]
SELECT_COMMITTEE_PLAN = [
    # No status column: the progress words are kept, the status is Not started until someone checks it.
    ("Rec 1", "Publish the waiting times for housing adaptations", "General", "First figures published in December",
     "not_started", "Head of Housing", "2026-06-30"),
    ("Rec 2", "Offer a named contact to every family waiting for an adaptation", "General", "Team inbox set up",
     "not_started", "Head of Housing", None),
    ("Rec 3", "Cap the charge for minor adaptations at £50", "General", "", "not_started", None, None),
]
SELECT_COMMITTEE_RESPONSES = [(1, "accepted"), (2, "partly_accepted"), (3, "rejected")]

# An improvement plan in Word: areas for improvement merged across the table, refs 1a, 1b, and an
# "Evidence of impact" column beside the status.
AREAS = [
    ["Ref", "Action", "Lead", "By when", "Status", "Evidence of impact"],
    ["Area for improvement 1: Early help"],
    ["1a", "Agree one front door for early help referrals", "Head of Early Help", "31/03/27", "On track",
     "Referrals answered within a day"],
    ["1b", "Train partners in the new referral form", "Head of Early Help", "Autumn 2026", "Not yet started", ""],
    ["Area for improvement 2: Care leavers"],
    ["2a", "Offer every care leaver a personal adviser", "Head of Care Leavers", "Ongoing", "Completed",
     "All care leavers allocated"],
]
AREAS_PLAN = [
    ("1a", "Agree one front door for early help referrals", "Early help", "", "in_progress", "Head of Early Help",
     "2027-03-31"),
    ("1b", "Train partners in the new referral form", "Early help", "", "not_started", "Head of Early Help",
     "2026-11-30"),
    ("2a", "Offer every care leaver a personal adviser", "Care leavers", "", "complete", "Head of Care Leavers",
     None),
]

# A tracker copied out of a committee report and pasted as text.
PASTED = [
    ["Ref", "Action", "Owner", "Due", "Update", "Status"],
    ["SC/18/04", "Review the street cleansing rota", "Streetscene manager", "31 March 2027",
     "New rota drafted with the crews", "In progress"],
    ["SC/18/05", "Publish cleansing standards for each ward", "Streetscene manager", "Dec-26",
     "Standards published on the website", "Complete"],
]
PASTED_PLAN = [
    ("SC/18/04", "Review the street cleansing rota", "General", "New rota drafted with the crews", "in_progress",
     "Streetscene manager", "2027-03-31"),
    ("SC/18/05", "Publish cleansing standards for each ward", "General", "Standards published on the website",
     "complete", "Streetscene manager", "2026-12-31"),
]


@dataclass
class Layout:
    build: object
    filename: str
    plan: list
    notes: tuple = ()
    status_map: dict = field(default_factory=dict)


LAYOUTS = {
    "scrutiny tracker (xlsx, title above, year in the reference)": Layout(
        lambda: xlsx(SCRUTINY), "scrutiny-tracker.xlsx", SCRUTINY_PLAN),
    "internal audit follow-up (csv, revised dates, % complete)": Layout(
        lambda: csv_bytes(AUDIT), "audit-follow-up.csv", AUDIT_PLAN,
        notes=("'Revised target date' is read as the target date; where it is blank, 'Original target date' "
               "stands.",)),
    "manifesto tracker (xlsx, two heading rows, dated updates)": Layout(
        lambda: xlsx(MANIFESTO, MANIFESTO_MERGES), "manifesto.xlsx", MANIFESTO_PLAN,
        notes=("'Update March 2026' is the latest, so it is read as the progress",
               "Q4 2026/27 is read as 31 March 2027", "The new review's themes: A greener borough, Safer streets.")),
    "best value plan (pdf, quarters, RAG letters)": Layout(
        lambda: pdf(BEST_VALUE, before=["Best Value Improvement Plan: progress to 30 September 2025"]),
        "best-value.pdf", BEST_VALUE_PLAN),
    "select committee response (docx, Agreed?)": Layout(
        lambda: docx(SELECT_COMMITTEE, before=["Appendix A: response to the select committee"]),
        "select-committee.docx", SELECT_COMMITTEE_PLAN,
        notes=("The column 'Agreed?' says whether each recommendation was accepted",)),
    "improvement plan (docx, merged area rows, refs 1a)": Layout(
        lambda: docx(AREAS, before=["Improvement plan"]), "improvement-plan.docx", AREAS_PLAN),
    "pasted tracker (text, refs with slashes)": Layout(
        lambda: pasted(PASTED), "pasted.txt", PASTED_PLAN),
}


# --- importing them ------------------------------------------------------------------------------

def actions_in_db(app, code: str) -> list[tuple]:
    """(ref, title, theme, progress, status, owner, target date) of each action, in order."""
    with app.app_context():
        actions = db.session.scalars(select(Action).join(Review).where(Review.code == code)
                                     .order_by(Action.position)).all()
        rows = []
        for action in actions:
            assert [m.number for m in action.measures] == [0], action.ref  # progress held on the action
            own = action.measures[0]
            rows.append((action.ref, action.title, action.theme.name, own.measured_output, own.status,
                         action.owner.name if action.owner else None,
                         action.target_date.isoformat() if action.target_date else None))
        return rows


def through_the_page(client_for, layout: Layout, code: str) -> str:
    manager = client_for("manager")
    response = manager.post("/imports", token_from="/imports", data={
        "review": code, "file": (io.BytesIO(layout.build()), layout.filename)}, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)
    url = response.headers["Location"]
    token = manager.token(url)
    form = {f"status-{word}": category for word, category in layout.status_map.items()}
    checked = manager.post(url, data={**form, "action": "check", "csrf_token": token})
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200, page
    if 'name="new_review" value="1"' in page:
        form["new_review"] = "1"
    done = manager.post(url, data={**form, "action": "confirm", "csrf_token": token})
    assert done.status_code == 303, done.get_data(as_text=True)
    return page.replace("&#39;", "'")


def through_the_command(app, tmp_path, layout: Layout, code: str) -> str:
    path = tmp_path / layout.filename
    path.write_bytes(layout.build())
    args = ["import", str(path), "--review", code]
    args += [a for k, v in layout.status_map.items() for a in ("--status-map", f"{k}={v}")]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("door", ["page", "command"])
@pytest.mark.parametrize("name", LAYOUTS)
def test_each_published_layout_imports_to_the_plan_it_describes(app, client_for, tmp_path, name, door):
    layout = LAYOUTS[name]
    said = (through_the_page(client_for, layout, "RT") if door == "page"
            else through_the_command(app, tmp_path, layout, "RT"))
    assert actions_in_db(app, "RT") == layout.plan
    for note in layout.notes:
        assert note in said, (note, said)


def test_the_agreed_column_is_each_recommendations_response(app, tmp_path):
    through_the_command(app, tmp_path, LAYOUTS["select committee response (docx, Agreed?)"], "RT")
    with app.app_context():
        recs = db.session.execute(select(Recommendation.number, Recommendation.response).join(Review)
                                  .where(Review.code == "RT").order_by(Recommendation.number)).all()
        delivered = {a.ref: [r.number for r in a.recommendations] for a in db.session.scalars(
            select(Action).join(Review).where(Review.code == "RT"))}
    assert [tuple(r) for r in recs] == SELECT_COMMITTEE_RESPONSES
    assert delivered == {"Rec 1": [1], "Rec 2": [2], "Rec 3": [3]}


def test_a_heading_row_merged_across_the_table_is_not_offered_as_a_status_word(app):
    with app.app_context():
        plan = plan_file(xlsx(MANIFESTO, MANIFESTO_MERGES), "manifesto.xlsx", "RT")
    assert plan.ok, plan.problems
    assert [w.written for w in plan.status_words.rows] == ["Green", "Amber", "Blue"]


def test_a_target_that_is_no_date_or_period_is_refused_by_its_row(app):
    rows = [r[:] for r in BEST_VALUE]
    rows[2][4] = "when funding allows"
    with app.app_context():
        plan = plan_file(csv_bytes(rows), "best-value.csv", "RT")
    assert [str(p) for p in plan.problems] == [
        "row 3: 'when funding allows' is not a date; write it as YYYY-MM-DD or DD/MM/YYYY"]


# --- a second edition -----------------------------------------------------------------------------

def second_edition() -> list[list[str]]:
    """The Best Value plan six months on: new progress for two actions, BV-04 gone (closed and
    dropped from the tracker, as councils do), BV-05 added."""
    rows = [r[:] for r in BEST_VALUE if r[0] != "BV-04"]
    rows[1][5:] = ["B", "New constitution adopted by Council"]
    rows[3][5:] = ["A", "Gap reduced to £1.5m"]
    rows.append(["BV-05", "Finance", "Publish a capital strategy", "Section 151 Officer", "Q1 2026/27", "G",
                 "Draft with the Executive"])
    return rows


def test_a_second_edition_updates_the_items_by_ref_and_the_report_says_what_changed(app, client_for):
    from tests.web.reports import draft_report, publish
    from tracker.reports.renderers.csv import read_tables

    through_the_page(client_for, LAYOUTS["best value plan (pdf, quarters, RAG letters)"], "RT")
    manager = client_for("manager")
    assert manager.get("/reports?review=RT").status_code == 200  # the review in use for the reports
    publish(manager, draft_report(manager, "2025-10-01"))

    later = Layout(lambda: pdf(second_edition(), before=["Best Value Improvement Plan: progress to 31 March 2026"]),
                   "best-value-2.pdf", [])
    preview = through_the_page(client_for, later, "RT")
    assert "1 action to create, 2 to update, 1 unchanged" in preview
    assert "progress: Draft constitution to Council in October → New constitution adopted by Council" in preview
    assert "BV-04" in preview  # in the review, not in the file: left alone, and the preview says so
    held = {row[0]: row for row in actions_in_db(app, "RT")}
    assert held["BV-01"][3:5] == ("New constitution adopted by Council", "complete")
    assert held["BV-03"][3] == "Gap reduced to £1.5m"
    assert held["BV-04"][3:5] == ("Accounts signed by the auditor", "complete")  # kept: the file says nothing
    assert held["BV-05"][4:] == ("in_progress", "Section 151 Officer", "2026-06-30")

    second = draft_report(manager, "2026-04-02")
    tables = read_tables(manager.get(f"/reports/{second}/covering.csv").data.decode("utf-8-sig"))
    assert [r["Ref-Id"] for r in tables["Completed"]] == ["BV-01"]
    assert [r["Ref-Id"] for r in tables["New items"]] == ["BV-05"]
    assert [(r["Ref-Id"], r["Now"]) for r in tables["Progress updated, same status"]] == [
        ("BV-03", "Gap reduced to £1.5m")]
