"""Sessions that end: a copied session cookie is worth nothing after sign-out, deactivation, a role or
password change, idleness or age. Written as the attacker replaying a saved cookie, and with the
clock moved rather than slept."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, Client
from tracker.extensions import db
from tracker.models import Action, Change, User, UserSession
from tracker.people import clock

NEW_PASSWORD = "quince ladder mosaic harbour"
REFS = ["CC-40-PERF-01", "CC-41-PERF-02"]


class Clock:
    """Stands in for tracker.people.clock.now; tests move it forward."""

    def __init__(self, start: dt.datetime):
        self.current = start

    def __call__(self) -> dt.datetime:
        return self.current

    def advance(self, **delta) -> None:
        self.current += dt.timedelta(**delta)


@pytest.fixture
def fake_clock(monkeypatch):
    fake = Clock(dt.datetime(2026, 11, 30, 9, 0, 0))
    monkeypatch.setattr(clock, "now", fake)
    return fake


def user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def owners_of(app, refs) -> dict:
    with app.app_context():
        return dict(db.session.execute(select(Action.ref, Action.owner_id).where(Action.ref.in_(refs))).all())


def replay(app, cookie: str):
    """A fresh client that presents only a saved session cookie: the attacker's copy."""
    http = app.test_client()
    http.set_cookie("session", cookie)
    return http


def assert_cookie_is_dead(app, cookie: str, token: str) -> None:
    stolen = replay(app, cookie)
    page = stolen.get("/actions")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")
    before = owners_of(app, REFS)
    write = stolen.post("/actions/assign?review=CC", data={
        "csrf_token": token, "refs": REFS, "owner_name": "Mallory", "business_unit": "Nowhere"})
    assert write.status_code == 302 and write.headers["Location"].startswith("/login")
    assert owners_of(app, REFS) == before
    with app.app_context():
        assert db.session.scalar(select(func.count(Change.id)).where(Change.after.contains("Mallory"))) == 0


def saved_session(app, role: str = "liaison") -> tuple[Client, str, str]:
    """A signed-in client, a copy of its session cookie and a CSRF token valid for that session."""
    client = Client(app, role)
    token = client.token("/actions")
    cookie = client.http.get_cookie("session").value
    # The copy works while the session is open: the test below is not passing for another reason.
    assert replay(app, cookie).get("/actions").status_code == 200
    return client, cookie, token


def test_replayed_cookie_after_sign_out_reads_and_writes_nothing(app):
    client, cookie, token = saved_session(app)
    assert client.post("/logout", token_from="/").status_code == 302
    assert_cookie_is_dead(app, cookie, token)
    with app.app_context():
        ended = db.session.scalars(select(UserSession.end_reason)).all()
    assert ended == ["signed_out"]


def test_sign_out_ends_only_that_session(app):
    laptop, laptop_cookie, _ = saved_session(app)
    phone = Client(app, "liaison")
    laptop.post("/logout", token_from="/")
    assert replay(app, laptop_cookie).get("/").status_code == 302
    assert phone.get("/").status_code == 200


@pytest.mark.parametrize("change", ["deactivate", "role", "admin_password"])
def test_replayed_cookie_after_an_admin_change_reads_and_writes_nothing(app, change):
    _, cookie, token = saved_session(app)
    admin = Client(app, "admin")
    page = f"/users/{user_id(app, 'liaison@example.gov.uk')}"
    data = {
        "deactivate": {"action": "deactivate", "active-csrf_token": admin.token(page)},
        # Up, not down: a session that survived would now be allowed more, not less.
        "role": {"action": "role", "role-role": "manager", "role-csrf_token": admin.token(page)},
        "admin_password": {"action": "password", "password-password": NEW_PASSWORD,
                           "password-password_again": NEW_PASSWORD, "password-csrf_token": admin.token(page)},
    }[change]
    assert admin.post(page, data=data).status_code == 302
    assert_cookie_is_dead(app, cookie, token)
    assert admin.get("/").status_code == 200  # the admin's own session is untouched


