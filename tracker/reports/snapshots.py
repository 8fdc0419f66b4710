"""Reading a published report's frozen snapshot a part at a time.

A snapshot holds every part of a report and the plan's state (680 KB of JSON at 200 actions, 3.3 MB at
1,000), so ``CommitteeReport.snapshot`` is deferred: listing reports never reads it. A page asks the
database for the one part it shows (a JSON path, parsed by the database), and each process keeps the
last few parts it read: a published report never changes, so a cached part is never stale. The key
holds the database as well as the report's id and publishing time, so two apps in one process (tests)
never share an entry.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy import select

from ..extensions import db
from ..models import CommitteeReport

PARTS_CACHED = 24
_PARTS: OrderedDict = OrderedDict()
_LOCK = threading.Lock()


def _read(report: CommitteeReport, path: tuple[str, ...]):
    return db.session.scalar(select(CommitteeReport.snapshot[path]).where(CommitteeReport.id == report.id))


def cached(report: CommitteeReport, key: tuple, make):
    """``make()`` once per process for a published report and ``key`` (the last few kept): a
    published report never changes, so what is made from it never goes stale. None is not kept."""
    cache_key = (db.engine.url, report.id, report.published_at, *key)
    with _LOCK:
        if cache_key in _PARTS:
            _PARTS.move_to_end(cache_key)
            return _PARTS[cache_key]
    value = make()
    if value is not None:
        with _LOCK:
            _PARTS[cache_key] = value
            while len(_PARTS) > PARTS_CACHED:
                _PARTS.popitem(last=False)
    return value


def snapshot_part(report: CommitteeReport, key: str):
    """Part ``key`` ("summary", "appendix-b+owners" ...) of a published report, or None when its snapshot
    has no such part."""
    return cached(report, ("part", key), lambda: _read(report, ("parts", key)))


def snapshot_parts(report: CommitteeReport) -> dict:
    """Every part of a published report (the workbook of all parts): read whole, not cached."""
    return _read(report, ("parts",))


def snapshot_state(report: CommitteeReport) -> dict | None:
    """The plan's state frozen with a published report: the baseline of the next report's changes."""
    return _read(report, ("state",))


def forget_cached_parts() -> None:
    with _LOCK:
        _PARTS.clear()
