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


# --- periods: how trackers write when something is due --------------------------------------------

_SEASON_END = {"spring": (5, 0), "summer": (8, 0), "autumn": (11, 0), "fall": (11, 0), "winter": (2, 1)}
_FINANCIAL_QUARTER_END = {1: (6, 0), 2: (9, 0), 3: (12, 0), 4: (3, 1)}
_PERIOD_LEAD = re.compile(r"^(?:by|before|due|due by|no later than|(?:by )?(?:the )?end(?: of)?|eo)\s+", re.I)
_PERIOD_TAIL = re.compile(r"\s*(?:[,;–—-]|and|then)\s*(?:on-?going|onwards?|beyond|thereafter)\.?$", re.I)
_YEAR = r"(\d{4}|'?\d{2})"
_FINANCIAL_YEAR = r"(?:fy\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})"


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _full_year(text: str) -> int:
    return _year(text.lstrip("'"))


def _financial_start(first: str, second: str) -> int | None:
    """The first calendar year of a financial year written "2026/27" or "2026-2027"; None when the
    two years do not follow one another (so "2026/30" is never read)."""
    start = int(first)
    end = int(second) if len(second) == 4 else (start // 100) * 100 + int(second)
    return start if end == start + 1 else None


def read_period_end(text: str | None, label: str = "The date") -> tuple[dt.date | None, str | None]:
    """A date as trackers write it, read to the last day it allows: (date, how it was read).

    Trackers give target dates as periods more often than as days, and a target is met as long as
    the period has not ended, so a period is read as its last day:

    * a date ``read_date`` reads is that date (how: None);
    * a month and year ("March 2027", "Mar 27", "Mar-27", "03/2027") is the month's last day;
    * a quarter of a financial year ("Q3 2026/27", "Quarter 3 2026-27") ends 30 June, 30 September,
      31 December or 31 March (April to March, as councils count); a quarter of a calendar year
      ("Q3 2026") ends 31 March, 30 June, 30 September or 31 December;
    * a financial year ("2026/27", "FY 2026-27") ends on 31 March; a calendar year ("2027") on
      31 December;
    * a season ends with its last month: spring May, summer August, autumn November, winter the
      February after the year named ("Winter 2026" is December 2026 to February 2027);
    * words around the period that do not move it are dropped: "by", "end of", "and ongoing".

    Anything else raises DateProblem. Forms keep ``read_date``: a person typing a date means a day.
    """
    text = re.sub(r"\s+", " ", (text or "").strip())
    if not text:
        return None, None
    try:
        return read_date(text, label), None
    except DateProblem:
        pass
    bare = _PERIOD_TAIL.sub("", text).strip().rstrip(".")
    while _PERIOD_LEAD.match(bare):  # "by the end of March 2027": each leading word in turn
        bare = _PERIOD_LEAD.sub("", bare, count=1)
    if bare != text:
        try:
            return read_date(bare, label), f"{text} is read as {_words(read_date(bare, label))}"
        except DateProblem:
            pass
    end = _period_end(bare.lower())
    if end is None:
        raise DateProblem(f"{label} must be a real date or a month, quarter, season or year, for example "
                          "31/3/2027, March 2027 or Q4 2026/27")
    return end, f"{text} is read as {_words(end)}"


def _words(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _period_end(text: str) -> dt.date | None:
    match = re.fullmatch(rf"([a-z]{{3,9}})\.?[\s,\-/]*{_YEAR}", text)
    if match and _month(match[1]) is not None:
        return _month_end(_full_year(match[2]), _month(match[1]))
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{4})", text)
    if match and 1 <= int(match[1]) <= 12:
        return _month_end(int(match[2]), int(match[1]))
    match = re.fullmatch(rf"(?:q|qtr|quarter)\s*([1-4])[\s,]*{_FINANCIAL_YEAR}", text)
    if match:
        start = _financial_start(match[2], match[3])
        if start is None:
            return None
        month, later = _FINANCIAL_QUARTER_END[int(match[1])]
        return _month_end(start + later, month)
    match = re.fullmatch(r"(?:q|qtr|quarter)\s*([1-4])[\s,]*(\d{4})", text)
    if match:
        return _month_end(int(match[2]), int(match[1]) * 3)
    match = re.fullmatch(_FINANCIAL_YEAR, text)
    if match:
        start = _financial_start(match[1], match[2])
        return dt.date(start + 1, 3, 31) if start is not None else None
    match = re.fullmatch(rf"(spring|summer|autumn|fall|winter)[\s,]*{_YEAR}", text)
    if match:
        month, later = _SEASON_END[match[1]]
        return _month_end(_full_year(match[2]) + later, month)
    match = re.fullmatch(r"(\d{4})", text)
    if match and 2000 <= int(match[1]) <= 2100:
        return dt.date(int(match[1]), 12, 31)
    return None
