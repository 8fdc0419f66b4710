"""Fixtures: an app on a fresh database (SQLite in memory, or PostgreSQL via TEST_DATABASE_URL)
loaded with the seed, one user per role, and clients signed in as each.

The seeded database is built once per session and copied for each test (tests/seeded_copies.py), so
a test may commit, start threads or run CLI commands as it likes: the next one starts from the seed."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import event

from tests.client import PASSWORD, Client, Page, csrf_from  # noqa: F401  (imported by tests)
from tests.seeded_copies import SeededCopies
from tracker import create_app
from tracker.extensions import db

ROOT = Path(__file__).resolve().parents[1]
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
ROLES = ("admin", "manager", "liaison", "committee", "owner")


@pytest.fixture(scope="session", autouse=True)
def clean_postgres_schema():
    """Start the PostgreSQL run from empty databases: one left with other tables (an older schema,
    another branch's) would make drop_all fail on their foreign keys."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        seeded_copies.recreate_postgres(url)
        seeded_copies.recreate_postgres(second_database_url())
    yield
    seeded_copies.drop_postgres_templates()


def build_database(app, seed: bool) -> None:
    """The slow way, from nothing: the schema, the seed (about 575 flushes) and one user per role."""
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.create_all()
        if seed:
            from tracker.imports.seed import load_seeds
            load_seeds(app.config["SEEDS_DIR"])
        from tracker.people.operations import create_user
        for role in ROLES:
            create_user(email=f"{role}@example.gov.uk", name=f"{role.capitalize()} User", role=role,
                        password=PASSWORD)
        db.session.commit()
        db.session.remove()


# The database is built once per session and kind (seeded or not) and copied for each app.
seeded_copies = SeededCopies(build_database)


def make_app(seed: bool = True, **overrides):
    """A new app on a database of its own at its URL, holding the seed (unless seed=False) and one
    user per role, as if built from nothing."""
    app = create_app("test", **overrides)
    seeded_copies.fill(app, seed)
    return app


@pytest.fixture(scope="session")
def shared_app():
    """One app object for the session's `app` tests: building one costs more than copying the database
    (werkzeug compiles some 250 routes), so `app` refills its database and restores its config instead."""
    app = create_app("test")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(shared_app):
    """An app on a freshly seeded database with one user per role. Everything a test writes, commits
    included, and every config change it makes, is gone before the next test."""
    config = dict(shared_app.config)
    seeded_copies.fill(shared_app, seed=True)
    shared_app.extensions.pop("page_store", None)  # pages drawn from the last test's database
    yield shared_app
    with shared_app.app_context():
        db.session.remove()
    shared_app.config.clear()
    shared_app.config.update(config)


@pytest.fixture
def own_database_app(tmp_path):
    """An app of its own on a seeded database that is a real file (SQLite) or database (PostgreSQL):
    for tests that commit across connections, processes or threads, as `app` does too, but apart."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        from sqlalchemy.engine import make_url
        target = make_url(url)
        url = target.set(database=f"{target.database}_own").render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{tmp_path / 'own.sqlite'}"
    app = make_app(SQLALCHEMY_DATABASE_URI=url)  # on PostgreSQL, creates that database from a template
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def second_database_url() -> str | None:
    """On PostgreSQL, a second database beside the first, for tests that need two at once."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return None  # SQLite in memory: every app has its own database anyway
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    target = make_url(url)
    name = f"{target.database}_second"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).scalar():
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return target.set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def empty_app():
    second = second_database_url()
    app = make_app(seed=False, **({"SQLALCHEMY_DATABASE_URI": second} if second else {}))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client_for(app):
    return lambda role=None: Client(app, role)


@pytest.fixture
def count_queries(app):
    """Counts SQL statements issued inside the `with` block."""
    from contextlib import contextmanager

    @contextmanager
    def counter():
        statements: list[str] = []
        with app.app_context():
            engine = db.engine

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counter


def pytest_report_header(config):
    url = os.environ.get("TEST_DATABASE_URL")
    return f"database: {url or 'SQLite in memory'}"
