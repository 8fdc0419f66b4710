"""Every change to the plan goes through one function here, which also writes the change record.

Updates carry the version the person saw: if someone else saved in between, the update is
refused with a Conflict that holds both texts, so nobody's words are silently overwritten.
That check is made on reading; the race between reading and writing is closed by the database:
edited models map ``version`` as SQLAlchemy's version counter, so each UPDATE says
``WHERE id = :id AND version = :seen`` and bumps it, and a save that lost the race raises
StaleDataError (tracker/web.py turns it into the same conflict page). Nothing here sets
``version`` by hand.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update

from .. import history
from ..domain import status as status_rules
from ..domain.responses import RESPONSES
from ..extensions import db
from ..models import Action, Measure, Owner, Project, Recommendation, utcnow
from ..models.plan import OWN_PROGRESS
from ..refused import Refused


@dataclass
class Conflict(Exception):
    """Someone saved the same thing after this person loaded it."""
    current_version: int
    current: dict
    submitted: dict


def check_version(obj, expected_version) -> None:
    """Refuse with Conflict when the form was built from another version than the row's.

    None means "not from a form" (imports, the CLI): every edit form's view requires a version
    (tracker/locking.py) before it calls an operation.
    """
    if expected_version is None:
        return
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise Refused("The form was incomplete (no version); reload the page and try again") from None
    if expected != obj.version:
        raise Conflict(obj.version, {}, {})


def _shown(field: str, value):
    """A field as the history shows it: a link to another row by what people call that row
    (a project's code, an owner's name), never by its id."""
    if field == "depends_on_id":
        return "depends_on", db.session.get(Project, value).code if value else None
    if field == "owner_id":
        return "owner", db.session.get(Owner, value).label if value else None
    if field in ("theme_id", "subtheme_id"):
        from ..models import SubTheme, Theme
        return field[:-3], db.session.get(Theme if field == "theme_id" else SubTheme, value).code if value else None
    return field, value


def _set_fields(obj, values: dict, *, entity_type: str, label: str, review_id: int | None = None,
                note: str | None = None, by=None) -> bool:
    """Set each changed field and record it in the history in display terms; True when anything
    changed. The one place a plan field is set, whichever door (page, import, seed) the change came
    through; the row's version is bumped by the database's version counter when it is flushed."""
    changed = False
    for name, value in values.items():
        before = getattr(obj, name)
        if before != value:
            field, shown_before = _shown(name, before)
            _, shown_after = _shown(name, value)
            history.record(entity_type=entity_type, entity_id=obj.id, field=field, before=shown_before,
                           after=shown_after, by=by, note=note, review_id=review_id, label=label)
            setattr(obj, name, value)
            changed = True
    return changed


def mark_updated(obj, when: dt.datetime | None = None) -> None:
    """A row was changed: refresh its ``updated_at`` (and a measure's action's, which is what the
    stale-action list and update requests read)."""
    when = when or utcnow()
    if hasattr(obj, "updated_at"):
        obj.updated_at = when
    if isinstance(obj, Measure):
        touch_action(obj.action, when)


def set_fields(obj, values: dict, **where) -> bool:
    """``_set_fields`` and, when anything changed, ``mark_updated``: for writers (imports, the seed)
    that change several fields of a row at once."""
    changed = _set_fields(obj, values, **where)
    if changed:
        mark_updated(obj)
    return changed


def measure_label(measure: Measure) -> str:
    """How history and pages name a measure: "CC-01 measure 2", or "CC-01 progress" for the
    progress an action holds itself (its unnumbered measure), never "measure 0"."""
    if measure.number == OWN_PROGRESS:
        return f"{measure.action.ref} progress"
    return f"{measure.action.ref} measure {measure.number}"


def rule_projects(authority_id: int) -> list[status_rules.Project]:
    return [status_rules.Project(code=p.code, aliases=tuple(p.aliases or [p.code]))
            for p in db.session.scalars(select(Project).where(Project.authority_id == authority_id))]


def update_measure(measure: Measure, *, category: str | None, text: str, note: str | None = None,
                   by=None, expected_version=None) -> bool:
    """Set a measure's progress text and status. ``category`` None means: derive it from the text.
    The progress an action holds itself (its unnumbered measure) is set by this same operation.

    A text no rule recognises keeps the status the measure had and flags it "status to check";
    a category chosen by a person clears the flag (choosing the one it had is recorded as confirming it).
    Returns whether anything changed. Raises Conflict when ``expected_version`` is stale.
    """
    text = (text or "").strip()
    if category not in (None, "") and category not in status_rules.CATEGORIES:
        raise Refused(f"Choose a status from the list ({category!r} is not one)", "status")
    try:
        check_version(measure, expected_version)
    except Conflict as conflict:
        conflict.current = {"status": measure.status, "measured_output": measure.measured_output}
        conflict.submitted = {"status": category or "", "measured_output": text, "note": note or ""}
        raise
    action = measure.action
    derived = status_rules.classify(text, rule_projects(action.review.authority_id))
    overridden = category not in (None, "")
    # A text no rule recognises keeps the status it had, flagged for a person to check.
    settled = status_rules.settle(derived, chosen=category or None, previous=measure.status)
    new_status = settled.category
    if derived.depends_on:
        project_id = db.session.scalar(select(Project.id).where(
            Project.authority_id == action.review.authority_id, Project.code == derived.depends_on))
    elif new_status in status_rules.CLOSED or not (overridden or settled.to_check):
        project_id = None
    else:  # a status chosen by hand or kept, text naming no project: keep the dependency recorded before
        project_id = measure.depends_on_id
    status_before = measure.status
    changed = _set_fields(measure, {"measured_output": text, "status": new_status, "depends_on_id": project_id},
                          entity_type="measure", label=measure_label(measure),
                          review_id=action.review_id, note=note, by=by)
    changed_fields = {"status"} if measure.status != status_before else set()
    measure.status_overridden = overridden
    if measure.status_to_check and overridden and "status" not in changed_fields:
        # Choosing the category the measure already had is confirming it: say so in the history.
        _record_confirmed(measure, by=by, note=note)
    if measure.status_to_check != settled.to_check:
        measure.status_to_check = settled.to_check
        changed = True
    if changed:
        mark_updated(measure)
    return changed


def _record_confirmed(measure: Measure, *, by=None, note: str | None = None) -> None:
    history.record(entity_type="measure", entity_id=measure.id, field="status_confirmed", before=None,
                   after=status_rules.CATEGORY_LABELS[measure.status], by=by, note=note,
                   review_id=measure.action.review_id, label=measure_label(measure))


def confirm_status(measure: Measure, *, note: str | None = None, by=None, expected_version=None) -> bool:
    """A person confirms the category of a measure flagged "status to check": the category stays,
    the flag clears, and the history says "Status confirmed as <category>".

    Returns False (nothing written) when the measure was not flagged. Raises Conflict when
    ``expected_version`` is stale: someone changed the measure since the person looked at it, so
    they would be confirming a status they have not seen.
    """
    check_version(measure, expected_version)
    if not measure.status_to_check:
        return False
    _record_confirmed(measure, by=by, note=(note or "").strip() or None)
    measure.status_to_check = False
    measure.updated_at = utcnow()
    return True


def touch_action(action: Action, when: dt.datetime) -> None:
    """Mark the action as updated when one of its measures changes, without bumping its version:
    two people saving different measures of one action do not conflict, and an owner or date
    form loaded before a measure was saved stays valid."""
    db.session.execute(update(Action).where(Action.id == action.id).values(updated_at=when),
                       execution_options={"synchronize_session": False})
    db.session.expire(action, ["updated_at"])


def set_recommendation_response(rec: Recommendation, *, response: str | None, response_on: dt.date | None,
                                note: str | None = None, by=None, expected_version=None) -> bool:
    """Record how the council answered the recommendation (and when): apart from its progress."""
    check_version(rec, expected_version)
    if response is not None and response not in RESPONSES:
        raise Refused(f"Choose a response from the list ({response!r} is not one)", "response")
    if response_on is not None and response is None:
        raise Refused("Choose the response that was decided on that date", "response")
    if response_on is not None and response_on > dt.date.today():
        raise Refused("The date of the decision cannot be in the future", "response_on")
    changed = _set_fields(rec, {"response": response, "response_on": response_on}, entity_type="recommendation",
                          label=f"Recommendation {rec.number}", review_id=rec.review_id, note=note, by=by)
    if changed:
        rec.updated_at = utcnow()
    return changed


def override_recommendation_status(rec: Recommendation, *, category: str | None, reason: str, by=None,
                                   expected_version=None) -> bool:
    """Set the status by hand (with a reason), or with ``category`` None go back to the roll-up."""
    check_version(rec, expected_version)
    reason = (reason or "").strip()
    if category is not None and category not in status_rules.CATEGORIES:
        raise Refused(f"Choose a status from the list ({category!r} is not one)", "status_override")
    if category is not None and not reason:
        raise Refused("Say why the status is set by hand: the committee reads the reason beside it",
                              "status_override_reason")
    values = {"status_override": category, "status_override_reason": reason if category else None}
    changed = _set_fields(rec, values, entity_type="recommendation", label=f"Recommendation {rec.number}",
                          review_id=rec.review_id, note=reason or None, by=by)
    if changed:
        rec.updated_at = utcnow()
    return changed


def update_recommendation_status(rec: Recommendation, *, text: str, note: str | None = None, by=None,
                                 expected_version=None) -> bool:
    text = (text or "").strip()
    try:
        check_version(rec, expected_version)
    except Conflict as conflict:
        conflict.current = {"status_text": rec.status_text or ""}
        conflict.submitted = {"status_text": text, "note": note or ""}
        raise
    if text == (rec.status_text or ""):
        return False
    history.record(entity_type="recommendation", entity_id=rec.id, field="status_text", before=rec.status_text,
                   after=text, by=by, note=note, review_id=rec.review_id, label=f"Recommendation {rec.number}")
    rec.status_text = text
    rec.updated_at = utcnow()
    return True


def find_or_create_owner(authority_id: int, name: str, business_unit: str = "", by=None) -> Owner:
    name, business_unit = name.strip(), (business_unit or "").strip()
    if not name:
        raise Refused("Enter the owner's name", "owner_name")
    owner = db.session.scalar(select(Owner).where(Owner.authority_id == authority_id, Owner.name == name,
                                                  Owner.business_unit == business_unit))
    if owner is None:
        owner = Owner(authority_id=authority_id, name=name, business_unit=business_unit)
        db.session.add(owner)
        db.session.flush()
        history.record(entity_type="owner", entity_id=owner.id, field="created", after=owner.label, by=by)
    return owner


def assign_owner(actions: list[Action], owner: Owner | None, *, note: str | None = None, by=None,
                 expected_versions: dict[str, object] | None = None) -> int:
    """Give one or many actions an owner; returns how many changed.

    ``expected_versions`` maps each action's ref to the version the person's page showed.
    """
    for action in actions:
        if expected_versions is not None:
            check_version(action, expected_versions.get(action.ref))
    changed = 0
    for action in actions:
        if action.owner_id == (owner.id if owner else None):
            continue
        history.record(entity_type="action", entity_id=action.id, field="owner",
                       before=action.owner.label if action.owner else None, after=owner.label if owner else None,
                       by=by, note=note, review_id=action.review_id, label=action.ref)
        action.owner = owner
        action.updated_at = utcnow()
        changed += 1
    return changed


def set_target_date(action: Action, new_date: dt.date | None, *, reason: str | None = None, by=None,
                    expected_version=None) -> bool:
    """A first date is simply set; moving an existing date needs a reason, and the original is kept."""
    check_version(action, expected_version)
    if new_date == action.target_date:
        return False
    reason = (reason or "").strip()
    if action.target_date is not None and not reason:
        raise Refused("Give a reason for changing the target date (committees ask for it)", "reason")
    history.record(entity_type="action", entity_id=action.id, field="target_date", before=action.target_date,
                   after=new_date, by=by, note=reason or None, review_id=action.review_id, label=action.ref)
    if action.original_target_date is None:
        action.original_target_date = new_date
    elif action.target_date is not None:
        action.target_date_slips += 1
        action.target_date_reason = reason
    action.target_date = new_date
    action.updated_at = utcnow()
    return True


def update_project(project: Project, *, status: str, expected_on: dt.date | None, note: str | None = None,
                   by=None, expected_version=None) -> bool:
    if status not in status_rules.CATEGORIES:
        raise Refused("Choose a status from the list", "status")
    check_version(project, expected_version)
    changed = _set_fields(project, {"status": status, "expected_on": expected_on}, entity_type="project",
                          label=project.code, note=note, by=by)
    return changed


def release_measures(measures: list[Measure], category: str, *, note: str | None = None, by=None) -> int:
    """Move measures that waited on a finished project to not_started or in_progress in one step."""
    if category not in ("not_started", "in_progress"):
        raise Refused("Measures can be moved to Not started or In progress", "category")
    moved = 0
    for measure in measures:
        if measure.status == category and measure.depends_on is None:
            continue
        label = measure_label(measure)
        history.record(entity_type="measure", entity_id=measure.id, field="status", before=measure.status,
                       after=category, by=by, note=note, review_id=measure.action.review_id, label=label)
        if measure.depends_on is not None:
            # It no longer waits: the history keeps what it waited on.
            history.record(entity_type="measure", entity_id=measure.id, field="depends_on",
                           before=measure.depends_on.code, after=None, by=by, note=note,
                           review_id=measure.action.review_id, label=label)
            measure.depends_on = None
        measure.status = category
        measure.status_overridden = True
        measure.status_to_check = False
        measure.updated_at = utcnow()
        moved += 1
    return moved


def link_recommendation(rec: Recommendation, action: Action, *, by=None, note: str | None = None) -> bool:
    """Say that an action delivers a recommendation (seen from both sides)."""
    if action.review_id != rec.review_id:
        raise Refused(f"{action.ref} is in another review", "ref")
    if action in rec.actions:
        return False
    rec.actions.append(action)
    history.record(entity_type="recommendation", entity_id=rec.id, field="action_link", after=action.ref,
                   by=by, note=note, review_id=rec.review_id, label=f"Recommendation {rec.number}")
    return True


def unlink_recommendation(rec: Recommendation, action: Action, *, by=None) -> bool:
    if action not in rec.actions:
        return False
    rec.actions.remove(action)
    history.record(entity_type="recommendation", entity_id=rec.id, field="action_link", before=action.ref,
                   by=by, review_id=rec.review_id, label=f"Recommendation {rec.number}")
    return True
