"""Turning a review's public progress page on or off, recorded like every other change."""
from __future__ import annotations

from sqlalchemy import update

from .. import history
from ..extensions import db
from ..models import Review


def set_public_page(review: Review, on: bool, *, by=None) -> bool:
    """True when something changed.

    A conditional UPDATE (``WHERE public_page = :before``): of two admins flipping it at once only
    one change is made and recorded; the other is told nothing changed.
    """
    before = review.public_page
    if before == on:
        return False
    done = db.session.execute(
        update(Review).where(Review.id == review.id, Review.public_page == before).values(public_page=on)
        .execution_options(synchronize_session=False)).rowcount
    db.session.expire(review, ["public_page"])
    if done != 1:
        return False
    history.record(entity_type="review", entity_id=review.id, field="public_page", before=before,
                   after=on, by=by, review_id=review.id, label=f"Review {review.code} public page")
    return True
