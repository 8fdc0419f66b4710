"""Signing in and out. Session cookies carry the user's session_version, so deactivating a user,
or changing their role or password, ends every session they have."""
from __future__ import annotations

from flask import Flask, request
from sqlalchemy import func, select

from ..extensions import db, login_manager
from ..models import User


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
        user = db.session.get(User, uid)
        if user is None or user.session_version != version or not user.active:
            return None
        return user


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def client_address() -> str:
    return request.remote_addr or "unknown"
