"""Actions that hold their progress themselves (no numbered measures): most councils' trackers.

Stored as the action's one unnumbered measure (number 0), so the same rules, operations, history,
locking and reports serve both shapes. Data is built through the operations (and a small plan for
an empty review's skeleton), never through the spreadsheet or paper importers."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from tests.client import Page
from tests.web.versions import measure_form, version_in_form
from tracker.exports.plan_json import export_all
from tracker.exports.plan_xlsx import read_export_workbook, review_workbook
from tracker.extensions import db
from tracker.imports.plan_data import apply_plan
from tracker.models import Action, Change, Measure, Recommendation, Review, Theme
from tracker.plan import queries
from tracker.plan.operations import Refused, link_recommendation, update_measure
from tracker.plan.structure_ops import (
    add_action,
    add_measure,
    move_measure,
    record_progress_on_action,
    retire_action,
    retire_measure,
    suggest_ref,
)
from tracker.reports import builders
from tracker.reports.renderers import render

PROGRESS = "Pilot live in two libraries; roll-out\nto the rest under way."


def _cc(ref=None):
    review = db.session.scalar(select(Review).where(Review.code == "CC"))
    theme = db.session.scalar(select(Theme).where(Theme.review_id == review.id, Theme.code == "ENV"))
    return review, theme


def add_progress_action(app, text=PROGRESS, title="Publish service standards") -> str:
    """An action of the seeded CC review that holds its progress itself; returns its ref."""
    with app.app_context():
        review, theme = _cc()
        action = add_action(review, theme, ref=suggest_ref(review, theme), title=title, progress=text)
        db.session.commit()
        return action.ref


def own(app, ref):
    with app.app_context():
        m = db.session.scalar(select(Measure).join(Action).where(Action.ref == ref, Measure.number == 0))
        return None if m is None else {"status": m.status, "measured_output": m.measured_output,
                                       "version": m.version, "text": m.text}


def council_plan(app) -> None:
    """A review made only of actions holding their own progress, as most councils' trackers are."""
    with app.app_context():
        apply_plan({"authority": "Anyshire Council",
                    "review": {"code": "AN", "title": "Customer access review", "ref_pattern": r"R\d+"},
                    "projects": [{"code": "WEB", "name": "Website rebuild", "aliases": ["new website"]}],
                    "themes": [{"code": "ACC", "name": "Customer access"}],
                    "recommendations": [{"number": 1, "text": "Make the top services available online."}],
                    "actions": []})
        review = db.session.scalar(select(Review).where(Review.code == "AN"))
        theme = review.themes[0]
        r1 = add_action(review, theme, ref="R1", title="Put council tax online", progress="Completed in May.")
        r2 = add_action(review, theme, ref="R2", title="Online housing forms",
                        progress="Awaiting the outcome of the new website project")
        add_action(review, theme, ref="R3", title="Web chat", progress="")
        rec = db.session.scalar(select(Recommendation).where(Recommendation.review_id == review.id))
        link_recommendation(rec, r1)
        link_recommendation(rec, r2)
        db.session.commit()


# --- the page ---------------------------------------------------------------------------------

def test_action_page_shows_progress_not_a_numbered_list(app, client_for):
    ref = add_progress_action(app)
    shown = client_for("committee").page(f"/actions/{ref}?review=CC")
    page = shown.text
    assert "Pilot live in two libraries" in shown.text_of('[data-testid="progress-text"]')
    assert "Progress recorded on the action: in progress" in page
    assert not shown.soup.find(string=lambda t: t.strip() == "Measures")  # no heading for a list of measures
    assert "0)" not in page and "measure 0" not in page.lower()
    # A committee member reads it; only those who may update see the form.
    assert "Save progress" not in page


