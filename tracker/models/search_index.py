"""The database's own full-text index over the plan: what an action search looks through.

An action is found by its ref, title and detail, and by its measures' text and measured output.
PostgreSQL: a stored generated column ``search_document`` (``to_tsvector('english', ...)``, English
stemming, so "trained" finds "training") on each table, with a GIN index. Stored rather than an
index on the expression: a search within one review then checks each of its rows' ready-made
tsvector (fast whatever the word) and only a rare word is looked up in the GIN index, where an
expression index alone makes a common word collect every review's matches. SQLite: an FTS5 table
beside each (Porter stemming), kept up to date by triggers. The same DDL serves ``db.create_all()`` (events on the tables below) and the migration
(0015_speed), so tests and upgraded databases hold the same objects; tracker/plan/search.py queries
them with exactly the expressions indexed here.

Alembic batch operations on SQLite copy a table and drop the old one, and its triggers with it: a
migration that alters ``action`` or ``measure`` that way must call ``create_sqlite_search(op)`` again.
"""
from __future__ import annotations

from sqlalchemy import DDL, event

from .plan import Action, Measure

# What is searched, as SQL over the table's own columns (PostgreSQL's generated column).
ACTION_DOCUMENT = "ref || ' ' || title || ' ' || coalesce(detail, '')"
MEASURE_DOCUMENT = "text || ' ' || measured_output"
SEARCH_CONFIG = "'english'::regconfig"
SEARCH_COLUMN = "search_document"

FTS_TABLES = {"action_fts": ("action", ("ref", "title", "detail")),
              "measure_fts": ("measure", ("text", "measured_output"))}


def postgres_statements(table: str) -> list[str]:
    document = ACTION_DOCUMENT if table == "action" else MEASURE_DOCUMENT
    return [f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {SEARCH_COLUMN} tsvector "
            f"GENERATED ALWAYS AS (to_tsvector({SEARCH_CONFIG}, {document})) STORED",
            f"CREATE INDEX IF NOT EXISTS ix_{table}_search ON {table} USING gin ({SEARCH_COLUMN})"]


def sqlite_statements(fts: str) -> list[str]:
    """An external-content FTS5 table (it stores only the index; the text stays in ``table``) and the
    three triggers that keep it in step, then a rebuild from the rows already there."""
    table, columns = FTS_TABLES[fts]
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"DROP TABLE IF EXISTS {fts}",
        f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', content_rowid='id', "
        f"tokenize='porter unicode61')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {names} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def create_sqlite_search(op) -> None:
    """For migrations: (re)create the FTS tables and triggers, rebuilt from the rows there."""
    for fts in FTS_TABLES:
        for statement in sqlite_statements(fts):
            op.execute(statement)


SEARCH_INDEXES = frozenset({"ix_action_search", "ix_measure_search"})


def include_name(name, type_, parent_names) -> bool:
    """For Alembic's autogenerate (``db migrate``, tests/web/test_migrations.py): the FTS5 tables, their
    shadow tables, PostgreSQL's search columns and their GIN indexes are made here, not by the models."""
    if type_ == "table" and name:
        return not any(name == f or name.startswith(f + "_") for f in FTS_TABLES)
    if type_ == "column":
        return name != SEARCH_COLUMN
    return not (type_ == "index" and name in SEARCH_INDEXES)


for _fts, (_table, _) in FTS_TABLES.items():
    _model_table = Action.__table__ if _table == "action" else Measure.__table__
    for _statement in sqlite_statements(_fts):
        event.listen(_model_table, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
    # The FTS table refers to its content table: it goes when the table goes (drop_all in tests).
    event.listen(_model_table, "before_drop", DDL(f"DROP TABLE IF EXISTS {_fts}").execute_if(dialect="sqlite"))
    for _statement in postgres_statements(_table):
        event.listen(_model_table, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
