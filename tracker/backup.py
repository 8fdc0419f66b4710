"""Backup and restore of the whole database.

SQLite: the online backup API copies a consistent snapshot while the app keeps running.
PostgreSQL: pg_dump / pg_restore (custom format), which are consistent by design.
Restore only ever writes into an empty database, so it can never merge into or clobber live data.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine, make_url


class BackupError(RuntimeError):
    pass


def _sqlite_path(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("this SQLite database lives in memory; there is no file to back up")
    return database


def _pg_url(engine: Engine) -> str:
    # pg_dump takes a libpq URL, without SQLAlchemy's "+psycopg" driver part.
    url = make_url(engine.url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _create_private(target: Path) -> int:
    """The backup file, created here and only here: owner read/write only (it holds every password
    hash), and O_EXCL so an existing file, or one planted between the check and now, is never reused."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"{target} already exists; choose a new file name (a backup never overwrites)") from None
    os.fchmod(fd, 0o600)  # exactly 0600, whatever the umask
    return fd


def backup(engine: Engine, target: Path) -> Path:
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name (a backup never overwrites)")
    if engine.dialect.name not in ("sqlite", "postgresql"):
        raise BackupError(f"backups of {engine.dialect.name} databases are not supported")
    if engine.dialect.name == "postgresql" and not shutil.which("pg_dump"):
        raise BackupError("pg_dump is not installed (Debian package postgresql-client)")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = _create_private(target)
    if engine.dialect.name == "sqlite":
        os.close(fd)  # an empty file is an empty SQLite database; SQLite's journal copies its mode
        try:
            source = sqlite3.connect(_sqlite_path(engine))
            try:
                destination = sqlite3.connect(str(target))
                with destination:
                    source.backup(destination)
                destination.close()
            finally:
                source.close()
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target
    # pg_dump writes to our 0600 file through its standard output rather than creating its own.
    with os.fdopen(fd, "wb") as out:
        result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", _pg_url(engine)],
                                stdout=out, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return target


def _is_empty(engine: Engine) -> bool:
    from .models.search_index import include_name

    # The full-text index's own tables (SQLite FTS5) and the data version's one row are there even when
    # the plan is empty.
    tables = [t for t in inspect(engine).get_table_names()
              if t not in ("alembic_version", "data_version") and include_name(t, "table", {})]
    if not tables:
        return True
    with engine.connect() as conn:
        return all(conn.exec_driver_sql(f'SELECT COUNT(*) FROM "{t}"').scalar() == 0 for t in tables)


def restore(engine: Engine, source: Path) -> None:
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} does not exist or is not a file")
    if not _is_empty(engine):
        raise BackupError("the database is not empty; restore only into a new, empty database "
                          "(set DATABASE_URL to one) so nothing is overwritten")
    if engine.dialect.name == "sqlite":
        try:
            backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            backup_db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            if backup_db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is damaged (integrity check failed)")
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} is not an SQLite backup: {exc}") from exc
        engine.dispose()
        destination = sqlite3.connect(_sqlite_path(engine))
        try:
            with destination:
                backup_db.backup(destination)
        finally:
            destination.close()
            backup_db.close()
        return
    if engine.dialect.name == "postgresql":
        if not shutil.which("pg_restore"):
            raise BackupError("pg_restore is not installed (Debian package postgresql-client)")
        engine.dispose()
        result = subprocess.run(["pg_restore", "--no-owner", "--clean", "--if-exists", "--single-transaction",
                                 f"--dbname={_pg_url(engine)}", str(source)], capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed (nothing was restored): {result.stderr.strip()}")
        return
    raise BackupError(f"restoring {engine.dialect.name} databases is not supported")
