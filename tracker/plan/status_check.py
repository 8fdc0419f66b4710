"""Statuses to check: confirming the category of a measure whose progress text no rule recognised.

The rule keeps the category the measure had and flags it (tracker/domain/status.py ``settle``);
here a manager confirms it. Choosing a status in the measure's own form clears the flag too.
Plain HTML form first; with htmx the route returns just the re-rendered measure.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from ..domain.status import CATEGORY_LABELS
from ..forms import show_refusal
from ..htmx import htmx
from ..refused import Refused
from ..transactions import discard_changes
from .forms import ConfirmStatusForm, ids_for
from .operations import Conflict, confirm_status
from .review_context import review_or_404
from .views import action_or_404, bp, may_update_measures_of, render_action_page

STALE = ("Someone changed this measure after you loaded the page: its current text and status are shown. "
         "Nothing was confirmed; check them and confirm again.")


def _numbered(form: ConfirmStatusForm, measure) -> ConfirmStatusForm:
    return ids_for(form, measure.number, prefix="confirm-")


@bp.app_template_global()
def confirm_status_form(measure) -> ConfirmStatusForm:
    """The confirm form of one measure, carrying the version the page shows."""
    form = _numbered(ConfirmStatusForm(formdata=None), measure)
    form.version.data = str(measure.version)
    return form


@bp.route("/actions/<path:ref>/measures/<int:number>/confirm", methods=["POST"])
def confirm_measure_status(ref: str, number: int):
    review = review_or_404()
    action = action_or_404(review, ref)
    measure = next((m for m in action.measures if m.number == number), None) or abort(404)
    form = _numbered(ConfirmStatusForm(), measure)
    version = form.posted_version()
    status = 400
    if form.validate():
        try:
            changed = confirm_status(measure, note=form.note.data, expected_version=version)
        except Conflict:
            discard_changes()
            status = 409
            form.version.data = str(measure.version)
            show_refusal(form, Refused(STALE, "note"))
        else:
            label = CATEGORY_LABELS[measure.status]
            message = (f"Measure {number} of {action.ref}: status confirmed as {label}" if changed
                       else f"Measure {number}: its status was not waiting to be checked, so nothing changed")
            if htmx:
                return render_template("plan/_measure.html", review=review, action=action, measure=measure,
                                       may_update=may_update_measures_of(action), saved=message)
            flash(message, "success")
            return redirect(url_for("plan.action", ref=action.ref, review=review.code) + f"#measure-{number}", 303)
    confirming = dict(number=number, form=form)
    if htmx:
        return render_template("plan/_measure.html", review=review, action=action, measure=measure,
                               may_update=may_update_measures_of(action), confirming=confirming), status
    return render_action_page(review, action, status, confirming=confirming, error_form=form,
                              error_prefix=f"Measure {number}: ")
