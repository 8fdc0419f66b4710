"""Any council's tracker, as a sheet, a CSV, a Word table or a PDF table, in the shapes real trackers
come in: the council's own headings (or none over the id column), headings under a title, no
progress column yet, numbered section rows, ref ids opening the action's cell, one row per
recommendation with its outcome. Each is built here and imported through the page and the command."""
from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest
from docx import Document
from sqlalchemy import select

from tests.files import csv_bytes, xlsx
from tests.files import html_pdf as pdf
from tests.web.files import HOUSING, HOUSING_HEADINGS, housing_word
from tracker.extensions import db
from tracker.imports.operations import apply_import, plan_file
from tracker.models import Action, Change, Measure, Review, Theme

# --- building the files ---------------------------------------------------------------------

HOUSING_PLAN = [
    ("HS1", "Introduce online tenancy sign-up", "Tenancy services", "Online form live since January", "in_progress"),
    ("HS2", "Review the allocations policy", "Tenancy services", "Draft policy out for consultation", "in_progress"),
    ("HS3", "Cut the time to fix urgent repairs", "Repairs", "Complete – 95% fixed within 24 hours", "complete"),
]
RAG = {"Green": "in_progress", "Amber": "in_progress"}


def housing_pdf(rows=HOUSING) -> bytes:
    head = "".join(f"<th>{h}</th>" for h in HOUSING_HEADINGS)
    body = "".join(f"<tr><td colspan='6'><strong>{r[0]}</strong></td></tr>" if len(r) == 1
                   else "<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in rows)
    return pdf("<h1>Housing Services Improvement Plan</h1><table><tr><td>Green</td><td>On track</td></tr>"
               "<tr><td>Amber</td><td>At risk</td></tr></table><p>Appendix 1: the plan</p>"
               f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


# Headings under a title and a note, in words no guess knows.
PROMISES = [
    ["Customer Access Strategy 2025–2028"],
    ["Prepared by the Policy Team, 1 March 2025"],
    [],
    ["Item", "Our promise", "Champion", "Due", "Where things stand"],
    ["P1", "Answer most calls within a minute", "K. Lee", "31/03/2026", "On track: 72% answered in time"],
    ["P2", "Put the ten busiest forms online", "K. Lee", "30/09/2025", "Complete"],
    ["P3", "Open the customer hub on Saturdays", "J. Patel", "31/03/2027", "Not started"],
]
PROMISES_PLAN = [
    ("P1", "Answer most calls within a minute", "General", "On track: 72% answered in time", "in_progress"),
    ("P2", "Put the ten busiest forms online", "General", "Complete", "complete"),
    ("P3", "Open the customer hub on Saturdays", "General", "Not started", "not_started"),
]

# A new plan: no progress column yet, numbered section rows.
NEW_PLAN = [
    ["Ref", "Action", "Lead officer", "Target date"],
    ["1. Housing", "", "", ""],
    ["1.1", "Build 200 affordable homes", "A. Jones", "31/03/2027"],
    ["1.2", "Bring empty homes back into use", "B. Khan", "31/03/2026"],
    ["2", "Transport", "", ""],
    ["2.1", "Extend the park and ride", "C. Patel", ""],
]
NEW_PLAN_PLAN = [
    ("1.1", "Build 200 affordable homes", "Housing", "", "not_started"),
    ("1.2", "Bring empty homes back into use", "Housing", "", "not_started"),
    ("2.1", "Extend the park and ride", "Transport", "", "not_started"),
]

# Ref ids opening the action's cell.
REFS_IN_CELL = [
    ["Action", "Update", "Status"],
    ["1.1 Improve the website", "New site went live in May", "Complete"],
    ["1.2 Publish service standards", "Draft with the Leader", "In progress"],
    ["2.1: Train front-line staff", "", "Not started"],
]
REFS_IN_CELL_PLAN = [
    ("1.1", "Improve the website", "General", "New site went live in May", "complete"),
    ("1.2", "Publish service standards", "General", "Draft with the Leader", "in_progress"),
    ("2.1", "Train front-line staff", "General", "", "not_started"),
]

# One row per recommendation, with the outcome.
RECOMMENDATIONS = [
    ["Rec no", "Recommendation", "Response", "Outcome"],
    ["1", "The council should publish one phone number for all its services", "Accepted",
     "Complete: the single number went live in April"],
    ["2", "Every form should be available online within two years", "Accepted", "In progress: 4 of 10 forms online"],
    ["3", "Opening hours should be reviewed with the people who use the offices", "Partly accepted",
     "Awaiting decision of Cabinet"],
]
RECOMMENDATIONS_PLAN = [
    ("1", "The council should publish one phone number for all its services", "General",
     "Complete: the single number went live in April", "complete"),
    ("2", "Every form should be available online within two years", "General", "In progress: 4 of 10 forms online",
     "in_progress"),
    ("3", "Opening hours should be reviewed with the people who use the offices", "General",
     "Awaiting decision of Cabinet", "dependent"),
]


@dataclass
class Shape:
    build: object
    filename: str
    plan: list
    overrides: dict = field(default_factory=dict)
    status_map: dict = field(default_factory=dict)
    header_row: int | None = None
    notes: tuple = ()
    ignored: tuple = ()


SHAPES = {
    "word table, own headings, unheaded id column": Shape(
        housing_word, "housing.docx", HOUSING_PLAN, status_map=RAG,
        notes=("Read table 2 of the Word document as the tracker", "The column 'Column 1' holds ref ids")),
    "pdf table, own headings, unheaded id column": Shape(
        housing_pdf, "housing.pdf", HOUSING_PLAN, status_map=RAG,
        notes=("Read the table on page 1 of the PDF as the tracker",)),
    "sheet with unfamiliar headings under a title": Shape(
        lambda: xlsx(PROMISES), "promises.xlsx", PROMISES_PLAN,
        overrides={"measured_output": "Where things stand", "owner": "Champion", "target_date": "Column D"},
        notes=("The column headings are on row 4; the rows above them were left out.",)),
    "no progress column, numbered sections": Shape(
        lambda: csv_bytes(NEW_PLAN), "new-plan.csv", NEW_PLAN_PLAN,
        notes=("No column was read as progress, so every action is imported as Not started",
               "The new review's themes: Housing, Transport.")),
    "ref ids inside the action cell": Shape(
        lambda: xlsx(REFS_IN_CELL), "refs.xlsx", REFS_IN_CELL_PLAN,
        notes=("The cells of 'Action' open with the ref id",)),
    "one row per recommendation with an outcome": Shape(
        lambda: csv_bytes(RECOMMENDATIONS), "recommendations.csv", RECOMMENDATIONS_PLAN,
        notes=("The column 'Response' says whether each recommendation was accepted",)),
}


# --- importing them ---------------------------------------------------------------------------

def plan_in_db(app, code: str) -> list[tuple]:
    """(ref, title, theme, progress text, status) of each action, in order; every one holding its
    progress itself (its one unnumbered measure, number 0, with no text of its own)."""
    with app.app_context():
        actions = db.session.scalars(select(Action).join(Review).where(Review.code == code)
                                     .order_by(Action.position)).all()
        result = []
        for action in actions:
            assert [(m.number, m.text) for m in action.measures] == [(0, "")], action.ref
            own = action.measures[0]
            result.append((action.ref, action.title, action.theme.name, own.measured_output, own.status))
        return result


def import_through_the_page(client_for, shape: Shape, code: str) -> str:
    manager = client_for("manager")
    response = manager.post("/imports", token_from="/imports", data={
        "review": code, "file": (io.BytesIO(shape.build()), shape.filename)}, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)
    page_url = response.headers["Location"]
    page = manager.get(page_url).get_data(as_text=True)
    form = {f"map-{k}": v for k, v in shape.overrides.items()}  # only the columns to change
    form.update({f"status-{word}": category for word, category in shape.status_map.items()})
    if shape.header_row:
        form["header_row"] = str(shape.header_row)
    token = manager.token(page_url)
    checked = manager.post(page_url, data={**form, "action": "check", "csrf_token": token})
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200, page
    if 'name="new_review" value="1"' in page:
        form["new_review"] = "1"
    done = manager.post(page_url, data={**form, "action": "confirm", "csrf_token": token})
    assert done.status_code == 303, done.get_data(as_text=True)
    return page


def import_through_the_command(app, tmp_path, shape: Shape, code: str) -> str:
    path = tmp_path / shape.filename
    path.write_bytes(shape.build())
    args = ["import", str(path), "--review", code]
    args += [a for k, v in shape.overrides.items() for a in ("--map", f"{k}={v}")]
    args += [a for k, v in shape.status_map.items() for a in ("--status-map", f"{k}={v}")]
    if shape.header_row:
        args += ["--header-row", str(shape.header_row)]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("door", ["page", "command"])
@pytest.mark.parametrize("name", SHAPES)
def test_each_shape_of_tracker_imports_as_actions_with_their_own_progress(app, client_for, tmp_path, name, door):
    shape = SHAPES[name]
    if door == "page":
        said = import_through_the_page(client_for, shape, "NT")
    else:
        said = import_through_the_command(app, tmp_path, shape, "NT")
    assert plan_in_db(app, "NT") == shape.plan
    for note in shape.notes:
        assert note.replace("'", "&#39;") in said or note in said, (note, said)
    for column in shape.ignored:
        assert f"Columns that will be ignored: {column}" in said or f"Ignored columns: {column!r}" in said


def test_the_page_offers_the_early_rows_for_the_headings_and_the_columns_to_ignore(client_for):
    manager = client_for("manager")
    response = manager.post("/imports", token_from="/imports", data={
        "review": "NT", "file": (io.BytesIO(xlsx(PROMISES)), "promises.xlsx")}, content_type="multipart/form-data")
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "row 4: Item | Our promise | Champion | Due | Where things stand" in page
    assert "row 1: Customer Access Strategy 2025–2028" in page
    # "Due" names the target date; the rest are the council's own words, left for the person to choose.
    assert "Columns that will be ignored: Champion, Where things stand." in page
    # The title chosen as the headings: the columns under it have none, and are named as Excel shows them.
    token = manager.token(response.headers["Location"])
    other = manager.post(response.headers["Location"], data={"header_row": "1", "action": "check", "csrf_token": token})
    page = other.get_data(as_text=True)
    assert 'value="1" checked' in page and '<option value="Column E">Column E</option>' in page
    assert "The column headings are on row 1" not in page


def test_a_heading_row_can_be_chosen_by_the_row_number_the_file_shows(app):
    rows = [["Action plan", "", ""], ["Ref", "Action", "Progress"], ["Notes", "Our actions", "Where we are"],
            ["A1", "Open on Saturdays", "Complete"]]
    with app.app_context():
        guessed = plan_file(xlsx(rows), "plan.xlsx", "HR")
        chosen = plan_file(xlsx(rows), "plan.xlsx", "HR", header_row=3,
                           overrides={"ref": "Notes", "title": "Our actions", "measured_output": "Where we are"})
        assert guessed.header_row == 2 and chosen.header_row == 3 and chosen.ok, chosen.problems
        assert chosen.conversion.data["actions"][0]["progress"] == {"text": "Complete", "status": None,
                                                                     "depends_on": None}
        assert not plan_file(xlsx(rows), "plan.xlsx", "HR", header_row=9).ok


def test_a_column_chosen_on_the_command_line_keeps_every_other_guess(app, tmp_path):
    path = tmp_path / "promises.xlsx"
    path.write_bytes(xlsx(PROMISES))
    result = app.test_cli_runner().invoke(args=["import", str(path), "--review", "NT", "--dry-run",
                                                "--map", "measured_output=Column E"])
    assert result.exit_code == 0, result.output
    for guessed in ("ref <- 'Item'", "title <- 'Our promise'", "measured_output <- 'Where things stand'",
                    "target_date <- 'Due'"):
        assert guessed in result.output
    assert "Ignored columns: 'Champion'" in result.output
    result = app.test_cli_runner().invoke(args=["import", str(path), "--review", "NT", "--map", "progress=Due"])
    assert result.exit_code == 2 and "no field progress" in result.output


def test_problems_in_a_pdf_table_name_the_page_and_the_table_row(app):
    rows = list(HOUSING)
    rows[2] = ("HS2", "Review the allocations policy", "B. Khan", "next spring", "Draft out", "Amber")
    with app.app_context():
        plan = plan_file(housing_pdf(rows), "housing.pdf", "NT", status_map=RAG)
    assert [str(p) for p in plan.problems] == [
        "page 1, table 2 row 4: 'next spring' is not a date; write it as YYYY-MM-DD or DD/MM/YYYY"]


def test_a_second_edition_updates_the_items_by_ref_and_the_history_says_so(app, client_for):
    with app.app_context():
        apply_import(plan_file(csv_bytes(RECOMMENDATIONS), "recommendations.csv", "NT"))
        db.session.commit()
    second = [row[:] for row in RECOMMENDATIONS]
    second[2][3] = "Complete: all ten forms online"
    second.append(["4", "Staff should be trained in customer care", "Accepted", ""])
    shape = Shape(lambda: csv_bytes(second), "recommendations-v2.csv", [])
    page = import_through_the_page(client_for, shape, "NT")
    assert "1 action to create, 1 to update, 2 unchanged" in page
    assert "progress: In progress: 4 of 10 forms online → Complete: all ten forms online" in page
    assert plan_in_db(app, "NT")[1:] == [
        ("2", "Every form should be available online within two years", "General", "Complete: all ten forms online",
         "complete"),
        ("3", "Opening hours should be reviewed with the people who use the offices", "General",
         "Awaiting decision of Cabinet", "dependent"),
        ("4", "Staff should be trained in customer care", "General", "", "not_started")]
    with app.app_context():
        change = db.session.scalar(select(Change).where(Change.entity_label == "2 progress",
                                                        Change.field == "measured_output"))
        assert (change.before, change.after) == ("In progress: 4 of 10 forms online", "Complete: all ten forms online")
        assert change.note == "import recommendations-v2.csv"


def test_a_third_edition_with_a_blank_outcome_keeps_what_an_action_holds(app):
    with app.app_context():
        apply_import(plan_file(csv_bytes(RECOMMENDATIONS), "recommendations.csv", "NT"))
        blanked = [row[:] for row in RECOMMENDATIONS]
        blanked[1][3] = ""
        plan = plan_file(csv_bytes(blanked), "recommendations.csv", "NT")
        assert plan.ok and plan.preview.update == [] and len(plan.preview.unchanged) == 3


def test_an_action_holding_numbered_measures_is_not_given_its_own_progress_too(app):
    rows = [["Ref-Id", "Title", "Central Issue", "Measured Output"],
            ["CC-01-ENV-01", "Directional signage", "Environment", "All signs replaced"]]
    with app.app_context():
        plan = plan_file(csv_bytes(rows), "cc.csv", "CC")
        before = db.session.scalar(select(Measure.measured_output).join(Action).where(Action.ref == "CC-01-ENV-01"))
    assert [str(p) for p in plan.problems] == [
        "row 2: CC-01-ENV-01: the review holds numbered measures for this action and the file gives one progress "
        "for it; choose the Measure column, or change the action in the review first"]
    assert before != "All signs replaced"


def test_a_committee_paper_in_word_without_a_tracker_table_still_goes_to_the_paper_reader(app):
    document = Document()
    document.add_paragraph("APPENDIX B")
    document.add_paragraph("Environment")
    table = document.add_table(rows=1, cols=3)
    cells = table.rows[0].cells
    cells[0].text = "CC-90-ENV-90"
    cells[1].paragraphs[0].text = "New signage"
    cells[1].add_paragraph("1) Road signs")
    cells[2].paragraphs[0].text = "1) To start"
    out = io.BytesIO()
    document.save(out)
    with app.app_context():
        plan = plan_file(out.getvalue(), "paper.docx", "CC")
        assert plan.ok, plan.problems
        assert plan.conversion.data["actions"][-1]["measures"] == [
            {"number": 1, "text": "Road signs", "measured_output": "To start"}]


def test_themes_come_from_numbered_section_rows_not_actions(app):
    with app.app_context():
        plan = plan_file(csv_bytes(NEW_PLAN), "new-plan.csv", "NT")
        assert plan.ok, plan.problems
        assert [a["ref"] for a in plan.conversion.data["actions"]] == ["1.1", "1.2", "2.1"]
        apply_import(plan)
        themes = db.session.scalars(select(Theme.name).join(Review).where(Review.code == "NT")
                                    .order_by(Theme.position)).all()
    assert themes == ["Housing", "Transport"]


def test_plan_data_holds_an_actions_own_progress_in_either_layout(app):
    from tracker.imports.plan_data import PlanError, apply_plan, validate_plan

    def plan(action):
        return {"authority": "Carlisle City Council", "review": {"code": "PD", "title": "Review PD",
                                                                 "ref_pattern": r"PD\d+"},
                "themes": [{"code": "GEN", "name": "General"}],
                "actions": [{"ref": "PD1", "title": "Open on Saturdays", "theme": "GEN", **action}]}

    with app.app_context():
        summary = apply_plan(plan({"measures": [], "progress": {"text": "Awaiting decision of Cabinet",
                                                                "status": None, "depends_on": None}}))
        assert "PD1 progress" in summary.created
        # An older export lists it as the unnumbered measure: the same thing, nothing changes.
        again = apply_plan(plan({"measures": [{"number": 0, "text": "", "measured_output": "Awaiting decision "
                                               "of Cabinet", "status": "dependent", "depends_on": None}]}))
        assert again.updated == [] and again.created == [], again
        db.session.commit()
        assert plan_in_db(app, "PD") == [("PD1", "Open on Saturdays", "General", "Awaiting decision of Cabinet",
                                         "dependent")]
        both = plan({"progress": {"text": "x", "status": "complete", "depends_on": None},
                     "measures": [{"number": 1, "text": "a", "measured_output": "b"}]})
        assert any("not both" in str(p) for p in validate_plan(both))
        with pytest.raises(PlanError):
            apply_plan(plan({"measures": [{"number": 1, "text": "a", "measured_output": "b"}]}))
