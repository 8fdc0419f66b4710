"""Case-insensitive "contains" for search boxes, with the user's text taken literally.

In LIKE, "%" and "_" are wildcards: unescaped, a search for "%" matches every row and "_" any
character. Each is escaped (and the escape character itself), so q=% finds only texts with a "%".
"""
from __future__ import annotations

from sqlalchemy import func

ESCAPE = "\\"


def contains_pattern(text: str) -> str:
    escaped = text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    return f"%{escaped}%"


def contains(column, text: str):
    """``column`` contains ``text``, ignoring case."""
    return func.lower(column).like(contains_pattern(text.lower()), escape=ESCAPE)
