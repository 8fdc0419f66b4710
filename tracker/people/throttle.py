"""The sign-in throttle: LOGIN_ATTEMPTS (5 per 15 minutes) failed attempts per email and per client
address, counted in the database so that every worker process shares one count.

An attempt is *reserved* before the password is checked, with one atomic
INSERT ... ON CONFLICT DO UPDATE SET count = count + 1 RETURNING count, and committed at once. Each
concurrent request therefore gets its own number, and no more than the limit can be checking
passwords at the same time, however many workers there are. A successful sign-in gives its
reservation back, so only failures count (an office behind one address is not locked out by its
own colleagues signing in).

Windows are fixed (epoch seconds // length), weighted with the previous window as a sliding-window
estimate, so a burst across a window boundary does not get twice the limit.
"""
from __future__ import annotations

import datetime as dt
import hashlib

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import SignInCounter
from ..transactions import commit_now
from . import clock

EPOCH = dt.datetime(1970, 1, 1)


def _rule() -> tuple[int, int]:
    # On use: the limits package (and the wrapt, deprecated and deepmerge it brings) is sixty modules
    # every worker would otherwise hold from start-up for one parse at sign-in.
    from limits import parse as parse_limit

    item = parse_limit(current_app.config["LOGIN_ATTEMPTS"])
    return item.amount, item.get_expiry()


def _key(kind: str, value: str) -> str:
    # Hashed: fixed length whatever was typed as an email, and no addresses kept in clear.
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def _insert():
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(SignInCounter)
    if dialect == "sqlite":
        return sqlite.insert(SignInCounter)
    raise RuntimeError(f"sign-in throttle: no atomic upsert for {dialect}")


def _increment(key: str, window: int) -> int:
    statement = _insert().values(window_number=window, key=key, count=1)
    statement = statement.on_conflict_do_update(
        index_elements=[SignInCounter.window_number, SignInCounter.key],
        set_={"count": SignInCounter.count + 1}).returning(SignInCounter.count)
    return db.session.execute(statement).scalar_one()


def _decrement(key: str, window: int) -> None:
    db.session.execute(update(SignInCounter)
                       .where(SignInCounter.window_number == window, SignInCounter.key == key,
                              SignInCounter.count > 0)
                       .values(count=SignInCounter.count - 1))


class Reservation:
    """Attempts taken for one sign-in. release() gives them back (the password was right)."""

    def __init__(self, keys: list[str], window: int):
        self.keys, self.window = keys, window

    def release(self) -> None:
        """Committed with the request (a successful sign-in)."""
        for key in self.keys:
            _decrement(key, self.window)


def reserve(pairs: list[tuple[str, str]]) -> Reservation | None:
    """Take one attempt for each (kind, value), committed at once; None (and nothing taken) when any
    of them is over the limit."""
    limit, length = _rule()
    seconds = int((clock.now() - EPOCH).total_seconds())
    window, elapsed = divmod(seconds, length)
    keys = [_key(kind, value) for kind, value in pairs]
    counts = [_increment(key, window) for key in keys]
    previous = dict(db.session.execute(
        select(SignInCounter.key, SignInCounter.count)
        .where(SignInCounter.window_number == window - 1, SignInCounter.key.in_(keys))).all())
    if 1 in counts:
        # A new window has begun for some key: drop windows that can no longer matter.
        db.session.execute(delete(SignInCounter).where(SignInCounter.window_number < window - 1))
    # This window's count plus the previous one's in proportion to how much of it still overlaps
    # the last `length` seconds; in integers: count * length + previous * (length - elapsed).
    over = any(count * length + previous.get(key, 0) * (length - elapsed) > limit * length
               for key, count in zip(keys, counts, strict=False))
    reservation = Reservation(keys, window)
    if over:
        reservation.release()  # a refused request checks no password, so it takes nothing
    # Committed before the password is checked, so every worker counts this attempt at once and it
    # stays counted when the sign-in then fails (400) or is refused (429).
    commit_now()
    return None if over else reservation
