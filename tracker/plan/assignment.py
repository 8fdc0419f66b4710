"""The Liaison Group's work: owners and target dates, for one action or many at once."""
from __future__ import annotations

import datetime as dt

from flask import flash, redirect, request, url_for
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Action
from . import queries
from .operations import PlanChangeError, assign_owner, find_or_create_owner, set_target_date
from .views import bp, render_action_page, render_actions_page


def _parse_date(raw: str) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise PlanChangeError(f"{raw!r} is not a date; enter it as YYYY-MM-DD, for example 2027-03-31", "target_date")


@bp.route("/actions/<path:ref>/assign", methods=["POST"])
def assign_action(ref: str):
    review = queries.current_review()
    action = queries.get_action(review, ref)
    typed = {k: request.form.get(k, "") for k in ("owner_name", "business_unit", "target_date", "reason")}
    try:
        owner = None
        if typed["owner_name"].strip():
            owner = find_or_create_owner(review.authority_id, typed["owner_name"], typed["business_unit"])
        assign_owner([action], owner, note=typed["reason"] or None)
        set_target_date(action, _parse_date(typed["target_date"]), reason=typed["reason"])
        db.session.commit()
    except PlanChangeError as error:
        db.session.rollback()
        action = queries.get_action(review, ref)
        return render_action_page(review, action, 400, assign_error=str(error), assign_typed=typed)
    flash(f"Owner and target date of {action.ref} saved", "success")
    return redirect(url_for("plan.action", ref=action.ref, review=review.code), 303)


@bp.route("/actions/assign", methods=["POST"])
def bulk_assign():
    """Select rows on the master list, then give them all one owner (and optionally a date)."""
    review = queries.current_review()
    refs = request.form.getlist("refs")
    typed = {k: request.form.get(k, "") for k in ("owner_name", "business_unit", "note")}
    back_args = {k: request.form.get(k, "") for k in ("theme", "status", "q", "owner", "project", "overdue",
                                                          "stale", "page") if request.form.get(k)}
    actions = db.session.scalars(select(Action).where(Action.review_id == review.id, Action.ref.in_(refs))
                                 .options(selectinload(Action.owner))).all()
    missing = sorted(set(refs) - {a.ref for a in actions})
    try:
        if not refs:
            raise PlanChangeError("Select at least one action to assign", "refs")
        if missing:
            raise PlanChangeError(f"No action {', '.join(missing)} in this review; nothing was assigned", "refs")
        owner = find_or_create_owner(review.authority_id, typed["owner_name"], typed["business_unit"])
        changed = assign_owner(actions, owner, note=typed["note"] or None)
        db.session.commit()
    except PlanChangeError as error:
        db.session.rollback()
        # Re-show the list with the selection and what was typed, rather than lose them.
        return render_actions_page(review, MultiDict(back_args), 400, bulk_error=str(error), bulk_typed=typed,
                                   selected=set(refs))
    flash(f"{owner.label} now owns {len(actions)} action{'s' if len(actions) != 1 else ''} "
          f"({changed} changed)", "success")
    return redirect(url_for("plan.actions", review=review.code, **back_args), 303)
