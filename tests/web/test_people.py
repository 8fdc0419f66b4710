"""Sign-in, sessions, CSRF, throttling, security headers, user management and the audit log."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from tests.conftest import PASSWORD, Client, Page, csrf_from
from tests.web.forms_pages import date_boxes, has_target, summary_links
from tracker.extensions import db
from tracker.models import Change, User


def test_pages_need_sign_in_except_login_and_healthz(client_for):
    anonymous = client_for()
    assert anonymous.get("/").status_code == 302
    assert anonymous.get("/").headers["Location"].startswith("/login")
    assert anonymous.get("/login").status_code == 200
    assert anonymous.get("/healthz").status_code == 200


def test_sign_in_and_out_are_recorded(app, client_for):
    client = client_for("manager")
    assert client.get("/").status_code == 200
    response = client.post("/logout", token_from="/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    with app.app_context():
        fields = [c.field for c in db.session.scalars(select(Change).where(Change.entity_type == "session"))]
    assert fields == ["sign_in", "sign_out"]


def test_wrong_password_is_refused_and_recorded(app, client_for):
    client = client_for()
    response = client.sign_in("manager@example.gov.uk", "not the password at all")
    assert response.status_code == 400
    assert "Enter a correct email address and password" in response.get_data(as_text=True)
    with app.app_context():
        change = db.session.scalar(select(Change).where(Change.field == "failed_sign_in"))
    assert change.entity_label == "manager@example.gov.uk"


def test_sixth_failed_sign_in_within_15_minutes_gets_429(client_for):
    client = client_for()
    for _ in range(5):
        assert client.sign_in("liaison@example.gov.uk", "wrong password here").status_code == 400
    response = client.sign_in("liaison@example.gov.uk", PASSWORD)  # even the right password now waits
    assert response.status_code == 429
    assert "wait 15 minutes" in response.get_data(as_text=True)


def test_session_cookie_is_httponly_and_lax(app):
    client = Client(app)
    response = client.sign_in("admin@example.gov.uk", PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookie_outside_development():
    from config import Config
    assert Config.SESSION_COOKIE_SECURE is True


def test_session_is_renewed_at_sign_in(app):
    client = Client(app)
    client.get("/login")
    before = client.http.get_cookie("session").value
    client.sign_in("admin@example.gov.uk", PASSWORD)
    after = client.http.get_cookie("session").value
    assert before != after


def test_post_without_csrf_token_gets_400_and_changes_nothing(app, client_for):
    admin = client_for("admin")
    response = admin.post("/users", data={"name": "Eve", "email": "eve@example.gov.uk", "role": "admin",
                                          "password": "a long enough password"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "eve@example.gov.uk")) is None


def test_token_of_another_user_is_refused(app, client_for):
    other = client_for("admin")
    stolen = other.token("/users")
    committee = client_for("committee")
    response = committee.post("/users", data={"csrf_token": stolen, "name": "Eve", "role": "admin",
                                              "email": "eve@example.gov.uk", "password": "a long enough password"})
    assert response.status_code in (400, 403)
    admin_replay = client_for("admin")  # a different session of an admin cannot use it either
    response = admin_replay.post("/users", data={"csrf_token": stolen, "name": "Eve", "role": "admin",
                                                 "email": "eve@example.gov.uk", "password": "a long enough password"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "eve@example.gov.uk")) is None


def test_htmx_request_sends_token_in_header(client_for):
    client = client_for("admin")
    import json
    page = client.page("/")
    headers = json.loads(page.one("body")["hx-headers"])
    assert headers["X-CSRFToken"] == page.csrf_token


def test_security_headers_on_every_response(client_for):
    for client, url in ((client_for(), "/login"), (client_for("committee"), "/actions"), (client_for(), "/healthz")):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]


def test_inline_script_carries_the_csp_nonce(client_for):
    response = client_for().get("/login")
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    scripts = [script for script in Page(response).select("script") if not script.has_attr("src")]
    assert scripts, "expected GOV.UK Frontend's js-enabled snippet"
    assert all(script.get("nonce") == nonce for script in scripts)


def test_admin_creates_user_who_can_sign_in(app, client_for):
    admin = client_for("admin")
    response = admin.post("/users", token_from="/users", data={
        "name": "Jo Bloggs", "email": "jo@example.gov.uk", "role": "liaison", "password": "plum tree orbit lantern"})
    assert response.status_code == 302
    jo = Client(app)
    assert jo.sign_in("jo@example.gov.uk", "plum tree orbit lantern").status_code == 302
    with app.app_context():
        change = db.session.scalar(select(Change).where(Change.entity_type == "user", Change.field == "created",
                                                        Change.entity_label == "jo@example.gov.uk"))
        assert change.user_name == "Admin User"


def test_weak_password_is_refused_with_a_message(app, client_for):
    admin = client_for("admin")
    for password, message in (("short", "12 characters or more"), ("password1234", "too common")):
        response = admin.post("/users", token_from="/users", data={
            "name": "Jo", "email": "jo@example.gov.uk", "role": "liaison", "password": password})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "jo@example.gov.uk")) is None


def test_role_change_and_deactivation_end_sessions_and_are_recorded(app, client_for):
    manager = client_for("manager")
    assert manager.get("/").status_code == 200
    with app.app_context():
        manager_id = db.session.scalar(select(User.id).where(User.email == "manager@example.gov.uk"))
    admin = client_for("admin")
    page = f"/users/{manager_id}"
    response = admin.post(page, data={"action": "role", "role-role": "committee",
                                      "role-csrf_token": admin.token(page)})
    assert response.status_code == 302
    assert manager.get("/").status_code == 302  # old session ended
    response = admin.post(page, data={"action": "deactivate", "active-csrf_token": admin.token(page)})
    assert response.status_code == 302
    again = Client(app)
    assert again.sign_in("manager@example.gov.uk", PASSWORD).status_code == 400
    with app.app_context():
        fields = [c.field for c in db.session.scalars(
            select(Change).where(Change.entity_type == "user", Change.entity_id == manager_id).order_by(Change.id))]
        user = db.session.get(User, manager_id)
    assert fields == ["created", "role", "active"]
    assert user is not None and user.active is False  # deactivated, never deleted


def test_audit_log_filters_by_user_and_date(app, client_for):
    admin = client_for("admin")
    client_for("committee")
    with app.app_context():
        committee_id = db.session.scalar(select(User.id).where(User.role == "committee"))
    html = admin.get(f"/audit?user={committee_id}").get_data(as_text=True)
    assert "sign_in" in html and "Committee User" in html and "Admin User" not in html.split("<tbody")[1]
    assert admin.get("/audit?from=2000-01-01&to=2000-01-02").get_data(as_text=True).count("No changes match") == 1
    bad = admin.get("/audit?from=yesterday")
    assert bad.status_code == 400
    assert summary_links(bad) == {"#from-day": "From date must be a real date, for example 31/3/2027"}


def test_audit_log_dates_are_gov_uk_date_inputs_read_leniently(app, client_for):
    admin = client_for("admin")
    today = dt.date.today()
    boxes = [str(today.day), str(today.month), str(today.year)]
    response = admin.get("/audit", query_string={"from": boxes, "to": f"{today.day}/{today.month}/{today.year}"})
    assert response.status_code == 200 and "sign_in" in response.get_data(as_text=True)
    assert date_boxes(response, "from") == boxes
    assert date_boxes(response, "to") == [f"{today.day}/{today.month}/{today.year}", "", ""]
    bad = admin.get("/audit", query_string={"from": ["31", "2", "2026"], "to": ["1", "1", "2026"]})
    assert bad.status_code == 400 and "No changes match" in bad.get_data(as_text=True)
    assert summary_links(bad) == {"#from-day": "From date must be a real date, for example 31 3 2027"}
    assert has_target(bad, "#from-day") and date_boxes(bad, "from") == ["31", "2", "2026"]
    backwards = admin.get("/audit", query_string={"from": ["2", "1", "2026"], "to": ["1", "1", "2026"]})
    assert summary_links(backwards) == {"#to-day": "The 'to' date must be the same as or after the 'from' date"}


def test_navigation_shows_only_what_the_role_may_do(client_for):
    assert "Audit log" in client_for("admin").get("/").get_data(as_text=True)
    html = client_for("committee").get("/").get_data(as_text=True)
    assert "Audit log" not in html and ">Users<" not in html and "Sign out" in html


def test_open_redirect_after_sign_in_is_refused(app):
    client = Client(app)
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.http.post("/login?next=https://evil.example/", data={
        "email": "admin@example.gov.uk", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_production_settings_hash_passwords_with_scrypt():
    from tracker import create_app
    from tracker.people.passwords import hash_password
    app = create_app("production", SQLALCHEMY_DATABASE_URI="sqlite://")
    with app.app_context():
        assert hash_password("plum tree orbit lantern").startswith("scrypt:")


def test_sign_in_is_throttled_per_address_across_emails(client_for):
    client = client_for()
    for i in range(5):
        assert client.sign_in(f"nobody{i}@example.gov.uk", "wrong password here").status_code == 400
    assert client.sign_in("admin@example.gov.uk", PASSWORD).status_code == 429


def test_htmx_post_with_token_in_header_is_accepted_and_without_is_refused(app, client_for):
    manager = client_for("manager")
    token = manager.token("/actions/CC-01-ENV-01")
    form = {"version": "1", "measured_output": "Sent by htmx", "status": ""}
    refused = manager.http.post("/actions/CC-01-ENV-01/measures/2", data=form, headers={"HX-Request": "true"})
    assert refused.status_code == 400
    accepted = manager.http.post("/actions/CC-01-ENV-01/measures/2", data=form,
                                 headers={"HX-Request": "true", "X-CSRFToken": token})
    assert accepted.status_code == 200 and "Sent by htmx" in accepted.get_data(as_text=True)


def test_behind_a_trusted_proxy_the_forwarded_address_is_throttled_and_recorded():
    from tests.conftest import make_app
    app = make_app(TRUSTED_PROXIES=1)
    client = Client(app)
    headers = {"X-Forwarded-For": "203.0.113.9"}
    token = csrf_from(client.get("/login", headers=headers).get_data(as_text=True))
    client.http.post("/login", headers=headers, data={"email": "nobody@example.gov.uk", "password": "x" * 12,
                                                      "csrf_token": token})
    with app.app_context():
        change = db.session.scalar(select(Change).where(Change.field == "failed_sign_in"))
    assert change.after == "203.0.113.9"
