"""A draft report is a draft: its meeting corrected, the draft deleted, and publishing only after a
page that says what will be frozen. The publish button of that page posts to ``reports.publish``,
whose conditional UPDATE makes publishing twice impossible (tracker/reports/operations.py)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from ..forms import show_refusal
from ..plan import queries
from ..refused import Refused
from ..transactions import discard_changes
from . import builders
from .draft_forms import ConfirmForm, DraftMeetingForm
from .draft_operations import delete_draft, edit_draft
from .operations import last_published
from .views import _get, bp


def _draft_or_redirect(report_id: int):
    found = _get(report_id)
    if found.published:
        flash("This report is published: it is frozen and cannot be changed, deleted or published again.", "error")
        return found, redirect(url_for("reports.report", report_id=found.id), 303)
    return found, None


@bp.route("/reports/<int:report_id>/edit", methods=["GET", "POST"])
def edit_report(report_id: int):
    found, done = _draft_or_redirect(report_id)
    if done:
        return done
    form = DraftMeetingForm(obj=found)
    status = 200
    if form.is_submitted():
        if form.validate():
            try:
                edit_draft(found, committee=form.committee.data, meeting_on=form.meeting_on.data)
                flash(f"Saved: the draft is now the report to {found.label}.", "success")
                return redirect(url_for("reports.report", report_id=found.id), 303)
            except Refused as exc:
                discard_changes()
                show_refusal(form, exc)
        status = 400
    return render_template("reports/draft_meeting.html", form=form, report=found, review=found.review), status


@bp.route("/reports/<int:report_id>/delete", methods=["GET", "POST"])
def delete_report(report_id: int):
    found, done = _draft_or_redirect(report_id)
    if done:
        return done
    form = ConfirmForm()
    form.submit.label.text = "Delete this draft"
    if form.validate_on_submit():
        label = delete_draft(found)
        flash(f"The draft report to {label} was deleted.", "success")
        return redirect(url_for("reports.reports"), 303)
    return render_template("reports/confirm_delete.html", form=form, report=found, review=found.review), \
        400 if form.is_submitted() else 200


@bp.route("/reports/<int:report_id>/publish", methods=["GET"])
def confirm_publish(report_id: int):
    """What publishing freezes, before the one button that does it."""
    found = _get(report_id)
    if found.published:  # a second click, or a colleague was first: say so, change nothing
        return render_template("reports/confirm_publish.html", report=found, review=found.review, form=None)
    review = builders.load_review(found.review.code) or abort(404)
    actions = [a for a in review.actions if not a.archived]
    baseline = last_published(review.id, before=found)
    form = ConfirmForm()
    form.submit.label.text = "Publish and freeze this report"
    frozen = {"recommendations": len(review.recommendations), "actions": len(actions),
              "measures": sum(len(a.live_measures) for a in actions)}
    return render_template("reports/confirm_publish.html", form=form, report=found, review=review, frozen=frozen,
                           baseline=baseline, parts=builders.PARTS, to_check=queries.statuses_to_check(review))
