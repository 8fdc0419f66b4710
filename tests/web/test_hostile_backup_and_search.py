"""A backup is readable by its owner only; search text is literal (no LIKE wildcards)."""
from __future__ import annotations

import os
import shutil
import stat
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from tests.conftest import make_app
from tracker.extensions import db
from tracker.models import Action, Element, Measure, Review
from tracker.plan.queries import ActionFilters, filtered_actions
from tracker.standards.queries import search_actions, search_elements

PG_URL = os.environ.get("TEST_DATABASE_URL", "")


@contextmanager
def umask(value: int):
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def live_app(tmp_path):
    """A database with a file to copy: SQLite on disk, or the PostgreSQL test database."""
    if PG_URL.startswith("postgresql"):
        if not shutil.which("pg_dump"):
            pytest.skip("pg_dump is not installed")
        app = make_app()
    else:
        app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.sqlite'}")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("mask", [0o022, 0o000], ids=["umask-022", "umask-000"])
def test_the_backup_file_holding_password_hashes_is_0600(live_app, tmp_path, mask):
    target = tmp_path / "out" / "backup.db"
    with umask(mask):
        result = live_app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert _mode(target) == 0o600
    assert target.stat().st_size > 0
    assert not [p for p in target.parent.iterdir() if p != target]  # no journal or temporary file left beside it


def test_a_backup_never_reuses_a_file_someone_else_created(live_app, tmp_path):
    planted = tmp_path / "planted.db"
    planted.write_bytes(b"mine")
    planted.chmod(0o644)
    result = live_app.test_cli_runner().invoke(args=["backup", str(planted)])
    assert result.exit_code != 0 and "already exists" in result.output
    assert planted.read_bytes() == b"mine" and _mode(planted) == 0o644


def test_a_failed_backup_leaves_no_file(tmp_path):
    app = make_app()  # SQLite in memory (or PostgreSQL): either way no file is left behind on failure
    target = tmp_path / "failed.db"
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "postgresql":
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        engine = create_engine(make_url(PG_URL).set(database="no_such_database_here"))
    from tracker.backup import BackupError, backup
    with pytest.raises(BackupError):
        backup(engine, target)
    assert not target.exists()


# --- search ---

def _texts_with(app, char: str) -> set[str]:
    """Refs of actions in CC whose ref, title or measure texts contain ``char``, read in Python."""
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        found = set()
        for action in review.actions:
            texts = [action.ref, action.title] + [t for m in action.measures for t in (m.text, m.measured_output)]
            if any(char in (t or "") for t in texts):
                found.add(action.ref)
        return found


def _search(app, q: str) -> set[str]:
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        page = filtered_actions(review, ActionFilters(q=q), size=1000)
        return {a.ref for a in page.items}


def _scrub(app, char: str) -> None:
    with app.app_context():
        for action in db.session.scalars(select(Action)):
            action.title = action.title.replace(char, " ")
            for m in action.measures:
                m.text = m.text.replace(char, " ")
                m.measured_output = (m.measured_output or "").replace(char, " ") or m.measured_output
        db.session.commit()


@pytest.mark.parametrize("char", ["%", "_", "\\"])
def test_wildcards_in_a_search_are_taken_literally(app, client_for, char):
    with app.app_context():
        every = set(db.session.scalars(select(Action.ref).join(Review).where(Review.code == "CC")))
    assert _search(app, char) == _texts_with(app, char) != every  # what Python finds, not every action

    _scrub(app, char)
    assert _texts_with(app, char) == set()
    assert _search(app, char) == set()
    assert _search(app, f"a{char}c") == set()
    page = client_for("committee").get("/actions", query_string={"q": char}).get_data(as_text=True)
    assert "CC-01-ENV-01" not in page

    with app.app_context():
        measure = db.session.scalar(select(Measure).join(Action).where(Action.ref == "CC-02-ENV-02"))
        measure.measured_output = f"Calls answered: 80{char} within 20 seconds"
        db.session.commit()
    assert _search(app, char) == {"CC-02-ENV-02"}
    assert _search(app, f"80{char} within") == {"CC-02-ENV-02"}
    page = client_for("committee").get("/actions", query_string={"q": char}).get_data(as_text=True)
    assert "CC-02-ENV-02" in page and "CC-01-ENV-01" not in page


def test_ordinary_searches_still_find_their_text(app):
    with app.app_context():
        ref = db.session.scalar(select(Action.ref).where(Action.title.ilike("%customer%")).order_by(Action.id))
    assert ref in _search(app, "CUSTOMER")


def test_the_standards_pickers_take_wildcards_literally_too(app):
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        for char in ("%", "_"):
            found = search_actions(review, char, limit=1000)
            assert len(found) < len(review.actions)
            assert all(char in a.ref + a.title + "".join(m.text for m in a.measures) for a in found)
            elements = search_elements(char, limit=1000)
            assert all(char in e.code + e.text for e in elements)
            assert len(elements) < db.session.scalar(select(func.count(Element.id)))
        assert search_elements("1.3.1")  # an ordinary element code is still found
