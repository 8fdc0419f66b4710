"""Committee reports: a report to a named meeting, frozen when published."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .plan import utcnow


class CommitteeReport(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"), index=True)
    committee: Mapped[str] = mapped_column(String(200))
    meeting_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft | published
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    published_by: Mapped[str | None] = mapped_column(String(200))
    # The report that was the baseline for "what changed since" when this one was published.
    since_report_id: Mapped[int | None] = mapped_column(Integer)
    # Frozen at publishing: every appendix as plain report data, and the plan's state as the
    # baseline for the next report. Never changed afterwards. Deferred: at 1,000 actions it is 3 MB
    # of JSON, which a list of reports never needs and a page reads one part of (queries.snapshot_part).
    snapshot: Mapped[dict | None] = mapped_column(JSON, deferred=True)

    review = relationship("Review")

    @property
    def published(self) -> bool:
        return self.status == "published"

    @property
    def label(self) -> str:
        return f"{self.committee}, {self.meeting_on.strftime('%-d %B %Y')}"
