"""The Alembic migrations build the schema from nothing, match the models, and take the seed."""
from __future__ import annotations

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import func, inspect, select

from tracker import create_app
from tracker.extensions import db
from tracker.imports.seed import load_seeds
from tracker.models import Action
from tracker.models.search_index import include_name


def test_upgrade_builds_an_empty_database_that_matches_the_models(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        assert "action" not in inspect(db.engine).get_table_names()
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"include_name": include_name}), db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        load_seeds(app.config["SEEDS_DIR"])
        assert db.session.scalar(select(func.count(Action.id))) == 87
        db.session.remove()
        db.drop_all()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        db.engine.dispose()
