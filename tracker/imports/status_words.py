"""The words of an uploaded table's Status column: how each will be read, and what to remember.

Each word that is not a plain status word is shown on the preview with how it is read and why:
by a stated rule (a RAG colour, a percentage, a misspelling: tracker/domain/status.py), by what a
person at the council told us before ("as you told us on 3 December 2026"), or not at all (the
person must choose). A word the person chooses, or reads differently from the rules or from what
was remembered, is remembered for the council when the import is applied, so its next import
reads it without asking (tracker/plan/vocabulary.py). A dry run or a preview remembers nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ..domain.status import CATEGORY_LABELS, fold_word, read_status_word
from ..extensions import db
from ..models import Authority
from ..plan import vocabulary

UK = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class StatusWordRow:
    written: str                # as the file writes it
    rows: list[int]             # the file's row numbers
    category: str | None        # as it will be read; None: a person must choose
    how: str                    # "rule", "remembered", "chosen" or "unknown"
    reason: str                 # shown beside the word: how it is read and why


@dataclass
class StatusWords:
    authority: str = ""                                         # the council the words are read for
    rows: list[StatusWordRow] = field(default_factory=list)
    to_remember: dict[str, str] = field(default_factory=dict)  # as written -> category, when applied

    def status_map(self) -> dict[str, str]:
        """What the conversion is to read each word as, where the rules alone would not."""
        return {row.written: row.category for row in self.rows if row.how in ("remembered", "chosen")}


def told_on(moment) -> str:
    """A stored UTC time as the UK date people were told it on: "3 December 2026"."""
    local = moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(UK)
    return f"{local.day} {local:%B %Y}"


def read_status_words(frame, mapping: dict, authority: str, chosen: dict[str, str] | None) -> StatusWords:
    """How each distinct word of the Status column will be read at ``authority``. ``chosen``:
    the person's choices on the page or ``--status-map`` (as written -> category); anything
    that is not a category is ignored."""
    words = StatusWords(authority)
    column = mapping.get("status")
    if not column or column not in frame.columns:
        return words
    authority_id = db.session.scalar(select(Authority.id).where(Authority.name == authority))
    memory = vocabulary.remembered(authority_id)
    mine = {key.strip().lower(): value for key, value in (chosen or {}).items() if value in CATEGORY_LABELS}
    found: dict[str, list[int]] = {}
    for (row_number, value), row in zip(frame[column].items(), frame.values, strict=False):
        text = str(value).strip()
        # A heading row (one text, often merged across the table) names a theme, not a status.
        if text and len({str(v).strip() for v in row if str(v).strip()}) >= 2:
            found.setdefault(text, []).append(row_number)
    for text, rows in found.items():
        reading = read_status_word(text)
        held = memory.get(fold_word(text))
        before = held.category if held else reading.category
        choice = mine.get(text.lower())
        if choice and choice != before:
            row = StatusWordRow(text, rows, choice, "chosen",
                                f"Read as {CATEGORY_LABELS[choice]}, as you chose: it will be remembered")
            words.to_remember[text] = choice
        elif held:
            who = f" ({held.created_by})" if held.created_by else ""
            row = StatusWordRow(text, rows, held.category, "remembered", f"Read as {CATEGORY_LABELS[held.category]}, "
                                f"as you told us on {told_on(held.created_at)}{who}")
        elif reading.category is None:
            row = StatusWordRow(text, rows, None, "unknown", "Not a status we know: say what it means")
        elif reading.known:
            continue                # "Complete", "In progress": nothing to check
        else:
            row = StatusWordRow(text, rows, reading.category, "rule",
                                f"Read as {CATEGORY_LABELS[reading.category]}: {reading.reason}")
        words.rows.append(row)
    return words


def remember_chosen(words: StatusWords, by=None, note: str | None = None) -> list[str]:
    """Remember the words the person chose, for the council the import was applied to."""
    if not words.to_remember:
        return []
    authority = db.session.scalar(select(Authority).where(Authority.name == words.authority))
    if authority is None:       # the plan names another council than the words were read for
        return []
    return vocabulary.remember_status_words(authority, words.to_remember, by=by, note=note)
