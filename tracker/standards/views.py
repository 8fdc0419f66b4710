"""Standards (Customer Service Excellence ...): the standard, and one element with its mapped actions.

The blueprint's other pages sit beside this module: mapping.py (linking actions to elements),
assessments.py (self-assessments, ratings, readiness) and gap.py (the sites x sub-criteria grid).
"""
from __future__ import annotations

from flask import Blueprint, g, render_template, request

from ..domain.readiness import RATING_LABELS
from ..htmx import htmx
from ..http_cache import stored_page
from . import queries

bp = Blueprint("standards", __name__)


@bp.route("/standards/<code>")
@stored_page
def standard(code: str):
    found = queries.get_standard(code)
    ids = [e.id for e in queries.elements_of(found)]
    counts = queries.mapped_counts(ids)
    return render_template("standards/standard.html", standard=found, mapped_counts=counts,
                           assessment_count=len(queries.assessments(found)))


def element_context(standard, element, *, q: str | None = None, **extra) -> dict:
    """What the element page and its mapped-actions fragment show."""
    review = g.review
    mapped = queries.mapped_actions(standard, element_ids=[element.id]).get(element.id, [])
    q = (q if q is not None else request.args.get("q", "")).strip()
    results = queries.search_actions(review, q) if (review is not None and q) else None
    return dict(standard=standard, element=element, review=review,
                mapped=[(a, queries.action_status(a)) for a in mapped],
                q=q, results=results, rating_labels=RATING_LABELS, **extra)


@bp.route("/standards/<code>/elements/<element_code>")
@stored_page
def element(code: str, element_code: str):
    standard = queries.get_standard(code)
    found = queries.find_element(standard, element_code)
    context = element_context(standard, found)
    # Search-as-you-type asks only for the results; the same partial is part of the full page.
    if htmx and htmx.target == "action-picker-results":
        return render_template("standards/_action_picker_results.html", **context)
    by_assessment = queries.ratings_of_element(found)
    assessed = [(a, by_assessment.get(a.id)) for a in queries.assessments(standard)]
    return render_template("standards/element.html", assessed=assessed, **context)


# The blueprint's other routes (imported here so registering `bp` registers them all).
from . import assessments, gap, mapping  # noqa: E402,F401