def test_manager_updates_progress_with_history_version_and_updated_at(app, client_for):
    ref = add_progress_action(app)
    with app.app_context():
        before = db.session.scalar(select(Action).where(Action.ref == ref)).updated_at
    manager = client_for("manager")
    page = manager.page(f"/actions/{ref}?review=CC").text
    assert "Update progress" in page and "Save progress" in page
    data = measure_form(manager, number=0, ref=ref, measured_output="Complete: every standard published.",
                        note="Checked with the web team")
    response = manager.post(f"/actions/{ref}/measures/0?review=CC", data=data)
    assert response.status_code == 303 and response.headers["Location"].endswith("#measure-0")
    after = own(app, ref)
    assert after["measured_output"] == "Complete: every standard published." and after["status"] == "complete"
    assert after["version"] == int(data["version"]) + 1
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.ref == ref))
        assert action.updated_at > before
        labels = set(db.session.scalars(select(Change.entity_label).where(Change.entity_type == "measure",
                                                                          Change.entity_label.like(f"{ref}%"))))
        assert labels == {f"{ref} progress"}
        fields = {c.field: (c.before, c.after) for c in db.session.scalars(
            select(Change).where(Change.entity_label == f"{ref} progress", Change.note == "Checked with the web team"))}
    assert fields["measured_output"] == (PROGRESS, "Complete: every standard published.")
    assert fields["status"] == ("in_progress", "complete")
    page = manager.page(f"/actions/{ref}?review=CC").text
    assert f"{ref} progress" in page and "Progress text: " in page and "measure 0" not in page.lower()
    assert "Progress recorded on the action: complete" in page


def test_htmx_update_swaps_the_progress_card_and_the_action_status(app, client_for):
    ref = add_progress_action(app)
    manager = client_for("manager")
    data = measure_form(manager, number=0, ref=ref, measured_output="On hold until April.")
    response = manager.post(f"/actions/{ref}/measures/0?review=CC", data=data,
                            headers={"HX-Request": "true", "HX-Target": "measure-0"})
    assert response.status_code == 200
    page = Page(response)
    assert f"Progress of {ref} updated" in page.text and page.select('[hx-swap-oob="true"]')
    assert "Progress recorded on the action: on hold" in page.text


def test_stale_progress_form_gets_409_keeps_the_typed_text_and_changes_nothing(app, client_for):
    ref = add_progress_action(app)
    manager = client_for("manager")
    data = measure_form(manager, number=0, ref=ref, measured_output="First save")
    assert manager.post(f"/actions/{ref}/measures/0?review=CC", data=data).status_code == 303
    response = manager.post(f"/actions/{ref}/measures/0?review=CC", data=dict(data, measured_output="Mine"))
    assert response.status_code == 409
    page = Page(response).text
    assert "Someone else changed this action's progress" in page and "First save" in page and "Mine" in page
    assert "Progress: Someone else changed this action's progress" in page  # the summary names it as people do
    assert own(app, ref)["measured_output"] == "First save"


def test_empty_progress_text_is_refused_and_changes_nothing(app, client_for):
    ref = add_progress_action(app)
    manager = client_for("manager")
    response = manager.post(f"/actions/{ref}/measures/0?review=CC",
                            data=measure_form(manager, number=0, ref=ref, measured_output="  "))
    assert response.status_code == 400 and "Progress: Enter the progress text" in Page(response).text
    assert own(app, ref)["measured_output"] == PROGRESS


def test_committee_member_cannot_update_progress(app, client_for):
    ref = add_progress_action(app)
    manager, committee = client_for("manager"), client_for("committee")
    data = measure_form(manager, number=0, ref=ref, measured_output="Done")
    data["csrf_token"] = committee.token(f"/actions/{ref}?review=CC")
    assert committee.post(f"/actions/{ref}/measures/0?review=CC", data=data).status_code == 403
    assert own(app, ref)["measured_output"] == PROGRESS


def test_master_list_shows_the_progress_text_in_one_row(app, client_for):
    ref = add_progress_action(app)
    page = client_for("committee").page("/actions?review=CC&theme=ENV")
    cell = page.one(f'[data-testid="progress-{ref}"]')
    assert "Pilot live in two libraries" in cell.get_text() and not cell.select(".app-measure-number")
    assert "Measured output or progress" in page.texts("th")
    # Carlisle-shaped rows keep their numbered lists.
    assert page.one('[data-testid="progress-CC-01-ENV-01"]').select(".app-measure-number")


