"""The Liaison Group's work: owners and target dates, for one action or many at once."""
from __future__ import annotations

import datetime as dt

from flask import flash, redirect, request, url_for
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..transactions import discard_changes
from ..locking import form_version
from ..models import Action
from . import queries
from .operations import Conflict, Refused, assign_owner, find_or_create_owner, set_target_date
from .review_context import review_or_404
from .views import action_or_404, bp, render_action_page, render_actions_page


def _parse_date(raw: str) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Refused(f"{raw!r} is not a date; enter it as YYYY-MM-DD, for example 2027-03-31", "target_date")


@bp.route("/actions/<path:ref>/assign", methods=["POST"])
def assign_action(ref: str):
    review = review_or_404()
    action = action_or_404(review, ref)
    version = form_version(request.form)
    typed = {k: request.form.get(k, "") for k in ("owner_name", "business_unit", "target_date", "reason")}
    try:
        owner = None
        if typed["owner_name"].strip():
            owner = find_or_create_owner(review.authority_id, typed["owner_name"], typed["business_unit"])
        # The version is checked once, before either change: both come from the same form.
        assign_owner([action], owner, note=typed["reason"] or None, expected_versions={action.ref: version})
        set_target_date(action, _parse_date(typed["target_date"]), reason=typed["reason"])
    except Conflict:
        discard_changes()
        action = action_or_404(review, ref)
        return render_action_page(review, action, 409, assign_typed=typed, assign_error=(
            "Someone else changed the owner or target date of this action while you were editing: the page "
            "shows theirs, the form keeps yours. Nothing was saved; save again to apply yours."))
    except Refused as error:
        discard_changes()
        action = action_or_404(review, ref)
        return render_action_page(review, action, 400, assign_error=str(error), assign_typed=typed,
                                  assign_field=error.field)
    flash(f"Owner and target date of {action.ref} saved", "success")
    return redirect(url_for("plan.action", ref=action.ref, review=review.code), 303)


@bp.route("/actions/assign", methods=["POST"])
def bulk_assign():
    """Select rows on the master list, then give them all one owner (and optionally a date)."""
    review = review_or_404()
    refs = request.form.getlist("refs")
    typed = {k: request.form.get(k, "") for k in ("owner_name", "business_unit", "note")}
    back_args = {k: request.form.get(k, "") for k in ("theme", "status", "q", "owner", "project", "overdue",
                                                          "stale", "page") if request.form.get(k)}
    actions = db.session.scalars(select(Action).where(Action.review_id == review.id, Action.ref.in_(refs))
                                 .options(selectinload(Action.owner))).all()
    missing = sorted(set(refs) - {a.ref for a in actions})
    # The version each selected row showed: an owner changed since the list was loaded is not overwritten.
    versions = {a.ref: form_version(request.form, f"version-{a.ref}") for a in actions}
    try:
        if not refs:
            raise Refused("Select at least one action to assign", "refs")
        if missing:
            raise Refused(f"No action {', '.join(missing)} in this review; nothing was assigned", "refs")
        owner = find_or_create_owner(review.authority_id, typed["owner_name"], typed["business_unit"])
        changed = assign_owner(actions, owner, note=typed["note"] or None, expected_versions=versions)
    except Conflict:
        discard_changes()
        return render_actions_page(review, MultiDict(back_args), 409, bulk_typed=typed, selected=set(refs),
                                   bulk_error="Someone else changed one of the selected actions since this list "
                                              "was loaded; the list now shows their change. Nothing was assigned: "
                                              "check the selection and assign again.")
    except Refused as error:
        discard_changes()
        # Re-show the list with the selection and what was typed, rather than lose them.
        return render_actions_page(review, MultiDict(back_args), 400, bulk_error=str(error), bulk_typed=typed,
                                   selected=set(refs))
    flash(f"{owner.label} now owns {len(actions)} action{'s' if len(actions) != 1 else ''} "
          f"({changed} changed)", "success")
    return redirect(url_for("plan.actions", review=review.code, **back_args), 303)
