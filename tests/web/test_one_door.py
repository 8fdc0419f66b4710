"""One door for every change: one commit per request (or command), and imports write through the
same field setter as the pages (same history rows, same version bump, same ``updated_at``)."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from tests.conftest import make_app, second_database_url
from tests.web.versions import version_in_form
from tracker.extensions import db
from tracker.models import Action, Change, Measure

TRACKER = Path(__file__).resolve().parents[2] / "tracker"
REF, NUMBER = "CC-03-ENV-03", 4  # "Outcome of CCC Project": waits on the CCC project
LABEL = f"{REF} measure {NUMBER}"
LONG_AGO = dt.datetime(2001, 1, 1)


def _make_stale(app) -> None:
    """Nobody has touched the action for years: it is on the stale list and its owner is chased."""
    with app.app_context():
        action_id = db.session.scalar(select(Action.id).where(Action.ref == REF))
        db.session.execute(update(Action).where(Action.id == action_id).values(updated_at=LONG_AGO),
                           execution_options={"synchronize_session": False})
        db.session.execute(update(Measure).where(Measure.action_id == action_id).values(updated_at=LONG_AGO),
                           execution_options={"synchronize_session": False})
        db.session.commit()


def _outcome(app) -> dict:
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.ref == REF))
        measure = next(m for m in action.measures if m.number == NUMBER)
        rows = db.session.scalars(select(Change).where(Change.entity_label == LABEL, Change.field != "created")
                                  .order_by(Change.id)).all()
        return {"history": sorted((c.field, c.before, c.after) for c in rows),
                "measure": (measure.measured_output, measure.status,
                            measure.depends_on.code if measure.depends_on else None, measure.version),
                "action_updated": action.updated_at, "measure_updated": measure.updated_at}


def _import_progress(app, text: str) -> None:
    """The review as an exported plan with one progress text changed, imported like a workbook or
    paper (statuses left to be read from the text, as the page does when none is chosen)."""
    from tracker.exports.plan_json import export_all
    from tracker.imports.operations import apply_import, plan_data_import

    with app.test_request_context():
        data = export_all(["CC"])["reviews"][0]
        for action in data["actions"]:
            for m in action["measures"]:
                m.pop("status", None)
                m.pop("depends_on", None)
                if action["ref"] == REF and m["number"] == NUMBER:
                    m["measured_output"] = text
        plan = plan_data_import(data, "CC")
        assert plan.ok, plan.problems
        apply_import(plan, note="import cc.xlsx")
        db.session.commit()  # the caller's transaction (a request or a command) ends here


@pytest.fixture
def second_app():
    second = second_database_url()
    other = make_app(**({"SQLALCHEMY_DATABASE_URI": second} if second else {}))
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_an_import_and_a_page_leave_the_same_history_and_both_clear_staleness(app, second_app, client_for):
    page_app, import_app = app, second_app
    _make_stale(page_app)
    _make_stale(import_app)
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=5)

    manager = client_for("manager")
    path = f"/actions/{REF}/measures/{NUMBER}"
    response = manager.post(path, token_from=f"/actions/{REF}", data={
        "measured_output": "Complete", "status": "", "note": "",
        "version": version_in_form(manager, f"/actions/{REF}", path)})
    assert response.status_code == 303
    _import_progress(import_app, "Complete")

    by_page, by_import = _outcome(page_app), _outcome(import_app)
    expected = sorted([("measured_output", "Outcome of CCC Project", "Complete"),
                       ("status", "dependent", "complete"),
                       ("depends_on", "CCC", None)])  # the project's code, as the page shows it
    assert by_page["history"] == expected
    assert by_import["history"] == by_page["history"]
    assert by_import["measure"] == by_page["measure"] == ("Complete", "complete", None, 2)
    for outcome in (by_page, by_import):
        # The progress update takes the action off the stale list, whichever door it came through.
        assert outcome["action_updated"] > started and outcome["measure_updated"] > started


def test_an_import_that_changes_nothing_leaves_versions_and_dates_alone(app):
    _make_stale(app)
    before = _outcome(app)
    _import_progress(app, "Outcome of CCC Project")
    assert _outcome(app) == before


# --- one commit per request ---

COMMIT = re.compile(r"\.commit\(\)")
ROLLBACK = re.compile(r"\.rollback\(\)")
# The only places a transaction ends: the per-request/per-command helpers, and (rollback only) the
# error handlers that draw a page after a failed statement.
MAY_COMMIT = {"transactions.py"}
MAY_ROLL_BACK = {"transactions.py", "web.py"}


def _calls(pattern) -> set[str]:
    return {str(path.relative_to(TRACKER)) for path in TRACKER.rglob("*.py")
            if pattern.search(path.read_text(encoding="utf-8"))}


def test_only_the_transaction_helpers_commit_or_roll_back():
    assert _calls(COMMIT) - MAY_COMMIT == set()
    assert _calls(ROLLBACK) - MAY_ROLL_BACK == set()
    assert "transactions.py" in _calls(COMMIT)  # the check reads the real source


def test_every_view_commits_through_the_request_hook(app):
    from tracker.transactions import UNWRAPPED_ENDPOINTS
    unwrapped = [endpoint for endpoint, view in app.view_functions.items()
                 if endpoint not in UNWRAPPED_ENDPOINTS and not getattr(view, "commits_per_request", False)]
    assert unwrapped == []


def _database(app) -> tuple:
    with app.app_context():
        measure = db.session.scalar(select(Measure).join(Action).where(Action.ref == REF, Measure.number == NUMBER))
        return (measure.measured_output, measure.status, measure.version, measure.updated_at,
                db.session.scalar(select(func.count(Change.id))))


def _post_update(manager):
    path = f"/actions/{REF}/measures/{NUMBER}"
    return manager.post(path, token_from=f"/actions/{REF}", data={
        "measured_output": "Complete", "status": "", "note": "",
        "version": version_in_form(manager, f"/actions/{REF}", path)})


def test_a_view_that_fails_after_a_flush_leaves_nothing_written(app, client_for, monkeypatch):
    from tracker.plan import editing
    real_update = editing.update_measure

    def update_then_fail(measure, **kwargs):
        real_update(measure, **kwargs)
        db.session.flush()  # the UPDATE and the history rows have reached the database
        raise RuntimeError("the view failed after writing")

    monkeypatch.setattr(editing, "update_measure", update_then_fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the person gets the 500 page
    manager = client_for("manager")
    before = _database(app)
    assert _post_update(manager).status_code == 500
    assert _database(app) == before


def test_a_refusal_answered_with_4xx_is_rolled_back_even_if_the_view_forgets(app, client_for, monkeypatch):
    from tracker.plan import editing
    from tracker.plan.operations import Refused
    real_update = editing.update_measure

    def update_then_refuse(measure, **kwargs):
        real_update(measure, **kwargs)
        db.session.flush()
        raise Refused("refused after a part of the change was made", "measured_output")

    monkeypatch.setattr(editing, "update_measure", update_then_refuse)
    monkeypatch.setattr(editing, "discard_changes", lambda: None)  # the view forgets to undo it
    manager = client_for("manager")
    before = _database(app)
    response = _post_update(manager)
    assert response.status_code == 400
    assert _database(app) == before


def test_a_saved_change_is_committed_once_by_the_request(app, client_for):
    manager = client_for("manager")
    before = _database(app)
    assert _post_update(manager).status_code == 303
    after = _database(app)
    assert after[:3] == ("Complete", "complete", before[2] + 1)
    assert after[4] == before[4] + 3  # measured_output, status, depends_on


def test_a_failed_sign_in_is_still_counted_and_audited(app, client_for):
    """The explicit early commit (commit_now): kept although the page answers 400."""
    from tracker.models import SignInCounter
    visitor = client_for()
    response = visitor.sign_in("manager@example.gov.uk", "not the password")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.sum(SignInCounter.count))) == 2  # by email and by address
        assert db.session.scalar(select(func.count(Change.id)).where(
            Change.field == "failed_sign_in", Change.entity_label == "manager@example.gov.uk")) == 1


# --- seed and import summaries ---

SUMMARY = re.compile(r"^(?P<name>\S+): (?P<created>\d+) created, (?P<updated>\d+) updated, "
                     r"(?P<unchanged>\d+) unchanged$", re.M)


def _seed(app) -> dict[str, tuple[int, int, int]]:
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    counts = {m["name"]: (int(m["created"]), int(m["updated"]), int(m["unchanged"]))
              for m in SUMMARY.finditer(result.output)}
    assert counts, result.output
    return counts


def test_seed_on_an_empty_database_only_creates_and_a_second_run_changes_nothing(empty_app):
    first = _seed(empty_app)
    second = _seed(empty_app)
    assert set(first) == set(second)
    for name, (created, updated, unchanged) in first.items():
        assert created > 0 and updated == 0 and unchanged == 0, (name, first[name])
        assert second[name] == (0, 0, created), (name, second[name])