def test_manager_adds_an_action_holding_its_progress_through_the_page(app, client_for):
    manager = client_for("manager")
    assert "On the action itself (no numbered measures)" in manager.page("/actions/new?review=CC&theme=ENV").text
    with app.app_context():
        review, theme = _cc()
        ref = suggest_ref(review, theme)
    response = manager.post("/actions/new?review=CC", token_from="/actions/new?review=CC", data={
        "theme": "ENV", "ref": ref, "title": "Answer letters in ten days", "shape": "progress",
        "progress": "Some teams on target."})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/actions/{ref}?review=CC")
    assert own(app, ref) == {"status": "in_progress", "measured_output": "Some teams on target.", "version": 2,
                             "text": ""}
    # Without the choice, an action is still Carlisle-shaped: numbered measures come next.
    other = re.sub(r"\d+$", lambda m: f"{int(m.group()) + 1:02d}", ref)
    response = manager.post("/actions/new?review=CC", token_from="/actions/new?review=CC", data={
        "theme": "ENV", "ref": other, "title": "Another"})
    assert response.status_code == 303 and "/measures/new" in response.headers["Location"]
    assert own(app, other) is None


# --- operations -------------------------------------------------------------------------------

def test_one_shape_per_action(app):
    ref = add_progress_action(app)
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.ref == ref))
        with pytest.raises(Refused, match="already holds its progress"):
            record_progress_on_action(action, text="again")
        carlisle = db.session.scalar(select(Action).where(Action.ref == "CC-01-ENV-01"))
        with pytest.raises(Refused, match="has numbered measures"):
            record_progress_on_action(carlisle, text="x")
        progress = action.own_progress
        with pytest.raises(Refused, match="retire the action instead"):
            retire_measure(progress, reason="no")
        with pytest.raises(Refused, match="holds its progress on the action itself"):
            move_measure(progress, "up")
        assert progress.retired_on is None and progress.number == 0


def test_first_numbered_measure_takes_over_the_progress_and_says_so(app):
    ref = add_progress_action(app)
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.ref == ref))
        progress_id = action.own_progress.id
        measure = add_measure(action, text="Standards for every service published")
        assert measure.id == progress_id and measure.number == 1
        assert measure.measured_output == PROGRESS and measure.status == "in_progress"
        assert action.own_progress is None and [m.number for m in action.live_measures] == [1]
        second = add_measure(action, text="Reviewed each year", measured_output="To start")
        assert second.number == 2
        db.session.commit()
        held = db.session.scalar(select(Change).where(Change.entity_id == progress_id, Change.field == "number"))
        assert (held.before, held.after, held.entity_label) == ("progress on the action", "measure 1",
                                                                 f"{ref} measure 1")
        assert "became measure 1's measured output" in held.note


def test_first_numbered_measure_may_bring_its_own_output(app):
    ref = add_progress_action(app)
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.ref == ref))
        measure = add_measure(action, text="Publish", measured_output="Complete")
        assert (measure.number, measure.measured_output, measure.status) == (1, "Complete", "complete")
        history = [c.before for c in db.session.scalars(select(Change).where(
            Change.entity_id == measure.id, Change.entity_type == "measure", Change.field == "measured_output"))]
        assert PROGRESS in history  # the progress it replaced stays in the history


def test_retiring_and_reinstating_the_action_keeps_its_progress(app, client_for):
    ref = add_progress_action(app)
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.ref == ref))
        retire_action(action, reason="Merged into CC-01-ENV-01")
        db.session.commit()
    data = builders.appendix_b
    with app.app_context():
        report = data(builders.load_review("CC"))
        row = next(r for b in report["blocks"] if b["type"] == "table" for r in b["rows"] if r[0] == ref)
        assert row[2] == PROGRESS and row[3].startswith("Retired (") and "Merged into" in row[3]
        assert ref not in [a.ref for a in queries.filtered_actions(
            builders.load_review("CC"), queries.ActionFilters()).items]
    manager = client_for("manager")
    version = version_in_form(manager, f"/actions/{ref}?review=CC", f"/actions/{ref}/reinstate")
    assert manager.post(f"/actions/{ref}/reinstate?review=CC", token_from=f"/actions/{ref}?review=CC",
                        data={"version": version}).status_code == 303
    assert own(app, ref)["measured_output"] == PROGRESS


