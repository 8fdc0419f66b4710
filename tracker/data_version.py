"""The data version: one number that moves in the same transaction as any write to what pages show.

Every engine the app uses is watched below the ORM (``before_cursor_execute``), so a write counts
however it was made: the one door's operations, a command, an import, a job's own connection, a
bulk statement. At the commit of a transaction that wrote, the counter row is updated inside that
transaction, just before it commits, so the new number and the new rows become visible together:
a request that reads the new number can only see the new data (PostgreSQL READ COMMITTED: each
statement sees what was committed before it began; SQLite: one snapshot per read transaction).

Not counted, because no page is drawn from them and they are written by reading pages: the
server-side session's last-seen time and the sign-in throttle's counters. A transaction that
changes the schema moves nothing (a migration comes with a deployment, which empties every
worker's stored pages; tracker/page_store.py).
"""
from __future__ import annotations

import re

from flask import Flask, g
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from .extensions import db
from .models.data_version import DataVersion

NOT_SHOWN = frozenset({"user_session", "sign_in_counter", "data_version"})
_WROTE = "tracker.wrote"
_SCHEMA = "tracker.schema_changed"
_TABLE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?(?:\s|$)', re.I)
_SCHEMA_VERBS = frozenset({"CREATE", "ALTER", "DROP"})
# Statements that never change rows; anything else not recognised counts as a write.
_READ_VERBS = frozenset({"SELECT", "SHOW", "EXPLAIN", "PRAGMA", "SET", "BEGIN", "COMMIT", "ROLLBACK",
                         "SAVEPOINT", "RELEASE", "ANALYZE", "VACUUM"})
BUMP = "UPDATE data_version SET n = n + 1 WHERE id = 1"


def _note_write(conn, cursor, statement, parameters, context, executemany) -> None:
    head = statement[:100].lstrip()
    verb = head.split(None, 1)[0].upper() if head else ""
    if verb in _READ_VERBS:
        return
    if verb in _SCHEMA_VERBS:
        conn.info[_SCHEMA] = True
        return
    table = m.group(1).lower() if (m := _TABLE.match(head)) is not None else None
    if table not in NOT_SHOWN:  # an unnamed or unknown target (WITH, TRUNCATE, INSERT OR REPLACE) counts
        conn.info[_WROTE] = True


def _move_at_commit(conn) -> None:
    wrote = conn.info.pop(_WROTE, False)
    if conn.info.pop(_SCHEMA, False) or not wrote:
        return
    conn.exec_driver_sql(BUMP)


def _forget(conn) -> None:
    conn.info.pop(_WROTE, None)
    conn.info.pop(_SCHEMA, None)


def watch(engine: Engine) -> None:
    if not event.contains(engine, "commit", _move_at_commit):
        event.listen(engine, "before_cursor_execute", _note_write)
        event.listen(engine, "commit", _move_at_commit)
        event.listen(engine, "rollback", _forget)


def init_app(app: Flask) -> None:
    with app.app_context():
        for engine in db.engines.values():
            watch(engine)


_READ = select(DataVersion.n).where(DataVersion.id == 1)


def column():
    """The version as a column to add to a request's first statement (tracker/plan/review_context.py)."""
    return _READ.scalar_subquery()


def current() -> int | None:
    """The version now (or as read earlier in this request, with its first statement); None when the
    database has no counter (pages are then never stored)."""
    if "data_version" in g:
        return g.data_version
    return db.session.execute(_READ).scalar()
