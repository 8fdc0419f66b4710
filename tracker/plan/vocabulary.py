"""A council's own status words: once a person has said what a word means (on the import page,
or with ``--status-map``), the council's next import reads it without asking.

The queries take plain arguments; the operations write through the history like every other
change, so who taught or forgot a word, and when, is on the record. Words are kept in their folded
form (tracker/domain/status.fold_word): "On Target", "on-target" and "ON TARGET " are one word.
"""
from __future__ import annotations

from sqlalchemy import select

from .. import history
from ..domain.status import CATEGORY_LABELS, fold_word
from ..extensions import db
from ..models import Authority, StatusWord, utcnow
from ..refused import Refused

LONGEST = 200  # a longer cell is a sentence, not a word: it is read each time, never remembered


def remembered(authority_id: int | None) -> dict[str, StatusWord]:
    """The authority's remembered words, folded word -> row (who told us, when)."""
    if authority_id is None:
        return {}
    rows = db.session.scalars(select(StatusWord).where(StatusWord.authority_id == authority_id)
                              .order_by(StatusWord.word)).all()
    return {row.word: row for row in rows}


def remembered_words(authority_id: int | None) -> dict[str, str]:
    """The authority's remembered words, folded word -> category."""
    return {word: row.category for word, row in remembered(authority_id).items()}


def _label(authority: Authority, written: str) -> str:
    return f'Status word "{written[:120]}" ({authority.name})'


def remember_status_words(authority: Authority, mapping: dict[str, str], by=None, note: str | None = None) -> list[str]:
    """Remember what each word of ``mapping`` (as written -> category) means at ``authority``.

    A word already remembered with another meaning takes the new one (the person has just said
    so); one remembered with the same meaning is left as it is. Returns the folded words that
    changed. Refuses an unknown category; words too long to be a status word are skipped."""
    held = remembered(authority.id)
    user = history.actor(by)
    changed = []
    for written, category in mapping.items():
        if category not in CATEGORY_LABELS:
            raise Refused(f"{category!r} is not a status; choose one of {', '.join(CATEGORY_LABELS)}")
        word = fold_word(written)
        if not word or len(word) > LONGEST or len(written.strip()) > LONGEST:
            continue
        row = held.get(word)
        before = row.category if row else None
        if before == category:
            continue
        if row is None:
            row = held[word] = StatusWord(authority_id=authority.id, word=word, written=written.strip(),
                                          category=category)
            db.session.add(row)
        row.category = category
        # The date shown beside the word is when someone last told us what it means.
        row.created_at = utcnow()
        row.created_by = getattr(user, "name", None)
        row.created_by_id = getattr(user, "id", None)
        db.session.flush()
        history.record(entity_type="status_word", entity_id=row.id, field="status", before=before, after=category,
                       by=by, note=note, label=_label(authority, row.written))
        changed.append(word)
    return changed


def forget_status_word(authority: Authority, word: str, by=None) -> StatusWord | None:
    """Forget what a word means at ``authority``: its next import asks again. Returns the row
    forgotten, or None when the word was not remembered. The history keeps what it meant."""
    row = remembered(authority.id).get(fold_word(word))
    if row is None:
        return None
    history.record(entity_type="status_word", entity_id=row.id, field="status", before=row.category, after=None,
                   by=by, note="forgotten: the next import asks again", label=_label(authority, row.written))
    db.session.delete(row)
    db.session.flush()
    return row