# --- roll-up ----------------------------------------------------------------------------------

def test_roll_up_of_progress_on_the_action(app):
    council_plan(app)
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "AN"))
        by_ref = {a.ref: queries.action_rollup(a) for a in review.actions}
        assert (by_ref["R1"].category, by_ref["R1"].reason) == ("complete", "Progress recorded on the action: complete")
        assert (by_ref["R2"].category, by_ref["R2"].reason) == (
            "dependent", "Progress recorded on the action: it waits on WEB")
        assert by_ref["R3"].category == "not_started"
        rec = queries.get_recommendation(review, 1)
        status = queries.recommendation_status(rec)
        assert status.category == "in_progress"
        assert status.reason.startswith("From the progress of the 2 actions that deliver it:")
        assert "1 of 2 complete" in status.reason and "1 of 2 waiting on WEB" in status.reason


def test_overview_counts_each_action_holding_its_progress_once(app, client_for):
    council_plan(app)
    page = client_for("committee").page("/?review=AN").text
    assert "3 actions (3 holding their progress on the action itself), 0 measures." in page
    assert "Actions by status" in page and "1 of 3 actions are complete." in page


# --- committee reports ------------------------------------------------------------------------

def test_appendix_b_gives_an_action_holding_its_progress_one_row(app):
    council_plan(app)
    with app.app_context():
        report = builders.appendix_b(builders.load_review("AN"), owners=True)
    table = next(b for b in report["blocks"] if b["type"] == "table")
    assert table["columns"] == ["Ref-Id", "Action", "Progress", "Status", "Comment", "Owner", "Target date"]
    assert sum(table["widths"]) == 100 and len(table["widths"]) == len(table["columns"])
    assert [r[0] for r in table["rows"]] == ["R1", "R2", "R3"]
    r1, r2, _ = table["rows"]
    assert r1[1] == {"title": "Put council tax online", "numbered": []} and r1[2] == "Completed in May."
    assert r1[3] == "Complete" and r2[3] == "Dependent: waits on WEB"
    sheet = report["sheets"][0]
    assert [(r[2], r[4], r[6], r[7]) for r in sheet["rows"]] == [
        ("R1", "", "Completed in May.", "Complete"),
        ("R2", "", "Awaiting the outcome of the new website project", "Dependent"), ("R3", "", "", "Not started")]


def test_appendix_b_of_a_mixed_plan_adds_a_status_column_and_keeps_carlisle_rows(app):
    with app.app_context():
        before = builders.appendix_b(builders.load_review("CC"))
    ref = add_progress_action(app)
    with app.app_context():
        after = builders.appendix_b(builders.load_review("CC"))
    old_rows = {r[0]: r for b in before["blocks"] if b["type"] == "table" for r in b["rows"]}
    tables = [b for b in after["blocks"] if b["type"] == "table"]
    assert tables[0]["columns"] == ["Ref-Id", "Detail", "Measured Output", "Status", "Comment"]
    rows = {r[0]: r for b in tables for r in b["rows"]}
    assert rows[ref][1:4] == [{"title": "Publish service standards", "numbered": []}, PROGRESS, "In progress"]
    for carlisle_ref, old in old_rows.items():
        new = rows[carlisle_ref]
        assert new[:3] == old[:3] and new[4] == old[3]  # ref, detail and numbered outputs unchanged
    # The Carlisle plan alone is printed exactly as the source paper (four columns).
    assert before["blocks"][3]["columns"] == ["Ref-Id", "Detail", "Measured Output", "Comment"]
    sheet = [r for r in after["sheets"][0]["rows"] if r[2] == ref]
    assert sheet == [["Environment", "", ref, "Publish service standards", "", "", PROGRESS, "In progress", "", ""]]


