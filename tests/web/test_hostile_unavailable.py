"""The database goes away under a signed-in user: a styled 503 page, not gunicorn's bare error."""
from __future__ import annotations

import socket

import pytest
from sqlalchemy import create_engine

from tracker.extensions import db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the with block ends: nothing listens there


class Outage:
    """Swaps the app's engine for one aimed at a port where nothing listens (connection refused)."""

    def __init__(self, app):
        self.engines = db._app_engines[app]
        self.real = self.engines[None]
        self.unreachable = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/gone",
                                         connect_args={"connect_timeout": 3})

    def down(self):
        self.engines[None] = self.unreachable

    def up(self):
        self.engines[None] = self.real


@pytest.fixture
def outage(app):
    with app.app_context():
        db.session.remove()
    outage = Outage(app)
    yield outage
    outage.up()
    outage.unreachable.dispose()


@pytest.mark.parametrize("role", ["manager", "owner"])
def test_a_signed_in_user_gets_a_styled_503_when_the_database_is_unreachable(app, client_for, outage, role):
    user = client_for(role)
    assert user.get("/actions").status_code == 200
    token = user.token("/actions")
    outage.down()
    for response in (user.get("/actions"), user.get("/recommendations/1"), user.get("/reports"),
                     user.post("/reports", data={"csrf_token": token, "committee": "O&S", "meeting_on": "2026-12-03"})):
        body = response.get_data(as_text=True)
        assert response.status_code == 503, body[:300]
        assert 'class="govuk-template' in body and "The service is unavailable" in body
        assert "Sign out" not in body  # no user menu: drawing it would need the database
        assert ">Try again</a>" in body
        assert response.headers["Retry-After"] == "60"
        assert "Content-Security-Policy" in response.headers


def test_an_anonymous_visitor_gets_the_same_503(app, client_for, outage):
    outage.down()
    response = client_for().get("/public/CC")
    assert response.status_code == 503 and "The service is unavailable" in response.get_data(as_text=True)


def test_the_same_session_works_again_when_the_database_is_back(app, client_for, outage):
    manager = client_for("manager")
    outage.down()
    assert manager.get("/actions").status_code == 503
    outage.up()
    response = manager.get("/actions")
    assert response.status_code == 200 and "Sign out" in response.get_data(as_text=True)
