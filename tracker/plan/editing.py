"""Updating the plan: a measure's status and progress text, a recommendation's commentary.

Plain HTML forms first: each POST redirects back (or re-shows the page with what was typed);
with htmx the same route returns just the re-rendered measure or recommendation.
"""
from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..htmx import htmx
from ..transactions import discard_changes
from ..locking import form_version
from ..models import Action, Recommendation
from . import queries
from .operations import (Conflict, Refused, link_recommendation, override_recommendation_status,
                         set_recommendation_response, unlink_recommendation, update_measure,
                         update_recommendation_status)
from .review_context import review_or_404
from .views import action_or_404, bp, may_update_measures_of, recommendation_or_404, render_action_page


# A stale response or status form: the page shows the current values, the form keeps the person's.
STALE_RECOMMENDATION = Refused("Someone else changed this recommendation while you were editing: "
                                       "its current response and status are shown on this page, your choice is "
                                       "kept in the form. Nothing was saved; save again to apply it.")


@bp.route("/actions/<path:ref>/measures/<int:number>", methods=["POST"])
def update_measure_view(ref: str, number: int):
    review = review_or_404()
    action = action_or_404(review, ref)
    if not may_update_measures_of(action):
        abort(403)
    measure = next((m for m in action.measures if m.number == number), None) or abort(404)
    form = request.form
    version = form_version(form)
    submitted = {"status": form.get("status", ""), "measured_output": form.get("measured_output", ""),
                 "note": form.get("note", "")}
    error = conflict = None
    try:
        if not submitted["measured_output"].strip():
            raise Refused("Enter the progress text (measured output)", "measured_output")
        changed = update_measure(measure, category=submitted["status"] or None, text=submitted["measured_output"],
                                 note=submitted["note"] or None, expected_version=version)
    except Conflict as exc:
        discard_changes()
        conflict = exc
    except Refused as exc:
        discard_changes()
        error = exc
    if conflict or error:
        status = 409 if conflict else 400
        # Whatever was typed comes back in the form: nothing a user typed is lost.
        context = dict(measure=measure, conflict=conflict, error=error, submitted=submitted)
        if htmx:
            return render_template("plan/_measure.html", review=review, action=action, measure=measure,
                                   may_update=True, edit=context), status
        return render_action_page(review, action, status, edit=context)
    what = "Progress" if number == 0 else f"Measure {number}"  # number 0: the action's own progress
    message = f"{what} of {action.ref} updated" if changed else f"{what}: nothing changed"
    if htmx:
        return render_template("plan/_measure.html", review=review, action=action, measure=measure,
                               may_update=True, saved=message)
    flash(message, "success")
    return redirect(url_for("plan.action", ref=action.ref, review=review.code) + f"#measure-{number}", 303)


@bp.route("/recommendations/<int:number>", methods=["POST"])
def update_recommendation_view(number: int):
    review = review_or_404()
    rec = recommendation_or_404(review, number)
    version = form_version(request.form)
    submitted = {"status_text": request.form.get("status_text", ""), "note": request.form.get("note", "")}
    try:
        changed = update_recommendation_status(rec, text=submitted["status_text"], note=submitted["note"] or None,
                                               expected_version=version)
    except Conflict as conflict:
        discard_changes()
        return render_template("plan/recommendation.html", review=review, rec=rec, conflict=conflict,
                               submitted=submitted, history=queries.history_of("recommendation", rec)), 409
    except Refused as error:
        discard_changes()
        return render_template("plan/recommendation.html", review=review, rec=rec, error=error,
                               submitted=submitted, history=queries.history_of("recommendation", rec)), 400
    flash(f"Recommendation {number} updated" if changed else "Nothing changed", "success")
    return redirect(url_for("plan.recommendation", number=number, review=review.code), 303)


@bp.route("/recommendations/<int:number>/response", methods=["POST"])
def update_recommendation_response(number: int):
    review = review_or_404()
    rec = recommendation_or_404(review, number)
    version = form_version(request.form)
    typed = {k: request.form.get(k, "").strip() for k in ("response", "response_on", "note")}
    try:
        try:
            response_on = dt.date.fromisoformat(typed["response_on"]) if typed["response_on"] else None
        except ValueError:
            raise Refused(f"{typed['response_on']!r} is not a date; enter it as YYYY-MM-DD, "
                                  "for example 2002-11-27", "response_on") from None
        changed = set_recommendation_response(rec, response=typed["response"] or None, response_on=response_on,
                                              note=typed["note"] or None, expected_version=version)
    except (Conflict, Refused) as error:
        discard_changes()
        conflict = isinstance(error, Conflict)
        return render_template("plan/recommendation.html", review=review, rec=rec,
                               response_error=STALE_RECOMMENDATION if conflict else error, typed_response=typed,
                               history=queries.history_of("recommendation", rec)), 409 if conflict else 400
    flash(f"Recommendation {number}: response recorded" if changed else "Nothing changed", "success")
    return redirect(url_for("plan.recommendation", number=number, review=review.code), 303)


@bp.route("/recommendations/<int:number>/status", methods=["POST"])
def override_recommendation_status_view(number: int):
    review = review_or_404()
    rec = recommendation_or_404(review, number)
    version = form_version(request.form)
    typed = {k: request.form.get(k, "") for k in ("status_override", "status_override_reason")}
    try:
        changed = override_recommendation_status(rec, category=typed["status_override"].strip() or None,
                                                 reason=typed["status_override_reason"], expected_version=version)
    except (Conflict, Refused) as error:
        discard_changes()
        conflict = isinstance(error, Conflict)
        return render_template("plan/recommendation.html", review=review, rec=rec,
                               override_error=STALE_RECOMMENDATION if conflict else error, typed_override=typed,
                               history=queries.history_of("recommendation", rec)), 409 if conflict else 400
    if not changed:
        message = "Nothing changed"
    elif rec.status_override:
        message = f"Recommendation {number}: status set by hand"
    else:
        message = f"Recommendation {number}: status rolled up from its actions again"
    flash(message, "success")
    return redirect(url_for("plan.recommendation", number=number, review=review.code), 303)


@bp.route("/recommendations/<int:number>/actions", methods=["POST"])
def link_recommendation_view(number: int):
    """Add (or, with remove=REF, take away) an action that delivers this recommendation."""
    review = review_or_404()
    rec = db.session.scalar(
        select(Recommendation).where(Recommendation.review_id == review.id, Recommendation.number == number)
        .options(selectinload(Recommendation.actions))) or abort(404)
    ref = (request.form.get("remove") or request.form.get("ref") or "").strip()
    action = db.session.scalar(select(Action).where(Action.review_id == review.id, Action.ref == ref))
    if action is None:
        flash(f"There is no action {ref!r} in this review; check the ref id" if ref else "Enter an action's ref id",
              "error")
        return redirect(url_for("plan.recommendation", number=number, review=review.code, link=ref), 303)
    if request.form.get("remove"):
        changed = unlink_recommendation(rec, action)
        message = f"{action.ref} no longer linked" if changed else "Nothing changed"
    else:
        changed = link_recommendation(rec, action)
        message = f"{action.ref} now delivers recommendation {number}" if changed else f"{action.ref} was already linked"
    flash(message, "success")
    return redirect(url_for("plan.recommendation", number=number, review=review.code), 303)
