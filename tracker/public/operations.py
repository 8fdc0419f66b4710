"""Turning a review's public progress page on or off, recorded like every other change."""
from __future__ import annotations

from .. import history
from ..models import Review


def set_public_page(review: Review, on: bool, *, by=None) -> bool:
    """True when something changed."""
    if review.public_page == on:
        return False
    history.record(entity_type="review", entity_id=review.id, field="public_page", before=review.public_page,
                   after=on, by=by, review_id=review.id, label=f"Review {review.code} public page")
    review.public_page = on
    return True

