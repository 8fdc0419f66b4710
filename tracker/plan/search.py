"""Searching a review's actions through the database's own full-text index.

Words are looked up in the index built by tracker/models/search_index.py (PostgreSQL ``tsvector``
with GIN indexes; SQLite FTS5), with English stemming: "trained" finds "training", several words
must all be there (in any order), "quoted words" must be together, ``or`` between words accepts
either, and a leading ``-`` leaves a word out (PostgreSQL's ``websearch_to_tsquery`` rules).

What is not words keeps the literal "contains" search (tracker/search_text.py) it always had: a
ref id or anything with a digit and no space ("CC-01-ENV-01", "SC18"), fewer than three characters,
or a text with other characters than letters, digits, spaces, quotes and hyphens (``80%``, ``a_b``),
where a person means exactly those characters.
"""
from __future__ import annotations

import re

from sqlalchemy import and_, column, false, func, literal_column, not_, or_, select, table
from sqlalchemy.sql.elements import ColumnElement

from ..extensions import db
from ..models import Action, Measure
from ..models.search_index import SEARCH_COLUMN, SEARCH_CONFIG
from ..search_text import contains

MIN_WORDS_LENGTH = 3
WORDS = re.compile(r"^[^\W_]+(?:[\s'\"\u2019-]+[^\W_]*)*[\s'\"\u2019]*$")
_TERM = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def uses_index(q: str) -> bool:
    """True when ``q`` is words for the full-text index; False: the literal "contains" search."""
    q = q.strip()
    if len(q) < MIN_WORDS_LENGTH or not WORDS.match(q.lstrip('-"')):
        return False
    return not (any(ch.isdigit() for ch in q) and not any(ch.isspace() for ch in q))


def action_matches(q: str) -> ColumnElement[bool]:
    """A condition on ``Action``: its ref, title or detail, or one of its measures' text or measured
    output, matches ``q``. Each word (or "phrase") may be in a different one of those texts: every
    word is looked up in the index on its own, and an action must have them all."""
    q = q.strip()
    if not uses_index(q):
        return or_(contains(Action.ref, q), contains(Action.title, q),
                   Action.measures.any(or_(contains(Measure.text, q), contains(Measure.measured_output, q))))
    dialect = db.engine.dialect.name
    if dialect not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"no full-text search for {dialect}")
    has = _postgres_term if dialect == "postgresql" else _sqlite_term
    groups, excluded = terms(q)
    if not groups:
        return false()  # only words left out: nothing is asked for, nothing is found
    wanted = or_(*(and_(*(has(term) for term in group)) for group in groups))
    return and_(wanted, *(not_(has(term)) for term in excluded)) if excluded else wanted


def matching_action_ids(review_id: int, q: str):
    """The ids of the review's actions that match ``q``, as a subquery."""
    return select(Action.id).where(Action.review_id == review_id, action_matches(q))


def terms(q: str) -> tuple[list[list[str]], list[str]]:
    """``q`` read by websearch rules: groups of words and phrases that must all be there, any group
    will do (``or`` between two), and words left out (``-word``)."""
    groups: list[list[str]] = [[]]
    excluded: list[str] = []
    pending_or = False
    for negated, phrase, word in _TERM.findall(q):
        text = phrase or word
        if not phrase and word.lower() == "or":
            pending_or = bool(groups[-1])
            continue
        if not phrase and word.startswith("-"):
            negated, text = "-", word[1:]
        text = " ".join(text.strip("\"'’-").split())
        if not text:
            continue
        if negated:
            excluded.append(text)
        elif pending_or:
            groups.append([text])
        else:
            groups[-1].append(text)
        pending_or = False
    return [g for g in groups if g], excluded


def _postgres_term(term: str) -> ColumnElement[bool]:
    # The stored tsvector columns (tracker/models/search_index.py): the words are the only bound value.
    # A word the English dictionary ignores ("the") makes an empty query, which asks for nothing
    # rather than refusing every action.
    words = func.websearch_to_tsquery(literal_column(SEARCH_CONFIG), f'"{term}"')
    in_action = literal_column(f"action.{SEARCH_COLUMN}").op("@@")(words)
    in_measures = Action.measures.any(literal_column(f"measure.{SEARCH_COLUMN}").op("@@")(words))
    return or_(func.numnode(words) == 0, in_action, in_measures)


_ACTION_FTS = table("action_fts", column("rowid"))
_MEASURE_FTS = table("measure_fts", column("rowid"))


def _sqlite_term(term: str) -> ColumnElement[bool]:
    match = fts5_string(term)
    in_actions = select(_ACTION_FTS.c.rowid).where(literal_column("action_fts").op("MATCH")(match))
    in_measures = select(Measure.action_id).where(Measure.id.in_(
        select(_MEASURE_FTS.c.rowid).where(literal_column("measure_fts").op("MATCH")(match))))
    return or_(Action.id.in_(in_actions), Action.id.in_(in_measures))


def fts5_string(term: str) -> str:
    """A word or phrase as an FTS5 string, so nothing a person types is FTS5 syntax (NEAR, *, ^ ...)."""
    return '"' + term.replace('"', '""') + '"'
