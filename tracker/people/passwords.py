"""Password rules after NCSC guidance: long enough, no composition rules, not a common password."""
from __future__ import annotations

import secrets
from functools import lru_cache

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships the 30,000 most common passwords from breach corpora: a deny-list, as NCSC advises.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS
    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why this password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) <= 2:
        return "Password is too common; choose a different one (three random words work well)"
    for own in (email.lower(), email.lower().split("@")[0], name.lower().replace(" ", "")):
        if own and len(own) >= 4 and own in lowered.replace(" ", ""):
            return "Password must not contain your name or email address"
    return None


def _method() -> str:
    # scrypt by default; the test settings choose a cheaper method so the suite runs quickly.
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=_method())


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    # A hash of a random secret nobody knows, made the way real passwords are hashed.
    return generate_password_hash(secrets.token_urlsafe(24), method=method)


def check_sign_in(user, password: str) -> bool:
    """Whether this user may sign in with this password. For no user, or a deactivated one, the
    password is still checked against a dummy hash made with the same method, so every answer
    costs the same hashing work and response times do not reveal which emails have accounts."""
    if user is None or not user.active:
        verify_password(_dummy_hash(_method()), password)
        return False
    return verify_password(user.password_hash, password)


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)
