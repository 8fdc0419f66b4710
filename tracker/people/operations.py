"""Every change to accounts goes through here, and each one is recorded."""
from __future__ import annotations

from .. import history
from ..extensions import db
from ..models import ROLES, User, utcnow
from ..refused import Refused
from . import sessions
from .auth import find_user_by_email
from .passwords import hash_password, password_problem


def create_user(*, email: str, name: str, role: str, password: str, by=None) -> User:
    email, name = email.strip(), name.strip()
    if role not in ROLES:
        raise Refused(f"Role must be one of: {', '.join(ROLES)}", "role")
    if not email or "@" not in email:
        raise Refused("Enter an email address in the correct format, like name@example.gov.uk", "email")
    if not name:
        raise Refused("Enter the person's name", "name")
    if find_user_by_email(email):
        raise Refused(f"There is already a user with the email address {email}", "email")
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise Refused(problem, "password")
    user = User(email=email, name=name, role=role, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    history.record(entity_type="user", entity_id=user.id, field="created", after=f"{email} ({role})",
                   by=by, label=email)
    return user


def change_role(user: User, role: str, *, by=None) -> None:
    if role not in ROLES:
        raise Refused(f"Role must be one of: {', '.join(ROLES)}", "role")
    if role == user.role:
        return
    history.record(entity_type="user", entity_id=user.id, field="role", before=user.role, after=role,
                   by=by, label=user.email)
    user.role = role
    user.session_version += 1  # sessions with the old role end
    sessions.end_all(user, "role_changed")


def set_active(user: User, active: bool, *, by=None) -> None:
    if user.active == active:
        return
    history.record(entity_type="user", entity_id=user.id, field="active", before=user.active, after=active,
                   by=by, label=user.email)
    user.active = active
    user.session_version += 1
    sessions.end_all(user, "deactivated" if not active else "reactivated")


def change_password(user: User, password: str, *, by=None) -> None:
    """Set a new password and end every session of the user; the caller starts a fresh one when the
    user changed their own. The change is recorded, the password (or its hash) never is."""
    problem = password_problem(password, email=user.email, name=user.name)
    if problem:
        raise Refused(problem, "password")
    user.password_hash = hash_password(password)
    user.session_version += 1
    sessions.end_all(user, "password_changed")
    history.record(entity_type="user", entity_id=user.id, field="password", after="changed", by=by,
                   label=user.email)


def record_session_event(event: str, *, user: User | None = None, email: str | None = None, address: str = ""):
    """sign_in, sign_out, failed_sign_in, throttled_sign_in: kept in the same append-only record."""
    history.record(entity_type="session", entity_id=user.id if user else None, field=event,
                   after=address or None, by=user, label=(user.email if user else email))
    if user is not None and event == "sign_in":
        user.last_sign_in_at = utcnow()
