"""Status words a council has told us the meaning of, remembered for its next import."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .plan import utcnow


class StatusWord(db.Model):
    """One word of one authority's vocabulary: "Mauve" means in_progress at this council.

    ``word`` is the folded form (tracker/domain/status.fold_word), so "On-Target " and "on target"
    are one word; ``written`` is how the file first wrote it, for people to recognise."""
    __table_args__ = (UniqueConstraint("authority_id", "word"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), index=True)
    word: Mapped[str] = mapped_column(String(200))
    written: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[str | None] = mapped_column(String(200))  # the person's name then; None from the CLI
    created_by_id: Mapped[int | None] = mapped_column(Integer)   # no FK: the word outlives the account
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
