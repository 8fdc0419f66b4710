"""The time sessions and the sign-in throttle go by: one function, so tests can move the clock
instead of sleeping."""
from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    """Naive UTC, like every timestamp the database holds."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
