"""Server-side sessions: the cookie holds a random token, the database holds the session.

Why rows rather than only a version number in the signed cookie: a version can end *every* session
of a user but not one, so signing out could either do nothing to a copied cookie (as before) or sign
the user out everywhere. A row per session ends exactly the session that signs out, ends all of a
user's sessions on deactivation, role or password change, and carries the times the idle timeout
and absolute lifetime are measured from. The cost is one indexed read per request; last-seen is
written at most once a minute (SESSION_TOUCH_SECONDS).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app, g, session
from sqlalchemy import delete, select, update

from ..extensions import db
from ..models import User, UserSession
from ..transactions import commit_now
from . import clock

TOKEN_KEY = "_sid"
# Flask-Login's own keys, dropped when the session behind them has ended.
LOGIN_KEYS = ("_user_id", "_fresh", "_id", TOKEN_KEY)

# Why a session was ended by someone else, as the user is told when they next arrive.
ENDED_MESSAGES = {
    "role_changed": "Your role was changed, so you were signed out. Sign in again.",
    "password_changed": "Your password was changed, so you were signed out. Sign in again.",
    "deactivated": "Your account was deactivated, so you were signed out.",
}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _idle_limit() -> dt.timedelta:
    return dt.timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def _max_age() -> dt.timedelta:
    return dt.timedelta(hours=current_app.config["SESSION_MAX_HOURS"])


def start(user: User) -> UserSession:
    """A new session for a user who has just proved who they are. Call after session.clear() and
    login_user(); the request commits it."""
    now = clock.now()
    # Rows older than the absolute lifetime can never be valid again: drop them here, where a write
    # happens anyway, rather than on a schedule.
    db.session.execute(delete(UserSession).where(UserSession.created_at < now - _max_age()))
    token = secrets.token_urlsafe(32)
    record = UserSession(token_hash=_digest(token), user_id=user.id, created_at=now, last_seen_at=now)
    db.session.add(record)
    session[TOKEN_KEY] = token
    return record


def _current_record() -> UserSession | None:
    token = session.get(TOKEN_KEY)
    if not isinstance(token, str) or not token:
        return None
    # The user comes in the same statement: loading them next (tracker/people/auth.py) finds them
    # in the session's identity map instead of asking the database again. The map holds objects
    # weakly, so the request holds this one until then.
    row = db.session.execute(select(UserSession, User).outerjoin(User, User.id == UserSession.user_id)
                             .where(UserSession.token_hash == _digest(token))).first()
    if row is None:
        return None
    g.session_user = row[1]
    return row[0]


def _end(record: UserSession, reason: str) -> None:
    record.ended_at = clock.now()
    record.end_reason = reason


def end_current(reason: str = "signed_out") -> None:
    """End the session this request belongs to (sign-out). The request commits it."""
    record = _current_record()
    if record is not None and record.ended_at is None:
        _end(record, reason)


def end_all(user: User, reason: str) -> None:
    """End every open session of a user (deactivation, role or password change). The request commits it."""
    db.session.execute(update(UserSession)
                       .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
                       .values(ended_at=clock.now(), end_reason=reason))


def _forget(message: str | None) -> None:
    for key in LOGIN_KEYS:
        session.pop(key, None)
    if message:
        g.signed_out_because = message


def check(user_id: int) -> bool:
    """Whether the cookie's session is open for this user, ending it when it has been idle or has
    lived too long. Commits at once (commit_now) only when it writes: an ended session or a last-seen at most once a
    minute. On False the login keys are dropped from the cookie and g.signed_out_because may say why."""
    record = _current_record()
    if record is None or record.user_id != user_id:
        _forget(None)
        return False
    if record.ended_at is not None:
        _forget(ENDED_MESSAGES.get(record.end_reason or ""))
        return False
    now = clock.now()
    config = current_app.config
    if now - record.created_at >= _max_age():
        _end(record, "expired")
        commit_now()  # ended for good, whatever the request that found it then does
        _forget(f"You were signed out because you signed in more than {config['SESSION_MAX_HOURS']} "
                "hours ago. Sign in again.")
        return False
    if now - record.last_seen_at >= _idle_limit():
        _end(record, "idle")
        commit_now()
        _forget(f"You were signed out after {config['SESSION_IDLE_MINUTES']} minutes without activity. "
                "Sign in again.")
        return False
    if now - record.last_seen_at >= dt.timedelta(seconds=config["SESSION_TOUCH_SECONDS"]):
        record.last_seen_at = now
        # Kept even when this request then fails: a person getting error pages is still active.
        commit_now()
    return True
