"""The plan as people read it: overview, master list of actions, one action, recommendations."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, g, render_template, request
from flask_login import current_user
from markupsafe import Markup

from ..charts import stacked_bars
from ..dates import date_range
from ..domain.status import CATEGORIES
from ..history import find_changes
from ..htmx import htmx
from ..http_cache import conditional, stored_page
from ..owners.queries import replies_summary
from ..people.permissions import may
from . import queries
from .forms import CommentaryForm, LinkActionForm, ResponseForm, StatusOverrideForm
from .review_context import review_or_404

bp = Blueprint("plan", __name__)


def action_or_404(review, ref: str):
    return queries.get_action(review, ref) or abort(404)


def recommendation_or_404(review, number: int):
    return queries.get_recommendation(review, number) or abort(404)


@bp.route("/")
@stored_page
def overview():
    review = g.review
    if review is None:
        return render_template("plan/empty.html")
    queries.with_themes(review)
    counts = queries.status_counts(review)
    chart = stacked_bars([(t.name, counts["by_theme"].get(t.code, {})) for t in review.themes],
                         title="Measures by status and central issue")
    stale_days = current_app.config["STALE_AFTER_DAYS"]
    return render_template("plan/overview.html", review=review, reviews=queries.review_choices(),
                           counts=counts, categories=CATEGORIES, chart=Markup(chart),
                           sizes=queries.review_sizes(review),
                           waiting=queries.waiting_on_projects(review),
                           attention=queries.attention(review, stale_days), stale_days=stale_days,
                           recent=queries.recent_changes(review), to_check=queries.statuses_to_check(review),
                           replies=replies_summary(review))


def render_actions_page(review, args, status: int = 200, **extra):
    queries.with_themes(review)
    filters = queries.ActionFilters.from_args(args, review)
    page = queries.filtered_actions(review, filters, page=max(args.get("page", 1, type=int), 1),
                                   size=current_app.config["PAGE_SIZE"])
    # "Select all that match" says how many, and posts back which (tracker/plan/assignment.py).
    selection = queries.selection_of(review, filters) if may(current_user.role, "assign_owner") and \
        not filters.errors else None
    context = dict(review=review, filters=filters, groups=queries.group_by_theme(page.items), page=page,
                   selection=selection,
                   rollup=queries.action_rollup, categories=CATEGORIES, owners=queries.owners(review),
                   projects=queries.projects_waited_on(review), element_codes=queries.element_codes(), **extra)
    status = 400 if filters.errors else status
    # htmx asks only for the table; the same partial is part of the full page.
    if htmx and htmx.target == "action-results":
        return render_template("plan/_action_results.html", **context), status
    return render_template("plan/actions.html", reviews=queries.review_choices(), **context), status


@bp.route("/actions")
@stored_page
def actions():
    return render_actions_page(review_or_404(), request.args)


def may_update_measures_of(action) -> bool:
    # Owners send replies from My actions instead (tracker/owners/): they count once a manager accepts them.
    return may(current_user.role, "update_status")


def render_action_page(review, action, status=200, **extra):
    return render_template("plan/action.html", review=review, action=action,
                           rollup=queries.action_rollup(action), may_update=may_update_measures_of(action),
                           history=queries.history_of("action", action), **extra), status


@bp.route("/actions/<path:ref>")
@stored_page
def action(ref: str):
    review = review_or_404()
    return render_action_page(review, action_or_404(review, ref))


@bp.route("/recommendations")
def recommendations():
    review = review_or_404()
    fingerprint, newest = queries.recommendations_fingerprint(review)

    def render():
        recs = queries.recommendations(review)
        return render_template("plan/recommendations.html", review=review, recommendations=recs,
                               rows=queries.recommendation_rows(review, recs))

    # Read far more often than changed: a browser that holds this version is told so before anything is drawn.
    return conditional(render, "recommendations", review.id, review.version, fingerprint, last_modified=newest)


def _shown_forms(rec) -> dict:
    """The recommendation page's forms as a fresh page shows them."""
    version = str(rec.version)
    return {
        "commentary": CommentaryForm(formdata=None, data={"status_text": rec.status_text or "", "version": version}),
        "response": ResponseForm(formdata=None, data={"response": rec.response or "", "response_on": rec.response_on,
                                                      "version": version}),
        "override": StatusOverrideForm(formdata=None, data={
            "status_override": rec.status_override or "",
            "status_override_reason": rec.status_override_reason or "", "version": version}),
        "link": LinkActionForm(formdata=None),
    }


def render_recommendation_page(review, rec, status: int = 200, *, posted: str | None = None, form=None,
                               conflict=None):
    """The page, with ``form`` (the one posted, under its name ``posted``) re-shown with its errors."""
    forms = _shown_forms(rec)
    if posted:
        forms[posted] = form
    return render_template("plan/recommendation.html", review=review, rec=rec, forms=forms,
                           error_form=form if form is not None and form.errors else None, conflict=conflict,
                           history=queries.history_of("recommendation", rec)), status


@bp.route("/recommendations/<int:number>")
@stored_page
def recommendation(number: int):
    review = review_or_404()
    return render_recommendation_page(review, recommendation_or_404(review, number))


@bp.route("/changes")
@stored_page
def changes():
    """What moved between two dates: the question asked at every committee meeting."""
    review = review_or_404()
    filters = date_range(request.args)
    page = max(request.args.get("page", 1, type=int), 1)
    found, has_next = ([], False) if filters.errors else find_changes(
        review_id=review.id, start=filters.start.data, end=filters.end.data, skip_created=True, page=page)
    return render_template("plan/changes.html", review=review, changes=found, filters=filters, page=page,
                           has_next=has_next), (400 if filters.errors else 200)
