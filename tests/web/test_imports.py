"""Spreadsheet import: both sheet shapes, re-import, updates with history, and every kind of bad row."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from tests.web.files import ONE_ROW_PER_MEASURE, csv_bytes, xlsx
from tests.web.plans import refs
from tracker.extensions import db
from tracker.imports.operations import apply_import, plan_spreadsheet
from tracker.imports.spreadsheet import guess_mapping, split_numbered
from tracker.models import Action, Change, Measure, Review

NUMBERED_IN_ONE_CELL = [
    ["Ref-Id", "Central Issue", "Title", "Detail", "Measured Output"],
    ["R1", "Access", "Opening hours", "1) Survey users 2) Extend Thursday hours", "1) Complete 2) To start"],
    ["R2", "Access", "Web forms", "1) Put top ten forms online", "1) Outcome of CCC Project"],
    ["R3", "Culture", "Training", "1) Customer care course for all staff\n2) Refresher every year", "1) Complete\n2) Ongoing"],
]


def test_guess_mapping_and_split_numbered():
    mapping = guess_mapping(ONE_ROW_PER_MEASURE[0])
    assert mapping == {"ref": "Ref", "title": "Action title", "theme": "Service", "measure_number": "Measure no",
                       "measure": "Measure", "measured_output": "Progress", "status": "Status",
                       "owner": "Lead officer", "target_date": "Due date"}
    assert split_numbered("1) a thing 2) another 10) last") == [(1, "a thing"), (2, "another"), (10, "last")]
    assert split_numbered("just text") == [(1, "just text")]


def test_import_one_row_per_measure_creates_a_new_review(app):
    with app.app_context():
        plan = plan_spreadsheet(xlsx(ONE_ROW_PER_MEASURE), "tracker.xlsx", "SC")
        assert plan.problems == [] and plan.preview.new_review and plan.preview.create == ["SC1", "SC2"]
        apply_import(plan)
        review = db.session.scalar(select(Review).where(Review.code == "SC"))
        assert review.ref_pattern == r"SC\d+" and [t.name for t in review.themes] == ["Revenues", "Contact Centre"]
        sc1 = db.session.scalar(select(Action).where(Action.ref == "SC1"))
        assert [(m.number, m.text, m.measured_output, m.status) for m in sc1.measures] == [
            (1, "Draft the standards", "Complete", "complete"), (2, "Consult customers", "Survey out in May", "in_progress")]
        assert sc1.owner.name == "A. Jones" and sc1.target_date.isoformat() == "2024-03-31"
        sc2 = db.session.scalar(select(Action).where(Action.ref == "SC2"))
        assert sc2.measures[0].status == "dependent" and sc2.target_date.isoformat() == "2024-09-30"


def test_import_numbered_measures_in_one_cell(app):
    with app.app_context():
        plan = plan_spreadsheet(csv_bytes(NUMBERED_IN_ONE_CELL), "plan.csv", "AX")
        assert plan.problems == []
        apply_import(plan)
        r3 = db.session.scalar(select(Action).where(Action.ref == "R3"))
        assert [(m.number, m.text, m.measured_output, m.status) for m in r3.measures] == [
            (1, "Customer care course for all staff", "Complete", "complete"),
            (2, "Refresher every year", "Ongoing", "ongoing")]
        r2 = db.session.scalar(select(Action).where(Action.ref == "R2"))
        assert r2.measures[0].depends_on.code == "CCC"  # the council's projects are known to every review


def test_reimporting_the_same_file_changes_nothing(app):
    with app.app_context():
        apply_import(plan_spreadsheet(xlsx(ONE_ROW_PER_MEASURE), "tracker.xlsx", "SC"))
        changes = db.session.scalar(select(func.count(Change.id)))
        plan = plan_spreadsheet(xlsx(ONE_ROW_PER_MEASURE), "tracker.xlsx", "SC")
        assert plan.preview.create == [] and plan.preview.update == [] and plan.preview.unchanged == ["SC1", "SC2"]
        summary = apply_import(plan)
        assert not summary.changed and db.session.scalar(select(func.count(Change.id))) == changes


def test_updated_file_updates_by_ref_records_history_and_never_deletes(app, client_for):
    with app.app_context():
        apply_import(plan_spreadsheet(xlsx(ONE_ROW_PER_MEASURE), "tracker.xlsx", "SC"))
        db.session.commit()  # the caller ends the transaction (a request or a command)
    updated = [row[:] for row in ONE_ROW_PER_MEASURE[:3]]  # SC2 left out of the new file
    updated[2][5], updated[2][6] = "Survey closed; 412 replies", "Complete"
    with app.app_context():
        plan = plan_spreadsheet(xlsx(updated), "tracker-v2.xlsx", "SC")
        assert plan.preview.missing == ["SC2"]
        assert plan.preview.update == [("SC1", ["measure 2 output: Survey out in May → Survey closed; 412 replies",
                                                "measure 2 status: in_progress → complete"])]
        apply_import(plan, note="import tracker-v2.xlsx")
        measure = db.session.scalar(select(Measure).join(Action).where(Action.ref == "SC1", Measure.number == 2))
        assert (measure.measured_output, measure.status) == ("Survey closed; 412 replies", "complete")
        change = db.session.scalar(select(Change).where(Change.field == "measured_output",
                                                        Change.entity_label == "SC1 measure 2"))
        assert change.before == "Survey out in May" and change.note == "import tracker-v2.xlsx"
    assert refs(app, "SC") == ["SC1", "SC2"]


def test_import_into_the_seeded_review_updates_carlisle_measures(app):
    rows = [["Ref-Id", "Title", "Central Issue", "Detail", "Measured Output"],
            ["CC-10-ENV-10", "Extended opening hours",  "Environment",
             "1) Market test extended opening hours particularly late night Thursday night opening and Saturday morning.",
             "1) Market testing under way"]]
    with app.app_context():
        plan = plan_spreadsheet(csv_bytes(rows), "cc.csv", "CC")
        assert plan.problems == [] and len(plan.preview.missing) == 86
        apply_import(plan)
        m = db.session.scalar(select(Measure).join(Action).where(Action.ref == "CC-10-ENV-10"))
        assert (m.measured_output, m.status) == ("Market testing under way", "in_progress")


BAD_ROWS = [
    (["", "No ref", "Environment", "", "1) x", "1) Complete", "", ""], "No ref id"),
    (["CC-90-ENV-90", "", "Environment", "", "1) x", "1) Complete", "", ""], "no title"),
    (["CC-91-ENV-91", "Bad theme", "Leisure", "", "1) x", "1) Complete", "", ""], "Theme 'Leisure' is not one of"),
    (["CC-92-ENV-92", "Dup", "Environment", "", "1) x 1) y", "1) Complete", "", ""], "measure 1 appears twice"),
    (["CC-93-ENV-93", "No output", "Environment", "", "1) x 2) y", "1) Complete", "", ""], "measure 2 has no measured output"),
    (["CC-94-ENV-94", "Orphan output", "Environment", "", "1) x", "1) Complete 2) Done", "", ""], "output 2 has no measure 2"),
    (["CC-95-ENV-95", "Bad date", "Environment", "", "1) x", "1) Complete", "", "31/02/2024"], "'31/02/2024' is not a date"),
    (["CC-96-ENV-96", "Words date", "Environment", "", "1) x", "1) Complete", "", "next spring"], "'next spring' is not a date"),
    (["CC-97-ENV-97", "Bad status", "Environment", "", "1) x", "1) Complete", "Purple", ""], "Status 'Purple'"),
    (["CC-98-ENV-98", "Ambiguous status", "Environment", "", "1) x", "1) Complete", "Open", ""], "Status 'Open'"),
    (["CC-1-ENV-99", "Short ref", "Environment", "", "1) x", "1) Complete", "", ""], "does not follow this review's pattern"),
    (["CC-88-OWN-01", "Wrong theme in ref", "Environment", "", "1) x", "1) Complete", "", ""], "names theme 'OWN' but the action is under theme 'ENV'"),
    (["CC-89-ENV-89", "No measure", "Environment", "", "", "", "", ""], "no measure text"),
    (["CC-88-ENV-88", "Bad rec", "Environment", "", "1) x", "1) Complete", "", "", "99"], "recommendation 99 is not in"),
    (["CC-87-ENV-87", "Bad number", "Environment", "one", "x", "Complete", "", ""], "Measure number 'one'"),
    (["CC-86-ENV-86", "Zero number", "Environment", "0", "x", "Complete", "", ""], "Measure number '0'"),
    (["CC-85-ORG-85", "Bad sub-theme", "Organisation", "", "1) x", "1) Complete", "", "", "", "vii) Nowhere"], "sub-theme 'vii) Nowhere'"),
    (["CC-84-ENV-84", "Impossible month", "Environment", "", "1) x", "1) Complete", "", "2024-13-01"], "'2024-13-01' is not a date"),
    (["CC-83-ENV-83", "Empty measure", "Environment", "", " ", "1) Complete", "", ""], "no measure text"),
    (["CC 82 ENV 82", "Spaces in ref", "Environment", "", "1) x", "1) Complete", "", ""], "'CC 82 ENV 82' does not follow"),
]


def test_twenty_kinds_of_bad_rows_are_each_reported_and_nothing_is_applied(app):
    header = ["Ref-Id", "Title", "Central Issue", "Measure number", "Detail", "Measured Output", "Status",
              "Target date", "Recommendation", "Sub-issue"]
    rows = [header] + [row + [""] * (len(header) - len(row)) for row, _ in BAD_ROWS]
    # A good row too: it must not be applied while others are bad.
    rows.append(["CC-81-ENV-81", "Good row", "Environment", "", "1) fine", "1) Complete", "", "", "", ""])
    with app.app_context():
        before = db.session.scalar(select(func.count(Action.id)))
        plan = plan_spreadsheet(xlsx(rows), "bad.xlsx", "CC")
        assert not plan.ok
        messages = [str(p) for p in plan.problems]
        for index, (_, expected) in enumerate(BAD_ROWS):
            row_number = index + 2
            assert any(m.startswith(f"row {row_number}:") and expected in m for m in messages), \
                f"row {row_number}: expected {expected!r} in {messages}"
        with pytest.raises(Exception):  # noqa: B017 (the database's own error type differs between SQLite and PostgreSQL)
            apply_import(plan)
        assert db.session.scalar(select(func.count(Action.id))) == before


@pytest.mark.parametrize("content, name, message", [
    (b"x" * (5 * 1024 * 1024 + 1), "big.csv", "the limit is 5 MB"),
    (b"PK\x03\x04 not really", "macro.xlsm", "Macro-enabled"),
    (b"%PDF-1.4", "paper.pdf", "Upload an Excel workbook (.xlsx) or a CSV file"),
    (b"not a zip", "broken.xlsx", "not a readable .xlsx"),
])
def test_files_of_the_wrong_kind_are_refused(app, content, name, message):
    with app.app_context():
        plan = plan_spreadsheet(content, name, "CC")
    assert not plan.ok and message in str(plan.problems[0])


def test_formulas_are_refused(app):
    rows = [r[:] for r in ONE_ROW_PER_MEASURE]
    rows[1][3] = "=1+0"
    with app.app_context():
        plan = plan_spreadsheet(xlsx(rows), "formula.xlsx", "SC")
    assert not plan.ok and "holds a formula" in str(plan.problems[0])


def test_unknown_status_can_be_mapped_instead_of_guessed(app):
    rows = [["Ref", "Title", "Measure", "Progress", "Status"], ["X1", "Thing", "Do it", "Half way", "Open"]]
    with app.app_context():
        plan = plan_spreadsheet(csv_bytes(rows), "open.csv", "XX")
        assert not plan.ok and plan.conversion.unknown_statuses == {"Open": [2]}
        plan = plan_spreadsheet(csv_bytes(rows), "open.csv", "XX", status_map={"Open": "in_progress"})
        assert plan.ok
        apply_import(plan)
        assert db.session.scalar(select(Measure.status).join(Action).where(Action.ref == "X1")) == "in_progress"


def test_cli_import_dry_run_writes_nothing_then_imports(app, tmp_path):
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(xlsx(ONE_ROW_PER_MEASURE))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", str(path), "--review", "SC", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "New review SC: 2 to create" in result.output and "Dry run: nothing was written." in result.output
    assert refs(app, "SC") == []
    result = runner.invoke(args=["import", str(path), "--review", "SC"])
    assert result.exit_code == 0 and "2 actions created" in result.output
    assert refs(app, "SC") == ["SC1", "SC2"]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["Ref", "Title", "Measure"], ["SC3", "", "x"]]))
    result = runner.invoke(args=["import", str(bad), "--review", "SC"])
    assert result.exit_code == 1 and "Nothing was imported" in result.output and "row 2" in result.output


def test_upload_map_preview_confirm_through_the_pages(app, client_for):
    manager = client_for("manager")
    rows = [r[:] for r in ONE_ROW_PER_MEASURE]
    rows[0][5] = "Where we are"  # a heading the guess does not know
    response = manager.post("/imports", token_from="/imports", data={
        "review": "SC", "file": (io.BytesIO(xlsx(rows)), "tracker.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 303
    page_url = response.headers["Location"]
    page = manager.get(page_url).get_data(as_text=True)
    assert "Choose the column for" not in page and "measure 1 has no measured output" in page
    form = {f"map-{k}": v for k, v in guess_mapping(rows[0]).items()}
    form["map-measured_output"] = "Where we are"
    token = manager.token(page_url)
    checked = manager.post(page_url, data={**form, "action": "check", "csrf_token": token})
    assert checked.status_code == 200 and "2 actions to create" in checked.get_data(as_text=True)
    assert refs(app, "SC") == []  # nothing before confirm
    done = manager.post(page_url, data={**form, "action": "confirm", "csrf_token": token})
    assert done.status_code == 303 and refs(app, "SC") == ["SC1", "SC2"]
    assert manager.get(page_url).status_code == 404  # the upload is gone once imported


def test_upload_of_the_wrong_type_or_without_review_is_refused(client_for):
    manager = client_for("manager")
    response = manager.post("/imports", token_from="/imports", data={
        "review": "SC", "file": (io.BytesIO(b"PK\x03\x04"), "paper.odt")}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Upload an Excel workbook" in response.get_data(as_text=True)
    response = manager.post("/imports", token_from="/imports", data={"review": "", "pasted": "some text"})
    assert response.status_code == 400 and "Enter the code of the review" in response.get_data(as_text=True)
    assert 'some text</textarea>' in response.get_data(as_text=True)  # what was pasted is kept


def test_another_user_cannot_use_my_upload(app, client_for):
    manager = client_for("manager")
    response = manager.post("/imports", token_from="/imports", data={
        "review": "SC", "file": (io.BytesIO(xlsx(ONE_ROW_PER_MEASURE)), "tracker.xlsx")},
        content_type="multipart/form-data")
    admin = client_for("admin")
    assert admin.get(response.headers["Location"]).status_code == 403
