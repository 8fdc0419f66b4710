"""Flask extensions, created once and bound to the app in create_app()."""
from __future__ import annotations

import click
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from .htmx import htmx  # noqa: F401  (bound to the app with the others in create_app)


class Base(DeclarativeBase):
    # Named constraints so Alembic migrations can alter them on SQLite and PostgreSQL alike.
    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


class _MigrateConfig:
    """What Flask-Migrate keeps in ``app.extensions["migrate"]`` (read by migrations/env.py and by
    ``flask_migrate.upgrade()``), with Flask-Migrate itself, and so Alembic, imported on first use."""

    def __init__(self, db, directory: str, **configure_args):
        self.db = db
        self.directory = directory
        self.configure_args = {"compare_type": True, "render_as_batch": True, **configure_args}
        self._migrate = None

    @property
    def metadata(self):
        return self.db.metadata

    @property
    def migrate(self):
        if self._migrate is None:
            from flask_migrate import Migrate
            self._migrate = Migrate(db=self.db, directory=self.directory, **self.configure_args)
        return self._migrate


class _DbCommands(click.Group):
    """``flask db ...``: Flask-Migrate's command group, loaded only when a ``db`` command runs.
    Importing it imports Alembic (a third of a second of CPU), which ``flask --help``, the job
    worker and every web process would otherwise pay at start."""

    def __init__(self):
        super().__init__("db", help="Perform database migrations.", short_help="Perform database migrations.")

    @staticmethod
    def _group() -> click.Group:
        from flask_migrate.cli import db as commands
        return commands

    def get_params(self, ctx):
        return self._group().get_params(ctx)

    def list_commands(self, ctx):
        return self._group().list_commands(ctx)

    def get_command(self, ctx, name):
        return self._group().get_command(ctx, name)

    def invoke(self, ctx):
        return self._group().invoke(ctx)


class Migrations:
    """Flask-Migrate's ``Migrate``, bound lazily (see _DbCommands)."""

    def init_app(self, app, db, directory: str, **configure_args) -> None:
        app.extensions["migrate"] = _MigrateConfig(db, directory, **configure_args)
        app.cli.add_command(_DbCommands())


db = SQLAlchemy(model_class=Base)
migrate = Migrations()
login_manager = LoginManager()
csrf = CSRFProtect()
