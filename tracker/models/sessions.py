"""Server-side records behind sign-in: one row per signed-in session, and the sign-in throttle's
counters. Both live in the database so every worker process sees the same state."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class UserSession(db.Model):
    """A signed-in session. The cookie carries a random token; only its SHA-256 is stored, so a copy
    of this table does not let anyone sign in. Ending the row ends the session, whatever cookie
    copies exist."""
    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # Updated at most once a minute (SESSION_TOUCH_SECONDS): no write on every request.
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # signed_out, idle, expired, role_changed, deactivated, password_changed
    end_reason: Mapped[str | None] = mapped_column(String(20))


class SignInCounter(db.Model):
    """Sign-in attempts per throttle key (a hash of email or address) per fixed window. Incremented
    with one INSERT ... ON CONFLICT DO UPDATE ... RETURNING, so concurrent workers each get their
    own count and cannot both slip under the limit."""
    __tablename__ = "sign_in_counter"

    # Window first: old windows are deleted by a range on the primary key.
    window_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