def test_every_format_prints_the_progress_text(app, tmp_path):
    council_plan(app)
    with app.app_context():
        report = builders.appendix_b(builders.load_review("AN"))
        files = {fmt: render(report, fmt) for fmt in ("html", "docx", "xlsx", "csv", "pdf")}
    html = files["html"].decode() if isinstance(files["html"], bytes) else files["html"]
    assert "Awaiting the outcome of the new website project" in html and ">Progress<" in html
    cells = [c.text for t in Document(io.BytesIO(files["docx"])).tables for row in t.rows for c in row.cells]
    assert "Completed in May." in cells and "Complete" in cells
    book = load_workbook(io.BytesIO(files["xlsx"]))
    values = [c for row in book["Appendix B"].iter_rows(values_only=True) for c in row]
    assert "Completed in May." in values
    csv_text = files["csv"].decode("utf-8-sig") if isinstance(files["csv"], bytes) else files["csv"]
    assert any("Completed in May." in row for row in csv.reader(io.StringIO(csv_text)))
    assert files["pdf"].startswith(b"%PDF")


def test_summary_and_since_last_report_treat_progress_as_one_item(app):
    council_plan(app)
    with app.app_context():
        review = builders.load_review("AN")
        baseline = builders.plan_state(review)
        assert set(baseline["measures"]) == {"R1|0", "R2|0", "R3|0"}
        r3 = next(a for a in review.actions if a.ref == "R3")
        update_measure(r3.own_progress, category=None, text="Complete: live since June.")
        db.session.flush()
        report = builders.build("summary", builders.load_review("AN"), since=baseline, since_label="the last report")
        db.session.rollback()
    texts = [b.get("text", "") for b in report["blocks"]]
    assert any("3 actions (3 holding their progress on the action itself), 0 measures." in t for t in texts)
    assert any(t.startswith("2 of 3 actions are complete") for t in texts)
    # Progress held on the action is one item, named by the action's title (no measure number).
    [completed] = next(b for b in report["blocks"] if b.get("sheet") == "Completed")["rows"]
    assert completed[0] == "R3" and completed[1]["numbered"] == [] and completed[2:] == [
        "Not started", "Complete: live since June."]


# --- exports ----------------------------------------------------------------------------------

def test_json_export_holds_progress_on_the_action(app, client_for):
    council_plan(app)
    response = client_for("committee").get("/exports/AN.json")
    data = json.loads(response.get_data(as_text=True))
    actions = {a["ref"]: a for a in data["reviews"][0]["actions"]}
    assert actions["R1"]["measures"] == []
    assert actions["R1"]["progress"] == {"text": "Completed in May.", "status": "complete", "depends_on": None}
    assert actions["R2"]["progress"] == {"text": "Awaiting the outcome of the new website project",
                                         "status": "dependent", "depends_on": "WEB"}
    with app.app_context():
        carlisle = {a["ref"]: a for a in export_all(["CC"])["reviews"][0]["actions"]}
    assert "progress" not in carlisle["CC-01-ENV-01"] and len(carlisle["CC-01-ENV-01"]["measures"]) >= 2


def test_workbook_has_one_row_per_progress_and_reads_back(app):
    council_plan(app)
    with app.app_context():
        data = export_all(["AN"])["reviews"][0]
    content = review_workbook(data)
    sheet = load_workbook(io.BytesIO(content))["Measures"]
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[4], r[5], r[6], r[7]) for r in rows] == [
        ("R1", None, None, "Completed in May.", "complete"),
        ("R2", None, None, "Awaiting the outcome of the new website project", "dependent"),
        ("R3", None, None, None, "not_started")]
    back = {a["ref"]: a for a in read_export_workbook(content)["actions"]}
    assert back["R2"]["measures"] == [] and back["R2"]["progress"] == {
        "text": "Awaiting the outcome of the new website project", "status": "dependent", "depends_on": "WEB"}
    assert back["R3"]["progress"] == {"text": "", "status": "not_started", "depends_on": None}
