"""A manager chooses the main review: the one everyone lands on until they pick another."""
from __future__ import annotations

from flask import abort, flash, redirect, url_for

from . import queries
from .forms import MainReviewForm
from .review_context import set_main_review
from .views import bp


@bp.app_template_global()
def main_review_form(review) -> MainReviewForm:
    return MainReviewForm(formdata=None, data={"code": review.code})


@bp.route("/reviews/main", methods=["POST"])
def set_main_review_view():
    form = MainReviewForm()
    code = (form.code.data or "").strip()
    review = queries.review_by_code(code) if code and form.validate() else None
    if review is None:
        abort(400, description="Choose a review from the list. Nothing was changed.")
    if set_main_review(review):
        flash(f"{review.code} is now the main review: everyone lands on it until they choose another", "success")
    else:
        flash(f"{review.code} was already the main review", "success")
    return redirect(url_for("plan.overview", review=review.code), 303)
