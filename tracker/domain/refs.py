"""Reference ids: each review declares its own pattern, so no council's numbering is built in.

A pattern is a regular expression for the whole ref id in which ``{theme}`` stands for a theme
code: Carlisle's ``CC-\\d{2}-{theme}-\\d{2}`` takes ``CC-01-ENV-01``; other councils use
``SC\\d+``, ``R\\d+``, ``\\d+\\.\\d+`` or ``\\d{2} {theme} \\d{2}``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

try:  # Python 3.11+
    import re._constants as _c
    import re._parser as _sre_parser
except ImportError:  # pragma: no cover
    import sre_constants as _c
    import sre_parse as _sre_parser

THEME_SLOT = "{theme}"
# Patterns arrive in files (an exported workbook, a seed): a long or backtracking one could hold a
# worker for hours on one ref id, so they are checked before they are ever compiled or run.
MAX_PATTERN_LENGTH = 200


class BadPattern(ValueError):
    pass


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> re.Pattern:
    if not pattern or not pattern.strip():
        raise BadPattern("the reference pattern is empty")
    if pattern.count(THEME_SLOT) > 1:
        raise BadPattern("the reference pattern may name {theme} only once")
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise BadPattern(f"the reference pattern is {len(pattern):,} characters long; the most allowed is "
                         f"{MAX_PATTERN_LENGTH}")
    regex = pattern.replace(THEME_SLOT, "(?P<theme>[A-Za-z]+)")
    try:
        compiled = re.compile(regex)
    except re.error as exc:
        raise BadPattern(f"the reference pattern {pattern!r} is not a valid regular expression: {exc}") from exc
    slow = _backtracking_risk(_sre_parser.parse(regex))
    if slow:
        raise BadPattern(f"the reference pattern {pattern!r} {slow}, which can take hours to check one ref id; "
                         "write it without that (for example \\d+ rather than (\\d+)+)")
    return compiled


def _backtracking_risk(parsed, repeated: bool = False) -> str | None:
    """Why the parsed expression could backtrack exponentially, or None. Conservative: ref ids
    never need a variable repeat inside a repeat, an alternation inside a repeat, or a back-reference."""
    for op, av in parsed:
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            low, high, sub = av
            if repeated and low != high:
                return "repeats a part that itself repeats"
            found = _backtracking_risk(sub, repeated or high > 1)
        elif op in (_c.SUBPATTERN, _c.ATOMIC_GROUP):
            found = _backtracking_risk(av[-1], repeated)
        elif op == _c.BRANCH:
            if repeated:
                return "repeats a choice of alternatives"
            found = next((r for branch in av[1] if (r := _backtracking_risk(branch, repeated))), None)
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            found = _backtracking_risk(av[1], repeated)
        elif op in (_c.GROUPREF, _c.GROUPREF_EXISTS):
            return "refers back to an earlier group"
        else:
            found = None
        if found:
            return found
    return None


@dataclass(frozen=True)
class RefCheck:
    ok: bool
    message: str = ""


def check_ref(ref: str, pattern: str, theme_code: str | None = None) -> RefCheck:
    """Does ``ref`` fit the review's pattern (and name its own theme, when the pattern has one)?"""
    match = compile_pattern(pattern).fullmatch(ref)
    if not match:
        return RefCheck(False, f"ref id {ref!r} does not follow this review's pattern '{pattern}'")
    if "theme" in match.groupdict() and theme_code is not None and match.group("theme") != theme_code:
        return RefCheck(False, f"ref id {ref!r} names theme {match.group('theme')!r} "
                               f"but the action is under theme {theme_code!r}")
    return RefCheck(True)


def theme_in_ref(ref: str, pattern: str) -> str | None:
    match = compile_pattern(pattern).fullmatch(ref)
    if match and "theme" in match.groupdict():
        return match.group("theme")
    return None


def infer_pattern(refs: list[str]) -> str:
    """A pattern that takes every ref id given, from their shape: digits become \\d{n} (or \\d+ when
    their width varies), an upper-case word that varies becomes {theme}, anything else is literal."""
    refs = [r.strip() for r in refs if r and r.strip()]
    if not refs:
        return r"\d+"
    token = re.compile(r"\d+|[A-Z]+|[a-z]+|.")
    split = [token.findall(r) for r in refs]
    shape = [["d" if t.isdigit() else ("A" if t.isupper() else ("a" if t.isalpha() else t)) for t in s]
             for s in split]
    if any(s != shape[0] for s in shape):
        # Different shapes: fall back to what they share, one prefix of letters and a number.
        prefixes = {re.match(r"[A-Za-z]*", r).group(0) for r in refs}
        if len(prefixes) == 1 and all(re.fullmatch(r"[A-Za-z]*\d+", r) for r in refs):
            return re.escape(prefixes.pop()) + r"\d+"
        return r"\S+"
    parts = []
    theme_used = False
    for i, kind in enumerate(shape[0]):
        values = {s[i] for s in split}
        if kind == "d":
            widths = {len(v) for v in values}
            parts.append(rf"\d{{{widths.pop()}}}" if len(widths) == 1 and len(values) > 1 and min(widths) > 1
                         else r"\d+")
        elif kind == "A" and len(values) > 1 and not theme_used:
            parts.append("{theme}")
            theme_used = True
        elif len(values) == 1:
            parts.append(re.escape(values.pop()))
        else:
            parts.append("[A-Za-z]+")
    return "".join(parts)
