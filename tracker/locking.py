"""Optimistic locking at the edge: every edit form says which version of the row it was built from.

The models map ``version`` as SQLAlchemy's version counter, so the database refuses a write built
on an old read (tracker/plan/operations.py). Here: a form that does not say its version is refused
with 400 before anything is touched, because without it a save would silently overwrite whatever
was saved since the page was loaded.
"""
from __future__ import annotations

from flask import abort

MISSING_VERSION = ("The form did not say which version of the record you were editing, so it could "
                   "overwrite someone else's change. Nothing was changed: reload the page and try again.")


def form_version(form, name: str = "version") -> int:
    """The version an edit form was built from; 400 (nothing changed) when it is absent or not a number."""
    raw = (form.get(name) or "").strip()
    if not raw.isdigit():
        abort(400, description=MISSING_VERSION)
    return int(raw)
