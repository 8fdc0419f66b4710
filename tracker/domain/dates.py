"""Dates as people type them, read one way everywhere.

A GOV.UK date input posts three boxes (day, month, year) under one name; people also paste a
whole date into the first box, and the command line and imports take one string. All of them come
through ``read_date``: 31/3/2027, 31-03-27, 31.3.2027, 2027-03-31, "31 March 2027", "31 Mar 27" and
the three boxes with the month as a number or a name. Day first, as in the UK; a two-digit year is
this century.
"""
from __future__ import annotations

import datetime as dt
import re

MONTHS = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february", "febuary"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for name in names}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_PARTS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s/.,-]+([a-z]+|\d{1,2})\.?[\s/.,-]+(\d{2}|\d{4})$", re.I)


class DateProblem(ValueError):
    """What is wrong with a typed date, worded for the person ("… must include a month")."""


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) <= 2 else year


def _month(text: str) -> int | None:
    text = text.strip().lower().rstrip(".")
    if text.isdigit():
        return int(text)
    return MONTHS.get(text)


def from_parts(day: str, month: str, year: str, label: str = "The date") -> dt.date | None:
    """The three boxes of a GOV.UK date input; None when all three are empty."""
    day, month, year = (day or "").strip(), (month or "").strip(), (year or "").strip()
    if not (day or month or year):
        return None
    if day and not (month or year):
        return read_date(day, label)  # a whole date typed or pasted into the first box
    missing = [name for name, value in (("day", day), ("month", month), ("year", year)) if not value]
    if missing:
        raise DateProblem(f"{label} must include a {' and a '.join(missing)}")
    number = _month(month)
    if not day.isdigit() or number is None or not year.isdigit() or len(year) not in (2, 4):
        raise DateProblem(f"{label} must be a real date, for example 31 3 2027")
    try:
        return dt.date(_year(year), number, int(day))
    except (ValueError, OverflowError):  # a day of twenty digits overflows rather than being out of range
        raise DateProblem(f"{label} must be a real date, for example 31 3 2027") from None


def read_date(text: str | None, label: str = "The date") -> dt.date | None:
    """One typed string as a date; None when empty. Raises DateProblem with a message to show."""
    text = (text or "").strip()
    if not text:
        return None
    iso = _ISO.match(text)
    parts = None if iso else _PARTS.match(text)
    if iso:
        year, month, day = iso.groups()
    elif parts:
        day, month, year = parts.groups()
    else:
        raise DateProblem(f"{label} must be a real date, for example 31/3/2027")
    return from_parts(day, month, year, label)


def day_bounds(start: dt.date | None, end: dt.date | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Inclusive dates as datetimes: [start 00:00, the day after end 00:00)."""
    return (dt.datetime.combine(start, dt.time.min) if start else None,
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min) if end else None)
