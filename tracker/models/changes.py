"""The append-only record of every change: who, when, what, before, after, why."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .plan import utcnow


class Change(db.Model):
    # A timeline reads one entity's changes; the audit log reads by date; /changes and the dashboard's
    # recent changes read one review's by date, newest first (led by the review, or the walk down
    # the date index passes every other review's rows).
    __table_args__ = (Index("ix_change_entity", "entity_type", "entity_id"),
                      Index("ix_change_review_at", "review_id", "at", "id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)  # no FK: history outlives accounts
    user_name: Mapped[str | None] = mapped_column(String(200))  # as it was when the change was made
    review_id: Mapped[int | None] = mapped_column(ForeignKey("review.id"), index=True)
    entity_type: Mapped[str] = mapped_column(String(40))   # measure, action, recommendation, project, user, session
    entity_id: Mapped[int | None] = mapped_column(Integer)
    entity_label: Mapped[str | None] = mapped_column(String(200))  # e.g. "CC-01-ENV-01 measure 2"
    field: Mapped[str] = mapped_column(String(60))          # status, measured_output, created, sign_in ...
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class AppendOnlyError(RuntimeError):
    pass


@event.listens_for(Change, "before_update")
def _refuse_update(mapper, connection, target):
    raise AppendOnlyError("change records are append-only")


@event.listens_for(Change, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise AppendOnlyError("change records are append-only")
