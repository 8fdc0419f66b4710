"""Updating the plan: a measure's status and progress text, a recommendation's commentary,
response, status set by hand and the actions that deliver it.

Plain HTML forms first: each POST redirects back (or re-shows the page with what was typed and a
GOV.UK error summary); with htmx the measure's route returns just the re-rendered measure.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from ..forms import show_refusal
from ..htmx import htmx
from ..transactions import discard_changes
from . import queries
from .forms import CommentaryForm, LinkActionForm, MeasureUpdateForm, ResponseForm, StatusOverrideForm, ids_for
from .operations import (
    Conflict,
    Refused,
    link_recommendation,
    override_recommendation_status,
    set_recommendation_response,
    unlink_recommendation,
    update_measure,
    update_recommendation_status,
)
from .review_context import review_or_404
from .views import (
    action_or_404,
    bp,
    may_update_measures_of,
    recommendation_or_404,
    render_action_page,
    render_recommendation_page,
)

# A stale form: the page shows the current values, the form keeps the person's and now carries the
# current version, so saving again is a deliberate choice.
STALE_MEASURE = ("Someone else changed this measure while you were editing: their text is shown above, yours "
                 "is kept here. Nothing was saved; save again to replace theirs.")
STALE_RECOMMENDATION = ("Someone else changed this recommendation while you were editing: its current response "
                        "and status are shown on this page, your choice is kept in the form. Nothing was saved; "
                        "save again to apply it.")
STALE_COMMENTARY = ("Someone else changed this commentary while you were editing: their text is shown above, "
                    "yours is kept here. Nothing was saved; save again to replace theirs.")


# --- a measure ---

@bp.app_template_global()
def measure_update_form(measure) -> MeasureUpdateForm:
    """A measure's update form as the page shows it: its text, a status chosen by hand, its version."""
    form = ids_for(MeasureUpdateForm(formdata=None), measure.number)
    form.measured_output.data = measure.measured_output
    form.status.data = measure.status if measure.status_overridden else ""
    form.version.data = str(measure.version)
    return form


@bp.route("/actions/<path:ref>/measures/<int:number>", methods=["POST"])
def update_measure_view(ref: str, number: int):
    review = review_or_404()
    action = action_or_404(review, ref)
    if not may_update_measures_of(action):
        abort(403)
    measure = next((m for m in action.measures if m.number == number), None) or abort(404)
    what = "Progress" if number == 0 else f"Measure {number}"  # number 0: the action's own progress
    form = ids_for(MeasureUpdateForm(), number)
    version = form.posted_version()
    conflict = None
    if form.validate():
        try:
            changed = update_measure(measure, category=form.status.data or None, text=form.measured_output.data,
                                     note=form.note.data or None, expected_version=version)
        except Conflict as exc:
            discard_changes()
            conflict = exc
            form.version.data = str(measure.version)
            show_refusal(form, Refused(STALE_MEASURE if number else
                                         STALE_MEASURE.replace("this measure", "this action's progress"),
                                         "measured_output"))
        except Refused as error:
            discard_changes()
            show_refusal(form, error)
        else:
            message = f"{what} of {action.ref} updated" if changed else f"{what}: nothing changed"
            if htmx:
                return render_template("plan/_measure.html", review=review, action=action, measure=measure,
                                       may_update=True, saved=message)
            flash(message, "success")
            return redirect(url_for("plan.action", ref=action.ref, review=review.code) + f"#measure-{number}", 303)
    status = 409 if conflict else 400
    # Whatever was typed comes back in the form: nothing a person typed is lost.
    edit = dict(measure=measure, form=form, conflict=conflict)
    if htmx:
        return render_template("plan/_measure.html", review=review, action=action, measure=measure,
                               may_update=True, edit=edit), status
    return render_action_page(review, action, status, edit=edit, error_form=form, error_prefix=f"{what}: ")


# --- a recommendation ---

@bp.route("/recommendations/<int:number>", methods=["POST"])
def update_recommendation_view(number: int):
    review = review_or_404()
    rec = recommendation_or_404(review, number)
    form = CommentaryForm()
    version = form.posted_version()
    conflict = None
    if form.validate():
        try:
            changed = update_recommendation_status(rec, text=form.status_text.data or "",
                                                   note=form.note.data or None, expected_version=version)
        except Conflict as exc:
            discard_changes()
            conflict = exc
            form.version.data = str(rec.version)
            show_refusal(form, Refused(STALE_COMMENTARY, "status_text"))
        except Refused as error:
            discard_changes()
            show_refusal(form, error)
        else:
            flash(f"Recommendation {number} updated" if changed else "Nothing changed", "success")
            return redirect(url_for("plan.recommendation", number=number, review=review.code), 303)
    return render_recommendation_page(review, rec, 409 if conflict else 400, posted="commentary", form=form,
                                      conflict=conflict)


def _save(review, rec, form, posted: str, stale_field: str, operation):
    """Validate ``form`` and run ``operation(version)``: (result, None) or (None, the error page)."""
    version = form.posted_version()
    status = 400
    if form.validate():
        try:
            return operation(version), None
        except Conflict:
            discard_changes()
            status = 409
            form.version.data = str(rec.version)
            show_refusal(form, Refused(STALE_RECOMMENDATION, stale_field))
        except Refused as error:
            discard_changes()
            show_refusal(form, error)
    return None, render_recommendation_page(review, rec, status, posted=posted, form=form)


@bp.route("/recommendations/<int:number>/response", methods=["POST"])
def update_recommendation_response(number: int):
    review = review_or_404()
    rec = recommendation_or_404(review, number)
    form = ResponseForm()
    changed, page = _save(review, rec, form, "response", "response", lambda version: set_recommendation_response(
        rec, response=form.response.data or None, response_on=form.response_on.data, note=form.note.data or None,
        expected_version=version))
    if page:
        return page
    flash(f"Recommendation {number}: response recorded" if changed else "Nothing changed", "success")
    return redirect(url_for("plan.recommendation", number=number, review=review.code), 303)


@bp.route("/recommendations/<int:number>/status", methods=["POST"])
def override_recommendation_status_view(number: int):
    review = review_or_404()
    rec = recommendation_or_404(review, number)
    form = StatusOverrideForm()
    changed, page = _save(review, rec, form, "override", "status_override", lambda version: (
        override_recommendation_status(rec, category=(form.status_override.data or "").strip() or None,
                                       reason=form.status_override_reason.data or "", expected_version=version)))
    if page:
        return page
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
    rec = recommendation_or_404(review, number)
    form = LinkActionForm()
    if form.validate():
        ref = (form.remove.data or form.ref.data or "").strip()
        action = queries.get_action(review, ref) if ref else None
        try:
            if action is None:
                raise Refused(f"There is no action {ref!r} in this review; check the ref id" if ref
                              else "Enter an action's ref id", "ref")
            if form.remove.data:
                changed = unlink_recommendation(rec, action)
                message = f"{action.ref} no longer linked" if changed else "Nothing changed"
            else:
                changed = link_recommendation(rec, action)
                message = (f"{action.ref} now delivers recommendation {number}" if changed
                           else f"{action.ref} was already linked")
        except Refused as error:
            discard_changes()
            show_refusal(form, error)
        else:
            flash(message, "success")
            return redirect(url_for("plan.recommendation", number=number, review=review.code), 303)
    return render_recommendation_page(review, rec, 400, posted="link", form=form)
