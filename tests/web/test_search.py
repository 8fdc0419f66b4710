"""Searching the action plan through the database's full-text index (PostgreSQL tsvector + GIN;
SQLite FTS5): stemmed words, several words, and the literal search kept for ref ids and odd text."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text

from tracker.extensions import db
from tracker.models import Action, Measure, Review
from tracker.plan.queries import ActionFilters, filtered_actions
from tracker.plan.search import fts5_string, terms, uses_index


def found(app, q: str) -> set[str]:
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        return {a.ref for a in filtered_actions(review, ActionFilters(q=q), size=1000).items}


def set_texts(app, **by_ref) -> None:
    """Give each action (by ref) its first measure's text, its title or its detail, and commit."""
    with app.app_context():
        for ref, (field, value) in by_ref.items():
            action = db.session.scalar(select(Action).where(Action.ref == ref.replace("_", "-")))
            if field == "measure":
                action.measures[0].text = value
            elif field == "output":
                action.measures[0].measured_output = value
            else:
                setattr(action, field, value)
        db.session.commit()


def test_a_word_finds_its_other_forms(app):
    set_texts(app, CC_01_ENV_01=("measure", "Zorbing sessions for counter staff were trained weekly"),
              CC_02_ENV_02=("output", "Zorbing: a training plan is agreed"))
    assert found(app, "zorbing training") == {"CC-01-ENV-01", "CC-02-ENV-02"}
    assert found(app, "Zorbing trains") == {"CC-01-ENV-01", "CC-02-ENV-02"}
    assert found(app, "zorbed") == {"CC-01-ENV-01", "CC-02-ENV-02"}


def test_several_words_must_all_be_there_in_any_field(app):
    set_texts(app, CC_01_ENV_01=("title", "Quokka signage at the civic centre"),
              CC_02_ENV_02=("measure", "Quokka leaflets"))
    set_texts(app, CC_01_ENV_01=("measure", "New wombat posters"))
    assert found(app, "quokka") == {"CC-01-ENV-01", "CC-02-ENV-02"}
    assert found(app, "wombat quokka") == {"CC-01-ENV-01"}  # title and measure of one action
    assert found(app, "quokka -wombat") == {"CC-02-ENV-02"}
    assert found(app, "wombat or leaflets") == {"CC-01-ENV-01", "CC-02-ENV-02"}
    assert found(app, '"quokka signage"') == {"CC-01-ENV-01"}
    assert found(app, '"signage quokka"') == set()


def test_the_detail_and_new_measures_are_found_and_old_words_forgotten(app):
    set_texts(app, CC_03_ENV_03=("detail", "An introduction about capybara visits"))
    assert found(app, "capybara") == {"CC-03-ENV-03"}
    set_texts(app, CC_03_ENV_03=("detail", "An introduction about otters"))
    assert found(app, "capybara") == set()
    assert found(app, "otters") == {"CC-03-ENV-03"}
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.ref == "CC-04-ENV-04"))
        db.session.add(Measure(action_id=action.id, number=99, text="Platypus survey", measured_output="",
                               status="not_started"))
        db.session.commit()
    assert found(app, "platypus") == {"CC-04-ENV-04"}


def test_a_ref_id_is_found_literally(app):
    assert found(app, "CC-01-ENV-01") == {"CC-01-ENV-01"}
    assert found(app, "cc-01-env-01") == {"CC-01-ENV-01"}  # whatever the case
    partial = found(app, "ENV-0")
    assert partial and all("ENV-0" in ref for ref in partial)  # part of a ref, as before


def test_short_and_odd_texts_keep_the_literal_search(app):
    assert not uses_index("%") and not uses_index("ab") and not uses_index("80% within")
    assert not uses_index("a_b c") and not uses_index("CC-01-ENV-01") and not uses_index("SC18")
    assert uses_index("staff training") and uses_index("council's staff") and uses_index('"civic centre"')
    assert uses_index("22 CTAX 01")
    with app.app_context():
        every = set(db.session.scalars(select(Action.ref).join(Review).where(Review.code == "CC")))
    assert found(app, "%") != every
    set_texts(app, CC_02_ENV_02=("output", "Calls answered: 80% within 20 seconds"))
    assert found(app, "80% within") == {"CC-02-ENV-02"}


def test_the_words_are_read_by_websearch_rules_and_never_as_fts5_syntax():
    assert terms("staff NEAR(training) -x or y*") == ([["staff", "NEAR(training)"], ["y*"]], ["x"])
    assert terms('say "hello  there" -bye') == ([["say", "hello there"]], ["bye"])
    assert terms("-only") == ([], ["only"])
    assert fts5_string('NEAR(a b) "x"') == '"NEAR(a b) ""x"""'


def test_the_master_list_page_searches_the_index(client_for, app):
    set_texts(app, CC_01_ENV_01=("measure", "Aardvark inductions were trained"))
    page = client_for("committee").get("/actions", query_string={"q": "aardvark training"}).get_data(as_text=True)
    assert "CC-01-ENV-01" in page and "CC-02-ENV-02" not in page


def test_postgres_searches_stored_documents_with_gin_indexes(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the tsvector columns are PostgreSQL's (SQLite has FTS5 tables)")
        indexes = dict(db.session.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN ('ix_action_search', 'ix_measure_search')")).all())
        assert all("USING gin (search_document)" in indexes.get(name, "")
                   for name in ("ix_action_search", "ix_measure_search")), indexes
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        from tracker.plan.search import matching_action_ids
        compiled = matching_action_ids(review.id, "staff training").compile(
            db.engine, compile_kwargs={"literal_binds": True})
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(db.session.scalars(text(f"EXPLAIN {compiled}")))
        # Each row's ready-made tsvector is checked: no text is parsed again per row and search.
        assert "search_document" in plan and "to_tsvector" not in plan, plan
        rare = "\n".join(db.session.scalars(text(
            "EXPLAIN SELECT action_id FROM measure WHERE search_document @@ websearch_to_tsquery('english', 'zebra')")))
        assert "ix_measure_search" in rare, rare


def test_a_database_built_by_the_migrations_searches_the_same_way(tmp_path):
    import os

    from flask_migrate import upgrade

    from tracker import create_app
    from tracker.imports.seed import load_seeds

    url = os.environ.get("TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        pytest.skip("tests/web/test_migrations.py builds PostgreSQL from the migrations; here: SQLite's FTS5 triggers")
    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'migrated.sqlite'}")
    with app.app_context():
        upgrade()
        load_seeds(app.config["SEEDS_DIR"])
        db.session.commit()
    set_texts(app, CC_05_ENV_05=("output", "Dugongs were trained"))
    assert found(app, "dugong training") == {"CC-05-ENV-05"}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
