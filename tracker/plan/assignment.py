"""The Liaison Group's work: owners and target dates, for one action or many at once."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app, flash, redirect, render_template, url_for
from werkzeug.datastructures import MultiDict

from ..forms import show_refusal
from ..transactions import discard_changes
from . import queries
from .forms import AssignForm, BulkAssignForm
from .operations import Conflict, Refused, assign_owner, check_version, find_or_create_owner, set_target_date
from .review_context import review_or_404
from .views import action_or_404, bp, render_action_page, render_actions_page

STALE_ACTION = ("Someone else changed the owner or target date of this action while you were editing: the page "
                "shows theirs, the form keeps yours. Nothing was saved; save again to apply yours.")
STALE_LIST = ("Someone else changed one of the selected actions since this list was loaded; the list now shows "
              "their change. Nothing was assigned: check the selection and assign again.")
STALE_ALL = ("The actions that match these filters have changed since the list was loaded (one was added, removed or "
             "changed by someone else). Nothing was assigned: the list now shows them as they are; check it and "
             "assign again.")


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


def _plural(n: int, word: str = "action") -> str:
    return f"{n:,} {word}{'s' if n != 1 else ''}"


@dataclass
class BulkChange:
    """What one bulk step will do (shown before a large one) and did (said after)."""
    actions: list
    owner_label: str | None     # None: owners kept
    target_date: dt.date | None
    owners_changing: int
    dates_changing: int
    dates_moving: int           # of those, actions that had another date already: these need a reason

    @property
    def heading(self) -> str:
        what = _plural(len(self.actions))
        if self.owner_label and self.target_date:
            return f"Assign {what} to {self.owner_label}, target date {self.target_date:%-d %B %Y}"
        if self.owner_label:
            return f"Assign {what} to {self.owner_label}"
        return f"Set the target date of {what} to {self.target_date:%-d %B %Y}"


def _planned(actions, owner_name: str, business_unit: str, target_date) -> BulkChange:
    """Read only: what the step would change, so a person confirms it (and nothing, not even an owner
    record, is created before they do)."""
    owner_name, business_unit = (owner_name or "").strip(), (business_unit or "").strip()
    label = (f"{owner_name} ({business_unit})" if business_unit else owner_name) if owner_name else None
    owners_changing = sum(1 for a in actions if label is not None and (
        a.owner is None or (a.owner.name, a.owner.business_unit) != (owner_name, business_unit)))
    changing = [a for a in actions if target_date is not None and a.target_date != target_date]
    return BulkChange(actions, label, target_date, owners_changing, len(changing),
                      sum(1 for a in changing if a.target_date is not None))


def _complete_plan(form: BulkAssignForm, actions) -> BulkChange:
    """The plan, refused before anything is confirmed or changed when something it needs is missing.
    (set_target_date refuses a moved date without a reason too; this says how many it concerns.)"""
    plan = _planned(actions, form.owner_name.data, form.business_unit.data, form.target_date.data)
    if plan.owner_label is None and plan.target_date is None:
        raise Refused("Enter the owner's name, a target date, or both", "owner_name")
    if plan.dates_moving and not (form.reason.data or "").strip():
        raise Refused(f"{_plural(plan.dates_moving)} already {'has' if plan.dates_moving == 1 else 'have'} another "
                      "target date: give a reason for changing it (committees ask for it)", "reason")
    return plan


def _apply(review, form: BulkAssignForm, actions, versions: dict | None) -> BulkChange:
    """Through the plan's own operations: one history row per owner or date changed."""
    plan = _complete_plan(form, actions)
    for action in actions:  # every row as the page showed it, before anything changes
        check_version(action, (versions or {}).get(action.ref) if versions is not None else None)
    if plan.owner_label is not None:
        owner = find_or_create_owner(review.authority_id, form.owner_name.data, form.business_unit.data or "")
        plan.owners_changing = assign_owner(actions, owner, note=form.note.data or None)
    if plan.target_date is not None:
        plan.dates_changing = sum(set_target_date(a, plan.target_date, reason=form.reason.data) for a in actions)
    return plan


def _done_message(plan: BulkChange) -> str:
    parts = []
    if plan.owner_label:
        parts.append(f"{plan.owner_label} now owns {_plural(len(plan.actions))} ({plan.owners_changing} changed)")
    if plan.target_date:
        parts.append(f"target date {plan.target_date:%-d %B %Y} set on {_plural(plan.dates_changing)}")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


@bp.route("/actions/assign", methods=["POST"])
def bulk_assign():
    """Give the ticked rows, or every action the filtered list matches, an owner and/or a target date."""
    review = review_or_404()
    form = BulkAssignForm()
    back_args = form.list_args()
    refs = form.refs.data or []
    status = 400
    if form.all_matching.data:
        filters = queries.ActionFilters.from_args(MultiDict(back_args), review)
        actions, now = queries.matching_actions(review, filters) if not filters.errors else ([], None)
        versions = None  # the fingerprint stands for every row's version
    else:
        actions = queries.actions_by_refs(review, refs)
        # The version each selected row showed: an owner changed since the list was loaded is not overwritten.
        versions = {a.ref: form.version.posted_version(a.ref) for a in actions}
    if form.validate():
        try:
            if form.all_matching.data:
                if filters.errors:
                    raise Refused("The list's filters could not be read; nothing was assigned", "refs")
                if (str(now.count), now.fingerprint) != (form.seen.data, form.selection.data):
                    raise Conflict(0, {}, {})
                if not actions:
                    raise Refused("No actions match these filters; nothing was assigned", "refs")
                page_size = current_app.config["PAGE_SIZE"]
                if len(actions) > page_size and form.confirmed.data != "yes":
                    # More than the page shows: say what will change, and apply only once confirmed.
                    plan = _complete_plan(form, actions)
                    return render_template("plan/confirm_bulk_assign.html", review=review, form=form, plan=plan,
                                           back_args=back_args, selection=now)
            else:
                if not refs:
                    raise Refused("Select at least one action to assign, or select all that match", "refs")
                missing = sorted(set(refs) - {a.ref for a in actions})
                if missing:
                    raise Refused(f"No action {', '.join(missing)} in this review; nothing was assigned", "refs")
            plan = _apply(review, form, actions, versions)
        except Conflict:
            discard_changes()
            status = 409
            show_refusal(form, Refused(STALE_ALL if form.all_matching.data else STALE_LIST, "refs"))
        except Refused as error:
            discard_changes()
            show_refusal(form, error)
        else:
            flash(_done_message(plan), "success")
            return redirect(url_for("plan.actions", review=review.code, **back_args), 303)
    # Re-show the list with the selection and what was typed, rather than lose them.
    return render_actions_page(review, MultiDict(back_args), status, bulk_form=form, selected=set(refs))
