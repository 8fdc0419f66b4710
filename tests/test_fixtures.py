"""The fixtures every test relies on: each `app` test starts from the seed, whatever the test before it
committed, changed in the config or spent of the sign-in throttle (the two runs below check each other,
in either order), and the databases they copy are real ones."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, func, select

from tests.conftest import PASSWORD, make_app
from tracker.extensions import db
from tracker.models import Action, Change, Measure, User

MARK = "written by a test that has finished"


def seed_counts():
    return tuple(db.session.scalar(select(func.count(m.id))) for m in (Action, Measure, Change, User))


@pytest.fixture(scope="module")
def seeded_counts():
    """What a database built from nothing holds, the slow way."""
    from tests.conftest import build_database
    from tracker import create_app
    app = create_app("test", SQLALCHEMY_DATABASE_URI="sqlite://")
    build_database(app, seed=True)
    with app.app_context():
        counts = seed_counts()
        db.session.remove()
        db.engine.dispose()
    return counts


@pytest.mark.parametrize("run", ["one", "two"])
def test_a_test_sees_nothing_of_the_one_before(app, client_for, seeded_counts, run):
    with app.app_context():
        assert seed_counts() == seeded_counts
        assert db.session.scalar(select(func.count(Measure.id)).where(Measure.measured_output == MARK)) == 0
    assert "LEFT_BY_A_TEST" not in app.config and app.config["PAGE_SIZE"] != 3
    client = client_for()
    assert client.sign_in("nobody@example.gov.uk", "wrong password here").status_code == 400

    # Everything a test might leave behind: commits, config, the throttle spent.
    with app.app_context():
        db.session.scalar(select(Measure).limit(1)).measured_output = MARK
        from tracker.people.operations import create_user
        create_user(email=f"left-{run}@example.gov.uk", name="Left Behind", role="owner", password=PASSWORD)
        db.session.commit()
    app.config.update(LEFT_BY_A_TEST=run, PAGE_SIZE=3)
    for _ in range(5):
        client.sign_in("nobody@example.gov.uk", "wrong password here")
    assert client.sign_in("admin@example.gov.uk", PASSWORD).status_code == 429


def test_make_app_gives_each_app_its_own_copy(tmp_path, seeded_counts):
    first = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'first.sqlite'}")
    with first.app_context():
        db.session.scalar(select(Measure).limit(1)).measured_output = MARK
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    second = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'second.sqlite'}")
    with second.app_context():
        assert seed_counts() == seeded_counts
        assert db.session.scalar(select(func.count(Measure.id)).where(Measure.measured_output == MARK)) == 0
        db.session.remove()
        db.engine.dispose()


def test_empty_app_has_the_users_and_no_plan(empty_app):
    with empty_app.app_context():
        assert db.session.scalar(select(func.count(Action.id))) == 0
        assert sorted(db.session.scalars(select(User.role))) == sorted(
            ["admin", "manager", "liaison", "committee", "owner"])


def test_own_database_app_commits_are_seen_by_other_connections_and_threads(own_database_app):
    app = own_database_app
    with app.app_context():
        measure = db.session.scalar(select(Measure).order_by(Measure.id).limit(1))
        measure.measured_output = MARK
        db.session.commit()
        measure_id = measure.id
        url = db.engine.url

    seen = []

    def read_in_a_thread():
        with app.app_context():
            seen.append(db.session.get(Measure, measure_id).measured_output)
            db.session.remove()

    thread = threading.Thread(target=read_in_a_thread)
    thread.start()
    thread.join(timeout=30)
    assert seen == [MARK]

    other = create_engine(url)  # a separate engine, as another process would connect
    try:
        with other.connect() as conn:
            assert conn.execute(select(Measure.measured_output).where(Measure.id == measure_id)).scalar() == MARK
    finally:
        other.dispose()
