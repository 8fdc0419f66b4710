"""Input no page can use, refused before any view runs: NUL characters and out-of-range integers.

PostgreSQL refuses a NUL in a text parameter, and an integer beyond its INTEGER range overflows
(SQLite's limit is 2^63); either would surface as a 500 from whichever query met it first. One
check here answers 400 with what was wrong, for every route, instead of each view guarding itself.
"""
from __future__ import annotations

import re

from flask import Request

# The database's INTEGER (every id and number column): PostgreSQL's int4.
INT_MIN, INT_MAX = -(2 ** 31), 2 ** 31 - 1

# Query and form parameters the views read as integers (page numbers, ids, versions, date parts).
INT_PARAMS = frozenset({"page", "owner", "measure", "version", "stale", "since", "report_id",
                        "assessed_on-day", "assessed_on-month", "assessed_on-year"})

_INTEGER = re.compile(r"\s*[+-]?\d+\s*")


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "…"


def _has_nul(values) -> bool:
    return any("\x00" in v for v in values)


def malformed_reason(request: Request) -> str | None:
    """Why the request cannot be served, in words for the person who sent it; None when it is fine."""
    if "\x00" in request.path:
        return "The web address contains a null character (%00), which no page accepts."
    for where, multidict in (("web address", request.args), ("form", _form(request))):
        for name, values in multidict.lists():
            if "\x00" in name or _has_nul(values):
                return (f"The {where} field {_short(name.replace(chr(0), '%00'))!r} contains a null character "
                        "(%00), which is not allowed. Nothing was changed.")
            if name in INT_PARAMS:
                for value in values:
                    if _INTEGER.fullmatch(value) and not _in_range(value):
                        return (f"The number given for {name!r} ({_short(value.strip())}) is too large. "
                                "Nothing was changed.")
    for upload in _files(request):
        if upload.filename and "\x00" in upload.filename:
            return "The uploaded file's name contains a null character (%00). Rename the file and try again."
    for value in (request.view_args or {}).values():
        if isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
            return f"The number in the web address ({_short(str(value))}) is too large: no such record can exist."
    return None


def _in_range(digits: str) -> bool:
    digits = digits.strip()
    sign = -1 if digits.startswith("-") else 1
    body = digits.lstrip("+-").lstrip("0") or "0"
    # Python refuses int() of more than 4300 digits; anything over 12 is out of range anyway.
    return len(body) <= 12 and INT_MIN <= sign * int(body) <= INT_MAX


def _form(request: Request):
    # Only bodies Werkzeug parses as forms: reading request.form for anything else would be empty anyway.
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return request.form
    return request.args.__class__()


def _files(request: Request):
    if request.mimetype == "multipart/form-data":
        return request.files.values()
    return ()
