"""Dates typed into filters: one way of reading them and of saying what is wrong."""
from __future__ import annotations

import datetime as dt


def date_range(args) -> tuple[dt.date | None, dt.date | None, dict[str, str]]:
    """The 'from' and 'to' query arguments as dates, with a message for each one that is not."""
    dates: dict[str, dt.date] = {}
    errors: dict[str, str] = {}
    for name in ("from", "to"):
        raw = args.get(name, "").strip()
        if raw:
            try:
                dates[name] = dt.date.fromisoformat(raw)
            except ValueError:
                errors[name] = f"Enter the '{name}' date as YYYY-MM-DD, for example 2026-11-01"
    if "from" in dates and "to" in dates and dates["from"] > dates["to"]:
        errors["to"] = "The 'to' date must be the same as or after the 'from' date"
    return dates.get("from"), dates.get("to"), errors


def day_bounds(start: dt.date | None, end: dt.date | None):
    """Inclusive dates as datetimes: [start 00:00, the day after end 00:00)."""
    return (dt.datetime.combine(start, dt.time.min) if start else None,
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min) if end else None)
