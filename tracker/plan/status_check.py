"""Statuses to check: confirming the category of a measure whose progress text no rule recognised.

The rule keeps the category the measure had and flags it (tracker/domain/status.py ``settle``);
here a manager confirms it. Choosing a status in the measure's own form clears the flag too.
Plain HTML form first; with htmx the route returns just the re-rendered measure.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from ..domain.status import CATEGORY_LABELS
from ..htmx import htmx
from ..locking import form_version
from ..transactions import discard_changes
from .forms import ConfirmStatusForm
from .operations import Conflict, confirm_status
from .review_context import review_or_404
from .views import action_or_404, bp, may_update_measures_of, render_action_page

STALE = ("Someone changed this measure after you loaded the page: its current text and status are shown. "
         "Nothing was confirmed; check them and confirm again.")


@bp.app_template_global()
def confirm_status_form(measure, note: str = "") -> ConfirmStatusForm:
    """The confirm form of one measure, carrying the version the page shows (and a typed note back)."""
    form = ConfirmStatusForm(formdata=None)
    form.version.data = measure.version
    form.note.data = note
    return form


@bp.route("/actions/<path:ref>/measures/<int:number>/confirm", methods=["POST"])
def confirm_measure_status(ref: str, number: int):
    review = review_or_404()
    action = action_or_404(review, ref)
    measure = next((m for m in action.measures if m.number == number), None) or abort(404)
    version = form_version(request.form)
    form = ConfirmStatusForm()
    error = None
    if not form.validate():
        error = next(iter(form.errors.values()))[0]
    else:
        try:
            changed = confirm_status(measure, note=form.note.data, expected_version=version)
        except Conflict:
            discard_changes()
            error = STALE
    if error:
        status = 409 if error is STALE else 400
        context = dict(number=number, message=error, note=form.note.data or "")
        if htmx:
            return render_template("plan/_measure.html", review=review, action=action, measure=measure,
                                   may_update=may_update_measures_of(action), confirm_error=context), status
        return render_action_page(review, action, status, confirm_error=context)
    label = CATEGORY_LABELS[measure.status]
    message = (f"Measure {number} of {action.ref}: status confirmed as {label}" if changed
               else f"Measure {number}: its status was not waiting to be checked, so nothing changed")
    if htmx:
        return render_template("plan/_measure.html", review=review, action=action, measure=measure,
                               may_update=may_update_measures_of(action), saved=message)
    flash(message, "success")
    return redirect(url_for("plan.action", ref=action.ref, review=review.code) + f"#measure-{number}", 303)
