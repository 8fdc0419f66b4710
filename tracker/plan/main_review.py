"""A manager chooses the main review: the one everyone lands on until they pick another."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from sqlalchemy import select

from ..extensions import db
from ..models import Review
from .review_context import set_main_review
from .views import bp


@bp.route("/reviews/main", methods=["POST"])
def set_main_review_view():
    code = request.form.get("code", "").strip()
    review = db.session.scalar(select(Review).where(Review.code == code)) if code else None
    if review is None:
        abort(400, description="Choose a review from the list. Nothing was changed.")
    if set_main_review(review):
        flash(f"{review.code} is now the main review: everyone lands on it until they choose another", "success")
    else:
        flash(f"{review.code} was already the main review", "success")
    return redirect(url_for("plan.overview", review=review.code), 303)
