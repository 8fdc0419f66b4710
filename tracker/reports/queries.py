"""Reading committee reports for the report pages (which do not touch the database session)."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import CommitteeReport, Review


def get_report(report_id: int) -> CommitteeReport | None:
    return db.session.get(CommitteeReport, report_id)


def reports_of(review: Review, *, published_only: bool) -> list[CommitteeReport]:
    """The review's reports, newest meeting first; drafts left out when ``published_only``."""
    query = select(CommitteeReport).where(CommitteeReport.review_id == review.id)
    if published_only:
        query = query.where(CommitteeReport.status == "published")
    return db.session.scalars(query.order_by(CommitteeReport.meeting_on.desc(), CommitteeReport.id.desc())).all()


def snapshot_part(report_id: int, *path: str):
    """One piece of a published report's snapshot, e.g. ("parts", "summary"), read by the database
    (PostgreSQL ``#>``, SQLite ``json_extract``) so the rest of it is never parsed; None if absent."""
    return db.session.scalar(select(CommitteeReport.snapshot[path]).where(CommitteeReport.id == report_id))
