"""Signing in and out. The Flask-Login id is "user id:session_version"; the cookie also carries a
session token whose row in user_session must be open (tracker/people/sessions.py). Signing out,
deactivation, a role or password change, idleness and age each end sessions there."""
from __future__ import annotations

from flask import Flask, flash, g, redirect, request
from flask_login import login_url
from sqlalchemy import func, select

from ..extensions import db, login_manager
from ..models import User
from . import sessions


def init_login(app: Flask) -> None:
    login_manager.login_view = "people.login"
    login_manager.login_message = "Sign in to continue"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str):
        try:
            uid, version = (int(x) for x in user_id.split(":"))
        except ValueError:
            return None
        if not sessions.check(uid):
            return None
        user = db.session.get(User, uid)
        if user is None or user.session_version != version or not user.active:
            return None
        return user

    @login_manager.unauthorized_handler
    def unauthorized():
        # Say why when a session has just ended (idle, too old, ended by an admin), else the usual.
        flash(g.pop("signed_out_because", None) or login_manager.login_message,
              login_manager.login_message_category)
        target = login_url(login_manager.login_view, next_url=request.url if request.method == "GET" else None)
        if request.headers.get("HX-Request"):
            # htmx would swap the sign-in page into a fragment; have it load the whole page instead.
            return "", 401, {"HX-Redirect": target}
        return redirect(target)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def client_address() -> str:
    return request.remote_addr or "unknown"
