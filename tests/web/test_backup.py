"""backup writes a consistent copy while the app runs; restore loads it into an empty database."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select

from tests.conftest import make_app
from tracker import create_app
from tracker.extensions import db
from tracker.models import Action, Change, Measure

pytestmark = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                                reason="file-based SQLite backup; PostgreSQL uses pg_dump (see README)")


def counts(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count(m.id))) for m in (Action, Measure, Change))


def test_backup_then_restore_into_an_empty_database(tmp_path):
    live = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.sqlite'}")
    with live.app_context():
        db.session.scalar(select(Measure).limit(1)).measured_output = "Changed before the backup"
        db.session.commit()
    before = counts(live)
    result = live.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy.sqlite")])
    assert result.exit_code == 0, result.output

    empty = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'new.sqlite'}")
    result = empty.test_cli_runner().invoke(args=["restore", str(tmp_path / "copy.sqlite")])
    assert result.exit_code == 0, result.output
    assert counts(empty) == before
    with empty.app_context():
        assert db.session.scalar(select(Measure.measured_output).order_by(Measure.id).limit(1)) == \
            "Changed before the backup"


def test_backup_never_overwrites_and_restore_refuses_a_non_empty_database(tmp_path):
    live = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.sqlite'}")
    runner = live.test_cli_runner()
    assert runner.invoke(args=["backup", str(tmp_path / "copy.sqlite")]).exit_code == 0
    again = runner.invoke(args=["backup", str(tmp_path / "copy.sqlite")])
    assert again.exit_code != 0 and "already exists" in again.output
    refused = runner.invoke(args=["restore", str(tmp_path / "copy.sqlite")])
    assert refused.exit_code != 0 and "not empty" in refused.output


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_text("this is not a database")
    empty = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'new.sqlite'}")
    result = empty.test_cli_runner().invoke(args=["restore", str(junk)])
    assert result.exit_code != 0 and "is not an SQLite backup" in result.output
    result = empty.test_cli_runner().invoke(args=["restore", str(tmp_path / "missing.sqlite")])
    assert result.exit_code != 0 and "does not exist" in result.output
