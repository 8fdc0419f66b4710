"""Which review a request is about, decided once at the web layer and kept in ``g.review``.

``?review=CODE`` chooses one (an unknown code is a 404) and is remembered in the session; otherwise
the one remembered; otherwise the main review. Queries never read the request: they are given the
review (tracker/plan/queries.py).
"""
from __future__ import annotations

from flask import abort, g, request, session
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import data_version
from ..extensions import db
from ..models import Review

# Pages that are not about a review of the signed-in user's choosing.
SKIPPED_BLUEPRINTS = {"health", "public"}


# Pages name the review's authority (the dashboard's caption): loaded with the review, never lazily.
_REVIEW = select(Review).options(joinedload(Review.authority))


def _review(statement) -> Review | None:
    # The data version comes in the same statement, read before anything the page shows: a stored
    # page (tracker/http_cache.stored_page) then costs one round trip fewer.
    row = db.session.execute(statement.add_columns(data_version.column())).first()
    if row is None:
        return None
    g.data_version = row[1]
    return row[0]


def default_review() -> Review | None:
    """The main review; without one, the earliest created (never the alphabetically first)."""
    return _review(_REVIEW.order_by(Review.is_main.desc(), Review.id).limit(1))


def resolve_review() -> None:
    g.review = None
    if request.endpoint is None or request.endpoint in ("static", "govuk_assets") \
            or request.blueprint in SKIPPED_BLUEPRINTS or not current_user.is_authenticated:
        return
    asked = request.args.get("review")
    if asked:
        review = _review(_REVIEW.where(Review.code == asked))
        if review is None:
            abort(404, description=f"There is no review {asked!r}")
        if session.get("review") != review.code:  # unchanged, the cookie is not signed and sent again
            session["review"] = review.code
        g.review = review
        return
    remembered = session.get("review")
    review = _review(_REVIEW.where(Review.code == remembered)) if remembered else None
    g.review = review or default_review()


def review_or_404() -> Review:
    review = g.get("review")
    if review is None:
        abort(404)
    return review


def set_main_review(review: Review, *, by=None) -> bool:
    """Make ``review`` its authority's main review (the others stop being main), recorded in the
    history. True when it changed."""
    from .. import history

    if review.is_main:
        return False
    for other in db.session.scalars(select(Review).where(Review.authority_id == review.authority_id,
                                                         Review.is_main.is_(True))):
        other.is_main = False
    review.is_main = True
    history.record(entity_type="review", entity_id=review.id, field="is_main", before=False, after=True,
                   by=by, review_id=review.id, label=f"Review {review.code}")
    return True
