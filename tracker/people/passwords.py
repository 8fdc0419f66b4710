"""Password rules after NCSC guidance: long enough, no composition rules, not a common password."""
from __future__ import annotations

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


def hash_password(password: str) -> str:
    # scrypt by default; the test settings choose a cheaper method so the suite runs quickly.
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    return generate_password_hash(password, method=method)


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)
