"""The sign-in throttle holds across worker processes, lets the window pass, counts only failures,
and sign-in does the same hashing work whether or not the email has an account."""
from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, Client, csrf_from, make_app
from tracker.extensions import db
from tracker.models import SignInCounter, User
from tracker.people import clock

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake_clock(monkeypatch):
    class Clock:
        current = dt.datetime(2026, 11, 30, 9, 0, 0)  # the start of a 15-minute window

        def __call__(self):
            return self.current

    fake = Clock()
    monkeypatch.setattr(clock, "now", fake)
    return fake


def test_the_correct_password_waits_until_the_window_has_passed(app, fake_clock):
    client = Client(app)
    for _ in range(5):
        assert client.sign_in("manager@example.gov.uk", "wrong password here").status_code == 400
    assert client.sign_in("manager@example.gov.uk", PASSWORD).status_code == 429
    # A new fixed window has begun, but the last one still weighs in: no fresh five at the boundary.
    fake_clock.current += dt.timedelta(minutes=15)
    assert client.sign_in("manager@example.gov.uk", PASSWORD).status_code == 429
    fake_clock.current += dt.timedelta(minutes=15)
    assert client.sign_in("manager@example.gov.uk", PASSWORD).status_code == 302
    with app.app_context():
        oldest = db.session.scalar(select(func.min(SignInCounter.window_number)))
        current = int((fake_clock.current - dt.datetime(1970, 1, 1)).total_seconds()) // 900
    assert oldest >= current - 1  # windows that no longer matter were deleted


def test_successful_sign_ins_do_not_use_up_the_allowance(app):
    # Colleagues behind one office address sign in all morning; a typo after that is just a typo.
    for _ in range(8):
        assert Client(app).sign_in("committee@example.gov.uk", PASSWORD).status_code == 302
    assert Client(app).sign_in("committee@example.gov.uk", "a typo in the password").status_code == 400


def test_the_attempt_limit_follows_the_setting():
    app = make_app(seed=False, LOGIN_ATTEMPTS="2 per 15 minutes")
    client = Client(app)
    for _ in range(2):
        assert client.sign_in("owner@example.gov.uk", "wrong password here").status_code == 400
    assert client.sign_in("owner@example.gov.uk", PASSWORD).status_code == 429


@pytest.fixture
def pbkdf2_calls(monkeypatch):
    calls = []
    real = hashlib.pbkdf2_hmac

    def spy(hash_name, password, salt, iterations, *args):
        calls.append((hash_name, iterations))
        return real(hash_name, password, salt, iterations, *args)

    monkeypatch.setattr(hashlib, "pbkdf2_hmac", spy)
    return calls


def test_unknown_and_deactivated_emails_cost_the_same_hashing_as_a_known_one(app, pbkdf2_calls):
    with app.app_context():
        from tracker.people.operations import set_active
        set_active(db.session.scalar(select(User).where(User.email == "owner@example.gov.uk")), False)
        db.session.commit()
    client = Client(app)
    client.sign_in("warm-up@example.gov.uk", "wrong password here")  # the dummy hash is made once
    work = {}
    for email in ("manager@example.gov.uk", "nobody@example.gov.uk", "owner@example.gov.uk"):
        pbkdf2_calls.clear()
        response = client.sign_in(email, "wrong password here")
        assert response.status_code == 400
        assert "Enter a correct email address and password" in response.get_data(as_text=True)
        work[email] = list(pbkdf2_calls)
    assert work["manager@example.gov.uk"] == [("sha256", 1000)]  # the test settings' method
    assert work["nobody@example.gov.uk"] == work["manager@example.gov.uk"]
    assert work["owner@example.gov.uk"] == work["manager@example.gov.uk"]


def test_in_production_the_dummy_check_is_scrypt_like_real_passwords(monkeypatch):
    from tracker import create_app
    from tracker.people.passwords import check_sign_in, hash_password
    calls = []
    real = hashlib.scrypt

    def spy(password, **kw):
        calls.append((kw["n"], kw["r"], kw["p"]))
        return real(password, **kw)

    app = create_app("production", SQLALCHEMY_DATABASE_URI="sqlite://")
    with app.app_context():
        known = User(email="a@example.gov.uk", password_hash=hash_password("plum tree orbit lantern"), active=True)
        check_sign_in(None, "warm up the dummy hash")
        monkeypatch.setattr(hashlib, "scrypt", spy)
        assert check_sign_in(known, "plum tree orbit lantern") is True
        assert check_sign_in(None, "plum tree orbit lantern") is False
    assert len(calls) == 2 and calls[0] == calls[1]


# --- across processes -------------------------------------------------------------------------

def _request(port: int, method: str, path: str, body: dict | None = None, cookie: str = ""):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Cookie": cookie} if cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=urlencode(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("Set-Cookie") or "", response.read().decode()
    finally:
        conn.close()


@pytest.fixture
def gunicorn_4_workers(tmp_path):
    """gunicorn -w 4 (the production command) on a socket we bound to a free port, on a database
    file (or the PostgreSQL test database) built and given users here."""
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    app = make_app(seed=False, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.engine.dispose()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "gunicorn-test-secret", "SESSION_COOKIE_SECURE": "0",
           "TRACKER_CONFIG": "production"}
    env.pop("FLASK_DEBUG", None)
    log = open(tmp_path / "gunicorn.log", "w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "4", "--preload", "--bind", f"fd://{listener.fileno()}",
         "--timeout", "60", "--graceful-timeout", "5", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, pass_fds=(listener.fileno(),))
    listener.close()
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                log.seek(0)
                pytest.fail(f"gunicorn exited: {log.read()[-3000:]}")
            try:
                if _request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("gunicorn did not answer /healthz within 90 seconds")
            time.sleep(0.3)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_thirty_concurrent_wrong_passwords_across_four_workers_get_at_most_five_answers(gunicorn_4_workers):
    port = gunicorn_4_workers
    status, set_cookie, html = _request(port, "GET", "/login")
    assert status == 200
    cookie = set_cookie.split(";", 1)[0]
    form = {"email": "manager@example.gov.uk", "password": "wrong password here", "csrf_token": csrf_from(html)}
    with ThreadPoolExecutor(max_workers=30) as pool:
        statuses = list(pool.map(lambda _: _request(port, "POST", "/login", form, cookie)[0], range(30)))
    answered = [s for s in statuses if s != 429]
    assert 1 <= len(answered) <= 5, statuses
    assert set(answered) == {400}, statuses  # wrong password, not an error
    right = _request(port, "POST", "/login", {**form, "password": PASSWORD}, cookie)[0]
    assert right == 429
