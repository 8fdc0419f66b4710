"""Reference ids: each review declares its own pattern, so no council's numbering is built in.

A pattern is a regular expression for the whole ref id in which ``{theme}`` stands for a theme
code: Carlisle's ``CC-\\d{2}-{theme}-\\d{2}`` takes ``CC-01-ENV-01``; other councils use
``SC\\d+``, ``R\\d+``, ``\\d+\\.\\d+`` or ``\\d{2} {theme} \\d{2}``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

THEME_SLOT = "{theme}"


class BadPattern(ValueError):
    pass


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> re.Pattern:
    if not pattern or not pattern.strip():
        raise BadPattern("the reference pattern is empty")
    if pattern.count(THEME_SLOT) > 1:
        raise BadPattern("the reference pattern may name {theme} only once")
    regex = pattern.replace(THEME_SLOT, "(?P<theme>[A-Za-z]+)")
    try:
        return re.compile(regex)
    except re.error as exc:
        raise BadPattern(f"the reference pattern {pattern!r} is not a valid regular expression: {exc}") from exc


@dataclass(frozen=True)
class RefCheck:
    ok: bool
    message: str = ""


def check_ref(ref: str, pattern: str, theme_code: str | None = None) -> RefCheck:
    """Does ``ref`` fit the review's pattern (and name its own theme, when the pattern has one)?"""
    match = compile_pattern(pattern).fullmatch(ref)
    if not match:
        return RefCheck(False, f"ref id {ref!r} does not follow this review's pattern {pattern!r}")
    if "theme" in match.groupdict() and theme_code is not None and match.group("theme") != theme_code:
        return RefCheck(False, f"ref id {ref!r} names theme {match.group('theme')!r} "
                               f"but the action is under theme {theme_code!r}")
    return RefCheck(True)


def theme_in_ref(ref: str, pattern: str) -> str | None:
    match = compile_pattern(pattern).fullmatch(ref)
    if match and "theme" in match.groupdict():
        return match.group("theme")
    return None
