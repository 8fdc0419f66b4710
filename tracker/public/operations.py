"""Turning a review's public progress page on or off, recorded like every other change."""
from __future__ import annotations

from sqlalchemy import select

from .. import history
from ..extensions import db
from ..models import CommitteeReport, Review


def set_public_page(review: Review, on: bool, *, by=None) -> bool:
    """True when something changed."""
    if review.public_page == on:
        return False
    history.record(entity_type="review", entity_id=review.id, field="public_page", before=review.public_page,
                   after=on, by=by, review_id=review.id, label=f"Review {review.code} public page")
    review.public_page = on
    return True


def latest_published(review: Review) -> CommitteeReport | None:
    return db.session.scalar(select(CommitteeReport).where(
        CommitteeReport.review_id == review.id, CommitteeReport.status == "published")
        .order_by(CommitteeReport.meeting_on.desc(), CommitteeReport.published_at.desc()).limit(1))
