"""pg_dump / pg_restore round trip into a scratch PostgreSQL database (only on the PostgreSQL run)."""
from __future__ import annotations

import os
import shutil

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url

from tests.conftest import make_app
from tracker import create_app
from tracker.extensions import db
from tracker.models import Action, Change, Measure

URL = os.environ.get("TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not URL.startswith("postgresql") or not shutil.which("pg_dump"),
                                reason="needs the PostgreSQL run and pg_dump")


def test_pg_backup_and_restore_into_an_empty_database(tmp_path):
    live = make_app()
    with live.app_context():
        before = tuple(db.session.scalar(select(func.count(m.id))) for m in (Action, Measure, Change))
    assert live.test_cli_runner().invoke(args=["backup", str(tmp_path / "dump")]).exit_code == 0
    scratch = f"bvt_restore_{os.getpid()}"
    admin = create_engine(URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{scratch}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{scratch}"')
    try:
        target = make_url(URL).set(database=scratch).render_as_string(hide_password=False)
        restored = create_app("test", SQLALCHEMY_DATABASE_URI=target)
        result = restored.test_cli_runner().invoke(args=["restore", str(tmp_path / "dump")])
        assert result.exit_code == 0, result.output
        with restored.app_context():
            after = tuple(db.session.scalar(select(func.count(m.id))) for m in (Action, Measure, Change))
            db.session.remove()
            db.engine.dispose()
        assert after == before
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        admin.dispose()
        with live.app_context():
            db.engine.dispose()
