"""The Liaison Group's work: owners and target dates, for one action or many at once."""
from __future__ import annotations

from flask import flash, redirect, url_for
from werkzeug.datastructures import MultiDict

from ..forms import show_refusal
from ..transactions import discard_changes
from . import queries
from .forms import AssignForm, BulkAssignForm
from .operations import Conflict, Refused, assign_owner, find_or_create_owner, set_target_date
from .review_context import review_or_404
from .views import action_or_404, bp, render_action_page, render_actions_page

STALE_ACTION = ("Someone else changed the owner or target date of this action while you were editing: the page "
                "shows theirs, the form keeps yours. Nothing was saved; save again to apply yours.")
STALE_LIST = ("Someone else changed one of the selected actions since this list was loaded; the list now shows "
              "their change. Nothing was assigned: check the selection and assign again.")


@bp.app_template_global()
def assign_form_for(action) -> AssignForm:
    """An action's owner and target date form as the page shows it."""
    return AssignForm(formdata=None, data={
        "owner_name": action.owner.name if action.owner else "",
        "business_unit": action.owner.business_unit if action.owner else "",
        "target_date": action.target_date, "version": str(action.version)})


@bp.app_template_global()
def bulk_assign_form(filters) -> BulkAssignForm:
    """The master list's bulk form, carrying the list's filters so the list it returns to is the same."""
    return BulkAssignForm(formdata=None, data=filters.args())


@bp.route("/actions/<path:ref>/assign", methods=["POST"])
def assign_action(ref: str):
    review = review_or_404()
    action = action_or_404(review, ref)
    form = AssignForm()
    version = form.posted_version()
    status = 400
    if form.validate():
        try:
            owner = None
            if (form.owner_name.data or "").strip():
                owner = find_or_create_owner(review.authority_id, form.owner_name.data, form.business_unit.data or "")
            # The version is checked once, before either change: both come from the same form.
            assign_owner([action], owner, note=form.reason.data or None, expected_versions={action.ref: version})
            set_target_date(action, form.target_date.data, reason=form.reason.data)
        except Conflict:
            discard_changes()
            status = 409
            action = action_or_404(review, ref)
            form.version.data = str(action.version)
            show_refusal(form, Refused(STALE_ACTION, "owner_name"))
        except Refused as error:
            discard_changes()
            action = action_or_404(review, ref)
            show_refusal(form, error)
        else:
            flash(f"Owner and target date of {action.ref} saved", "success")
            return redirect(url_for("plan.action", ref=action.ref, review=review.code), 303)
    return render_action_page(review, action, status, assign_form=form, error_form=form)


@bp.route("/actions/assign", methods=["POST"])
def bulk_assign():
    """Select rows on the master list, then give them all one owner."""
    review = review_or_404()
    form = BulkAssignForm()
    refs = form.refs.data or []
    back_args = form.list_args()
    actions = queries.actions_by_refs(review, refs)
    missing = sorted(set(refs) - {a.ref for a in actions})
    # The version each selected row showed: an owner changed since the list was loaded is not overwritten.
    versions = {a.ref: form.version.posted_version(a.ref) for a in actions}
    status = 400
    if form.validate():
        try:
            if not refs:
                raise Refused("Select at least one action to assign", "refs")
            if missing:
                raise Refused(f"No action {', '.join(missing)} in this review; nothing was assigned", "refs")
            owner = find_or_create_owner(review.authority_id, form.owner_name.data or "", form.business_unit.data or "")
            changed = assign_owner(actions, owner, note=form.note.data or None, expected_versions=versions)
        except Conflict:
            discard_changes()
            status = 409
            show_refusal(form, Refused(STALE_LIST, "refs"))
        except Refused as error:
            discard_changes()
            show_refusal(form, error)
        else:
            flash(f"{owner.label} now owns {len(actions)} action{'s' if len(actions) != 1 else ''} "
                  f"({changed} changed)", "success")
            return redirect(url_for("plan.actions", review=review.code, **back_args), 303)
    # Re-show the list with the selection and what was typed, rather than lose them.
    return render_actions_page(review, MultiDict(back_args), status, bulk_form=form, selected=set(refs))
