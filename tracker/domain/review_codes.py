"""What a review code may be.

A code is part of web addresses (/public/CC, ?review=CC), of file names in downloads
(CC-appendix-b-2026-12-03.pdf) and of the session, and it is typed by people. So: 1 to 20 letters,
digits, "-" and "_", starting with a letter or digit. That excludes line breaks (header injection),
quotes (Content-Disposition), "/" (extra path segments) and "." (no "..", no hidden files), and fits
the column, String(20).
"""
from __future__ import annotations

import re

MAX_LENGTH = 20
RULE = f"1 to {MAX_LENGTH} letters, digits, '-' or '_', starting with a letter or digit (for example CC or BVR-2026)"
_CODE = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_-]{{0,{MAX_LENGTH - 1}}}", re.ASCII)


def review_code_problem(code) -> str | None:
    """Why ``code`` cannot be a review code, or None when it can."""
    if code is None or code == "":
        return f"a review code is required: {RULE}"
    if not isinstance(code, str):
        return f"the review code {code!r} must be written as text (in quotes in YAML): {RULE}"
    if _CODE.fullmatch(code):
        return None
    if len(code) > MAX_LENGTH:
        return f"the review code is {len(code)} characters long; use {RULE}"
    shown = code if len(code) <= 30 else code[:27] + "..."
    return f"{shown!r} cannot be a review code: use {RULE}"
