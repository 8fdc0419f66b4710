"""The public progress page: what the council last reported to its committee, for anyone to read.

Only published (frozen) reports are shown, so nothing a manager is still drafting leaks out, and a
review whose page is off answers 404 as if it did not exist.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, get_template_attribute, redirect, render_template, request, url_for

from ..http_cache import conditional
from ..models import Review
from ..reports import builders
from ..reports.operations import last_published, part_data
from ..reports.renderers.html import chart_svg
from ..reports.snapshots import cached
from . import queries
from .forms import PublicPageForm
from .operations import set_public_page

bp = Blueprint("public", __name__)


def _public_review(code: str) -> Review:
    review = queries.review_by_code(code)
    if review is None or not review.public_page:
        abort(404)
    return review


def _public_version(review: Review, report) -> tuple:
    """What the public page shows changes only with the review's title (its version), its council's
    name and the report last published."""
    return (review.id, review.version, review.authority.name,
            (report.id, report.published_at.isoformat()) if report else None)


@bp.route("/public")
def index():
    reviews = queries.public_reviews()
    if not reviews:
        abort(404)
    return render_template("public/index.html", reviews=reviews)


@bp.route("/public/<code>")
def progress(code: str):
    review = _public_review(code)
    part = request.args.get("part", "summary")
    if part not in builders.PARTS:
        abort(404)
    report = last_published(review.id)

    def render():
        # The report's own blocks are the same for every reader of a published report: drawn once a process.
        body = cached(report, ("html", part), lambda: get_template_attribute("reports/_blocks.html", "render_blocks")(
            part_data(report, part), chart_svg, heading_offset=1)) if report else None
        # Anonymous visitors get a page any cache may share: no form, so no CSRF token in the session.
        return render_template("public/progress.html", review=review, report=report, part=part, body=body,
                               parts=builders.PARTS, shared_page=True)

    return conditional(render, *_public_version(review, report), last_modified=report.published_at if report else None,
                       shared=True)


@bp.route("/public/<code>/<part>.pdf")
def progress_pdf(code: str, part: str):
    review = _public_review(code)
    report = last_published(review.id)
    if report is None or part not in builders.PARTS:
        abort(404)
    from ..reports.views import part_file
    return conditional(lambda: part_file(report, part, "pdf"), *_public_version(review, report), per_user=False,
                       last_modified=report.published_at, shared=True)


@bp.route("/reports/public-page", methods=["POST"])
def toggle():
    form = PublicPageForm()
    if not form.validate():
        abort(400)
    review = queries.review_by_code(form.review.data or "") or abort(400)
    on = form.public_page.data == "on"
    set_public_page(review, on)
    if on:
        where = url_for("public.progress", code=review.code, _external=True)
        flash(f"The public progress page for {review.code} is on: anyone can read its latest published "
              f"report at {where}", "success")
    else:
        flash(f"The public progress page for {review.code} is off.", "success")
    return redirect(url_for("reports.reports", review=review.code), 303)
