"""Seeded databases for tests, built once and copied: loading the seed takes seconds (about 575
flushes); copying the result takes milliseconds on SQLite (the sqlite3 backup API, into an in-memory
database or a file) and a fraction of a second on PostgreSQL (CREATE DATABASE ... TEMPLATE).

Every copy is a real, separate database, so tests commit, use threads or other processes exactly as
they would on one built from nothing."""
from __future__ import annotations

import sqlite3
from hashlib import sha1

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from tracker import create_app
from tracker.extensions import db


def _kind(app, seed: bool) -> tuple:
    """What the built database depends on besides the code: a copy is only reused for the same."""
    return (seed, str(app.config["SEEDS_DIR"]), app.config.get("PASSWORD_HASH_METHOD"))


def _admin_engine(url: str):
    """Connects to the server's maintenance database: a database cannot be dropped from inside."""
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


class SeededCopies:
    def __init__(self, build):
        self.build = build  # build(app, seed): makes the database the slow way
        self.sqlite: dict[tuple, sqlite3.Connection] = {}
        self.postgres: dict[tuple, str] = {}  # kind and server -> the template database's URL

    def fill(self, app, seed: bool) -> None:
        """Make the app's database hold what build(app, seed) would make, whatever it holds now."""
        with app.app_context():
            db.session.remove()
            dialect = db.engine.dialect.name
        if dialect == "sqlite":
            self._fill_sqlite(app, seed)
        elif dialect == "postgresql":
            self._fill_postgres(app, seed)
        else:
            self.build(app, seed)

    # SQLite -------------------------------------------------------------------------------------

    def _fill_sqlite(self, app, seed: bool) -> None:
        kind = _kind(app, seed)
        if kind not in self.sqlite:
            builder = create_app("test", SQLALCHEMY_DATABASE_URI="sqlite://", SEEDS_DIR=app.config["SEEDS_DIR"],
                                 PASSWORD_HASH_METHOD=app.config.get("PASSWORD_HASH_METHOD"))
            self.build(builder, seed)
            template = sqlite3.connect(":memory:", check_same_thread=False)
            with builder.app_context():
                self._copy_sqlite(db.engine, into=template)
                db.engine.dispose()
            self.sqlite[kind] = template
        with app.app_context():
            raw = db.engine.raw_connection()  # in memory: the one connection every session shares
            try:
                raw.rollback()
                self.sqlite[kind].backup(raw.driver_connection)
            finally:
                raw.close()

    @staticmethod
    def _copy_sqlite(engine, into: sqlite3.Connection) -> None:
        raw = engine.raw_connection()
        try:
            raw.driver_connection.backup(into)
        finally:
            raw.close()

    # PostgreSQL ---------------------------------------------------------------------------------

    def _fill_postgres(self, app, seed: bool) -> None:
        url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
        kind = (*_kind(app, seed), url.set(database="").render_as_string(hide_password=False))
        if kind not in self.postgres:
            name = f"{url.database}_tpl_{sha1(repr(kind).encode()).hexdigest()[:10]}"
            template = url.set(database=name).render_as_string(hide_password=False)
            self.recreate_postgres(template)
            builder = create_app("test", SQLALCHEMY_DATABASE_URI=template, SEEDS_DIR=app.config["SEEDS_DIR"],
                                 PASSWORD_HASH_METHOD=app.config.get("PASSWORD_HASH_METHOD"))
            self.build(builder, seed)
            with builder.app_context():
                db.engine.dispose()  # a template must have no one connected while it is copied
            self.postgres[kind] = template
        with app.app_context():
            db.engine.dispose()
        self.recreate_postgres(url.render_as_string(hide_password=False),
                               template=make_url(self.postgres[kind]).database)

    @staticmethod
    def recreate_postgres(url: str, template: str | None = None) -> None:
        """Drop the database at url (whoever is still connected) and create it again, empty or as a
        copy of template."""
        name = make_url(url).database
        admin = _admin_engine(url)
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        finally:
            admin.dispose()

    def drop_postgres_templates(self) -> None:
        for template in self.postgres.values():
            name = make_url(template).database
            admin = _admin_engine(template)
            try:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            finally:
                admin.dispose()
        self.postgres.clear()
