"""Pages kept after drawing (tracker/page_store.py) until the data version moves (tracker/data_version.py):
never older than the last write, never another session's, with a new nonce every time."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select, text

from tests.client import Page
from tests.web.versions import measure_form
from tracker.extensions import db
from tracker.models import Action, Job, Measure
from tracker.page_store import PageStore, Stored

ACTION = "/actions/CC-01-ENV-01"


def version(app) -> int:
    with app.app_context():
        return db.session.execute(text("SELECT n FROM data_version WHERE id = 1")).scalar_one()


def nonce_of(response) -> str:
    return re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)


def test_a_status_saved_in_the_page_shows_at_once_on_every_stored_page(app, client_for):
    manager, reader = client_for("manager"), client_for("committee")
    for client in (manager, reader):
        for url in (ACTION, "/actions?q=kestrelwatch", "/"):
            client.get(url), client.get(url)  # drawn, then served from the store
        assert "Kestrelwatch signs ordered" not in client.page(ACTION).text
    assert "No actions match" in manager.page("/actions?q=kestrelwatch").text
    data = measure_form(manager, measured_output="Kestrelwatch signs ordered", status="complete")
    assert manager.post(f"{ACTION}/measures/2", data=data).status_code == 303
    shown = manager.page(ACTION)
    assert "Kestrelwatch signs ordered" in shown.text and "Measure 2 of CC-01-ENV-01 updated" in shown.text
    # The message is shown once: the next view is the page without it, still the new text.
    again = manager.page(ACTION).text
    assert "Kestrelwatch signs ordered" in again and "Measure 2 of CC-01-ENV-01 updated" not in again
    # The other reader's stored copies are not served past the write either.
    assert "Kestrelwatch signs ordered" in reader.page(ACTION).text
    assert "1 action matches these filters" in reader.page("/actions?q=kestrelwatch").text


def test_a_page_served_again_carries_a_new_nonce_and_its_forms_still_post(app, client_for, count_queries):
    manager = client_for("manager")
    first = manager.get(ACTION)
    with count_queries() as statements:
        second = manager.get(ACTION)
    assert len(statements) == 2  # the session with its user, the review with the data version: nothing drawn
    old, new = nonce_of(first), nonce_of(second)
    assert old != new
    body = second.get_data(as_text=True)
    assert f'nonce="{new}"' in body and old not in body
    data = Page(second).form(f"{ACTION}/measures/2")
    data.update({"status": "in_progress", "measured_output": "Posted from a stored page", "note": ""})
    assert manager.post(f"{ACTION}/measures/2", data=data).status_code == 303


def test_a_stored_page_is_its_own_sessions_only(app, client_for):
    one, other = client_for("manager"), client_for("manager")  # the same person signed in twice
    one.get(ACTION)
    token_one, token_other = Page(one.get(ACTION)).csrf_token, Page(other.get(ACTION)).csrf_token
    assert token_one != token_other
    committee = client_for("committee").page(ACTION)
    assert not committee.select(f'form[action^="{ACTION}/measures"]')  # drawn for its own role


def test_the_data_version_moves_with_a_committed_write_only(app, client_for):
    reader = client_for("committee")  # signing in is a write: the audit log and the user's last sign-in
    start = version(app)
    for url in (ACTION, "/actions", "/", "/recommendations", "/reports"):
        reader.get(url)
    assert version(app) == start
    with app.app_context():
        measure = db.session.scalar(select(Measure).join(Action).where(Action.ref == "CC-01-ENV-01",
                                                                      Measure.number == 2))
        measure.measured_output = "Rolled back"
        db.session.flush()
        db.session.rollback()
    assert version(app) == start
    with app.app_context():
        db.session.execute(text("UPDATE action SET title = title || '.' WHERE ref = 'CC-01-ENV-01'"))
        db.session.commit()
    assert version(app) == start + 1
    with app.app_context():  # a job's progress is written on a connection of its own
        from tracker.jobs.runner import set_job
        job = Job(id="j1", kind="test", status="queued", progress_done=0)
        db.session.add(job)
        db.session.commit()
        moved = version(app)
        set_job("j1", progress_done=3)
    assert version(app) == moved + 1


def test_a_new_day_draws_the_page_again(app, client_for, count_queries, monkeypatch):
    import tracker.http_cache as http_cache

    reader = client_for("committee")
    reader.get(ACTION)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    monkeypatch.setattr(http_cache, "today", lambda: tomorrow)
    with count_queries() as statements:
        reader.get(ACTION)
    assert len(statements) > 2


def test_with_the_store_off_every_request_draws_its_page(app, client_for, count_queries):
    app.config["PAGE_STORE_MB"] = 0
    reader = client_for("committee")
    reader.get(ACTION)
    with count_queries() as statements:
        reader.get(ACTION)
    assert len(statements) > 2


def test_the_store_keeps_to_its_size_and_age(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr("tracker.page_store.time.monotonic", lambda: clock[0])
    pages = PageStore(max_bytes=25, max_age=60)

    def page(body: bytes) -> Stored:
        return Stored(body, 200, (), None, clock[0])

    pages.put("a", page(b"x" * 10))
    pages.put("b", page(b"y" * 10))
    assert pages.get("a") is not None  # now the most recently used
    pages.put("c", page(b"z" * 10))     # 30 bytes: the least recently used ("b") goes
    assert pages.get("b") is None and pages.get("a") and pages.get("c")
    pages.put("huge", page(b"h" * 26))  # larger than the whole store: never kept
    assert pages.get("huge") is None and len(pages) == 2
    clock[0] += 61
    assert pages.get("a") is None and pages.get("c") is None


def test_browsers_are_still_told_not_to_store_the_working_pages(app, client_for):
    reader = client_for("committee")
    for url in (ACTION, "/actions", "/"):
        for response in (reader.get(url), reader.get(url)):
            assert response.headers["Cache-Control"] == "no-store" and "ETag" not in response.headers, url


@pytest.mark.parametrize(("statement", "wrote", "schema"), [
    ("SELECT n FROM data_version", False, False),
    ("SELECT id FROM action FOR UPDATE", False, False),
    ('UPDATE "user" SET last_sign_in_at=%s WHERE "user".id = %s', True, False),
    ("UPDATE user_session SET last_seen_at=? WHERE user_session.id = ?", False, False),
    ("INSERT INTO sign_in_counter (window_number, key, count) VALUES (?, ?, ?)", False, False),
    ("DELETE FROM user_session", False, False),
    ("  insert into measure (action_id) values (1)", True, False),
    ("INSERT OR REPLACE INTO action (id) VALUES (1)", True, False),
    ("WITH moved AS (UPDATE action SET position = 1 RETURNING id) SELECT count(*) FROM moved", True, False),
    ("TRUNCATE action", True, False),
    ("ALTER TABLE action ADD COLUMN x int", False, True),
    ("SAVEPOINT sa_savepoint_1", False, False),
])
def test_which_statements_move_the_version(statement, wrote, schema):
    from tracker.data_version import _note_write

    class Connection:
        info: dict = {}

    conn = Connection()
    conn.info = {}
    _note_write(conn, None, statement, None, None, False)
    assert (conn.info.get("tracker.wrote", False), conn.info.get("tracker.schema_changed", False)) == (wrote, schema)
