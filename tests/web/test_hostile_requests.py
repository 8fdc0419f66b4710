"""Malformed requests on every route: a NUL byte or an out-of-range integer is a clear 400, never a 500.

The routes come from the app's own url_map, so a route added later is attacked too. Each is tried
anonymously and signed in (as admin, who may reach every route), by GET and POST as it allows.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import Client, make_app
from tracker import create_app
from tracker.extensions import db
from tracker.models import Change, CommitteeReport, User

HUGE = [10 ** 20, 2 ** 31, 2 ** 63, 2 ** 64]
SAMPLE = {"code": "CC", "part": "summary", "fmt": "pdf", "filename": "css/app.css", "ref": "CC-01-ENV-01",
          "element_code": "1.1.1", "number": "1", "token": "x"}
FORM_FIELDS = ("email", "password", "review", "committee", "meeting_on", "q", "ref", "refs", "code", "name",
               "site", "status", "note", "measured_output", "status_text", "owner_name", "category", "role",
               "pasted", "version", "public_page", "response", "remove", "measure")

RULES = sorted((rule for rule in create_app("test").url_map.iter_rules()), key=lambda r: r.rule)


def _methods(rule):
    return sorted(rule.methods & {"GET", "POST"})


def _build(app, rule, **values) -> str:
    args = {name: SAMPLE.get(name, "x") for name in rule.arguments}
    for name, converter in rule._converters.items():
        if type(converter).__name__ == "IntegerConverter":
            args[name] = 1
    args.update(values)
    with app.test_request_context():
        return app.url_map.bind("localhost").build(rule.endpoint, args, method=_methods(rule)[0])


def _int_args(rule):
    return [n for n, c in rule._converters.items() if type(c).__name__ == "IntegerConverter"]


def _string_args(rule):
    return [n for n in rule.arguments if n not in _int_args(rule)]


@pytest.fixture(scope="module")
def hostile_app():
    app = make_app()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def clients(hostile_app):
    admin = Client(hostile_app, "admin")
    anonymous = Client(hostile_app)
    return {"anonymous": (anonymous, anonymous.token("/login")), "admin": (admin, admin.token("/reports"))}


def _state(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Change, CommitteeReport, User))


def _send(client, method, url, data=None):
    if method == "GET":
        return client.http.get(url)
    return client.http.post(url, data=data or {})


@pytest.mark.parametrize("who", ["anonymous", "admin"])
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.rule)
def test_a_nul_byte_anywhere_is_a_400_and_changes_nothing(hostile_app, clients, rule, who):
    client, token = clients[who]
    before = _state(hostile_app)
    for method in _methods(rule):
        # In each path segment in turn (or after the path, when it has none).
        attempts = [_build(hostile_app, rule, **{name: "a\x00b"}) for name in _string_args(rule)]
        attempts = attempts or [_build(hostile_app, rule) + "%00"]
        for url in attempts:
            response = _send(client, method, url, {"csrf_token": token})
            assert response.status_code in (400, 404), (method, url, response.status_code)
        # In the query string: a value and a name.
        url = _build(hostile_app, rule) + "?q=a%00b&review=CC&page=1"
        response = _send(client, method, url, {"csrf_token": token})
        assert response.status_code == 400 and "null character" in response.get_data(as_text=True), (method, url)
        response = _send(client, method, _build(hostile_app, rule) + "?a%00=1", {"csrf_token": token})
        assert response.status_code == 400, (method, url)
        if method == "POST":
            # In form values, with a valid CSRF token so the request reaches the app's own checks.
            for field in FORM_FIELDS:
                response = _send(client, method, _build(hostile_app, rule),
                                 {"csrf_token": token, "review": "CC", field: "a\x00b"})
                body = response.get_data(as_text=True)
                assert response.status_code == 400 and "null character" in body, (url, field, response.status_code)
                assert "govuk-template" in body  # the styled error page, not a bare one
    assert _state(hostile_app) == before


@pytest.mark.parametrize("who", ["anonymous", "admin"])
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.rule)
def test_huge_integers_in_routes_and_page_numbers_are_a_400(hostile_app, clients, rule, who):
    client, token = clients[who]
    before = _state(hostile_app)
    for method in _methods(rule):
        for number in HUGE:
            for name in _int_args(rule):
                url = _build(hostile_app, rule, **{name: number})
                response = _send(client, method, url, {"csrf_token": token})
                assert response.status_code == 400, (method, url, response.status_code)
                assert "too large" in response.get_data(as_text=True)
            for param in ("page", "owner", "stale"):
                url = _build(hostile_app, rule) + f"?{param}={number}"
                response = _send(client, method, url, {"csrf_token": token})
                assert response.status_code == 400 and "too large" in response.get_data(as_text=True), url
        if method == "POST":
            for field in ("version", "measure", "page", "assessed_on-year"):
                response = _send(client, method, _build(hostile_app, rule),
                                 {"csrf_token": token, field: str(10 ** 30)})
                assert response.status_code == 400, (rule.rule, field)
        # Ten thousand digits: more than Python's int() reads, still a plain 400.
        response = _send(client, method, _build(hostile_app, rule) + "?page=" + "9" * 10000, {"csrf_token": token})
        assert response.status_code == 400
    assert _state(hostile_app) == before


def test_the_reported_requests_are_each_a_clear_400(hostile_app, clients):
    anonymous, token = clients["anonymous"]
    response = anonymous.http.post("/login", data={"email": "a\x00b", "password": "x", "csrf_token": token})
    assert response.status_code == 400
    assert "The form field &#39;email&#39; contains a null character" in response.get_data(as_text=True)
    response = anonymous.get("/public/%00")
    assert response.status_code == 400 and "The web address contains a null character" in response.get_data(
        as_text=True)
    admin, _ = clients["admin"]
    response = admin.get("/actions?page=99999999999999999999")
    assert response.status_code == 400
    assert "The number given for &#39;page&#39; (99999999999999999999) is too large" in response.get_data(as_text=True)
    assert admin.get(f"/recommendations/{2 ** 31}").status_code == 400
    assert admin.get(f"/recommendations/{2 ** 31 - 1}").status_code == 404  # in range: an honest not-found
    assert admin.get("/actions?page=2").status_code == 200  # ordinary numbers are untouched


def test_a_value_the_database_refuses_is_a_400_not_a_500(hostile_app, clients, monkeypatch):
    """The safety net behind the request checks: whatever the database itself refuses as data
    (here a real one: a review code longer than its column, written straight past every form)."""
    from tracker.models import Review

    def too_long():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        review.title = "x" * 400  # String(300): PostgreSQL refuses it; SQLite would store it
        db.session.flush()
        if db.engine.dialect.name == "sqlite":
            raise OverflowError("Python int too large to convert to SQLite INTEGER")  # SQLite's own refusal
        return "stored"

    monkeypatch.setitem(hostile_app.view_functions, "plan.overview", too_long)
    response = clients["admin"][0].get("/")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "too long or out of range" in body and "govuk-template" in body
    with hostile_app.app_context():
        assert db.session.scalar(select(Review.title).where(Review.code == "CC")) != "x" * 400