def test_replayed_cookie_after_own_password_change_is_dead_and_the_changer_stays_signed_in(app):
    client, cookie, token = saved_session(app)
    other_device = Client(app, "liaison")
    assert 'href="/account/password"' in client.get("/").get_data(as_text=True)  # found from every page
    response = client.post("/account/password", token_from="/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.http.get_cookie("session").value != cookie  # a fresh session, not the old one
    assert client.get("/actions").status_code == 200
    assert other_device.get("/actions").status_code == 302
    assert_cookie_is_dead(app, cookie, token)
    assert Client(app).sign_in("liaison@example.gov.uk", PASSWORD).status_code == 400
    assert Client(app).sign_in("liaison@example.gov.uk", NEW_PASSWORD).status_code == 302
    with app.app_context():
        change = db.session.scalar(select(Change).where(Change.entity_type == "user", Change.field == "password"))
    assert change.user_name == "Liaison User" and PASSWORD not in (change.after or "")


@pytest.mark.parametrize("form, message", [
    ({"current_password": "not my password at all", "new_password": NEW_PASSWORD,
      "new_password_again": NEW_PASSWORD}, "Your current password is not correct"),
    ({"current_password": PASSWORD, "new_password": NEW_PASSWORD,
      "new_password_again": NEW_PASSWORD + "x"}, "The new passwords do not match"),
    ({"current_password": PASSWORD, "new_password": "password1234",
      "new_password_again": "password1234"}, "too common"),
])
def test_refused_password_change_says_why_and_changes_nothing(app, form, message):
    client, cookie, _ = saved_session(app)
    with app.app_context():
        before = db.session.scalar(select(User.password_hash).where(User.email == "liaison@example.gov.uk"))
    response = client.post("/account/password", token_from="/account/password", data=form)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        after = db.session.scalar(select(User.password_hash).where(User.email == "liaison@example.gov.uk"))
    assert after == before
    assert replay(app, cookie).get("/").status_code == 200  # no session was ended


def test_guessing_the_current_password_is_throttled(app):
    client = Client(app, "committee")
    for _ in range(5):
        response = client.post("/account/password", token_from="/account/password", data={
            "current_password": "a wrong guess here", "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD})
        assert response.status_code == 400
    response = client.post("/account/password", token_from="/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD})
    assert response.status_code == 429
    assert Client(app).sign_in("committee@example.gov.uk", NEW_PASSWORD).status_code in (400, 429)


def test_admin_sets_a_weak_password_and_is_told_why(app):
    admin = Client(app, "admin")
    page = f"/users/{user_id(app, 'owner@example.gov.uk')}"
    response = admin.post(page, data={"action": "password", "password-password": "short",
                                      "password-password_again": "short", "password-csrf_token": admin.token(page)})
    assert response.status_code == 400 and "12 characters or more" in response.get_data(as_text=True)
    assert Client(app).sign_in("owner@example.gov.uk", PASSWORD).status_code == 302


def test_admin_setting_their_own_password_keeps_this_session(app):
    admin = Client(app, "admin")
    page = f"/users/{user_id(app, 'admin@example.gov.uk')}"
    response = admin.post(page, data={"action": "password", "password-password": NEW_PASSWORD,
                                      "password-password_again": NEW_PASSWORD,
                                      "password-csrf_token": admin.token(page)})
    assert response.status_code == 302
    assert admin.get("/users").status_code == 200


def test_cli_sets_a_password_and_ends_sessions(app):
    _, cookie, _ = saved_session(app)
    result = app.test_cli_runner().invoke(args=["users", "set-password", "--email", "liaison@example.gov.uk"],
                                          input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert replay(app, cookie).get("/").status_code == 302
    assert Client(app).sign_in("liaison@example.gov.uk", NEW_PASSWORD).status_code == 302
    mismatch = app.test_cli_runner().invoke(args=["users", "set-password", "--email", "liaison@example.gov.uk"],
                                            input=f"{PASSWORD}\nsomething else entirely\n")
    assert mismatch.exit_code != 0 and "do not match" in mismatch.output
    assert Client(app).sign_in("liaison@example.gov.uk", NEW_PASSWORD).status_code == 302


def test_idle_session_ends_after_30_minutes_and_says_why(app, fake_clock):
    client = Client(app, "manager")
    fake_clock.advance(minutes=29)
    assert client.get("/").status_code == 200  # activity: the idle clock starts again
    fake_clock.advance(minutes=29)
    assert client.get("/").status_code == 200
    fake_clock.advance(minutes=30, seconds=1)
    response = client.get("/actions")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You were signed out after 30 minutes without activity" in page
    fake_clock.advance(minutes=1)
    assert client.get("/").status_code == 302  # and it stays ended
    with app.app_context():
        assert db.session.scalars(select(UserSession.end_reason)).all() == ["idle"]


def test_idle_timeout_follows_the_setting(fake_clock):
    from tests.conftest import make_app
    app = make_app(seed=False, SESSION_IDLE_MINUTES=5)
    client = Client(app, "manager")
    fake_clock.advance(minutes=4)
    assert client.get("/users/1").status_code == 403  # signed in, only not allowed
    fake_clock.advance(minutes=5)
    response = client.get("/users/1")
    assert response.status_code == 302
    assert "after 5 minutes without activity" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_session_ends_12_hours_after_sign_in_however_active(app, fake_clock):
    client = Client(app, "manager")
    for _ in range(35):  # a request every 20 minutes for 11 h 40 min
        fake_clock.advance(minutes=20)
        assert client.get("/").status_code == 200
    fake_clock.advance(minutes=20)
    response = client.get("/")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "signed in more than 12 hours ago" in page


def test_signed_cookie_lifetime_matches_the_session_lifetime(app):
    assert app.permanent_session_lifetime == dt.timedelta(hours=app.config["SESSION_MAX_HOURS"])


def test_last_seen_is_written_at_most_once_a_minute(app, fake_clock, count_queries):
    client = Client(app, "committee")
    with count_queries() as statements:
        for _ in range(5):
            fake_clock.advance(seconds=10)
            assert client.get("/").status_code == 200
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE")]
    fake_clock.advance(seconds=20)
    with count_queries() as statements:
        assert client.get("/").status_code == 200
    assert len([s for s in statements if s.lstrip().upper().startswith("UPDATE user_session".upper())]) == 1


def test_expired_sessions_are_cleaned_up_at_a_later_sign_in(app, fake_clock):
    Client(app, "committee")
    Client(app, "owner")
    fake_clock.advance(hours=13)
    Client(app, "admin")
    with app.app_context():
        assert db.session.scalar(select(func.count(UserSession.id))) == 1


def test_htmx_request_from_an_ended_session_is_sent_to_sign_in_as_a_whole_page(app):
    client, cookie, _ = saved_session(app)
    client.post("/logout", token_from="/")
    response = replay(app, cookie).get("/actions", headers={"HX-Request": "true"})
    assert response.status_code == 401 and response.headers["HX-Redirect"].startswith("/login")


def test_a_forged_session_token_is_refused(app):
    client, cookie, _ = saved_session(app)
    with client.http.session_transaction() as session:
        session["_sid"] = "guessed-token"
    assert client.get("/").status_code == 302
