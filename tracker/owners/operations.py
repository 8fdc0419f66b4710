"""Every change on the owners' side goes through here: linking accounts, sending requests, replies,
and the manager's decision on each reply. Like every operation, these flush and never commit.

An owner's reply changes no measure. Only ``accept_reply`` does, through the plan's own
``update_measure`` (the same operation, version check and history as a page edit), so nothing an owner
submits reaches a committee report before a manager has read it.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select

from .. import history
from ..domain import status as status_rules
from ..extensions import db
from ..models import CommitteeReport, Measure, Owner, OwnerReply, UpdateRequest, UpdateRequestItem, User, utcnow
from ..plan.operations import Conflict, check_version, update_measure
from ..refused import Refused
from . import links, messages, queries
from .mail import Outgoing, deliver, planned_route

REPLY_DAYS_BEFORE_MEETING = 14
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def default_reply_by(report: CommitteeReport, today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    return max(report.meeting_on - dt.timedelta(days=REPLY_DAYS_BEFORE_MEETING), today)


# Accounts -------------------------------------------------------------------------------------------

def link_owner(user: User, owner: Owner | None, *, by=None) -> bool:
    """Tie a user account to the owner record whose actions it answers for (None: untie it)."""
    if user.owner_id == (owner.id if owner else None):
        return False
    before = user.owner.label if user.owner else None
    history.record(entity_type="user", entity_id=user.id, field="owner", before=before,
                   after=owner.label if owner else None, by=by, label=user.email)
    user.owner = owner
    return True


def find_owner(name: str) -> Owner:
    """An owner by name or by "Name (Business unit)", as `users create --owner` is given it."""
    wanted = (name or "").strip().casefold()
    found = [o for o in db.session.scalars(select(Owner)) if wanted in (o.name.casefold(), o.label.casefold())]
    if not found:
        raise Refused(f"There is no owner called {name!r}: owners are made when actions are assigned", "owner")
    if len(found) > 1:
        raise Refused(f"More than one owner is called {name!r}: give the business unit too, as in "
                      f"{found[0].label!r}", "owner")
    return found[0]


def update_owner(owner: Owner, *, name: str, business_unit: str, email: str, by=None,
                 expected_version=None) -> bool:
    """Correct an owner's name and business unit, or give them an address for their messages (used when
    no account linked to them has one). The history keeps each change; returns whether anything changed."""
    check_version(owner, expected_version)
    name, business_unit, email = (name or "").strip(), (business_unit or "").strip(), (email or "").strip()
    if not name:
        raise Refused("Enter the owner's name", "name")
    if email and not EMAIL.fullmatch(email):
        raise Refused("Enter an email address in the correct format, like name@example.gov.uk", "email")
    same = db.session.scalar(select(Owner.id).where(Owner.authority_id == owner.authority_id, Owner.name == name,
                                                    Owner.business_unit == business_unit, Owner.id != owner.id))
    if same is not None:
        shown = f"{name} ({business_unit})" if business_unit else name
        raise Refused(f"There is already an owner called {shown}: choose another name or business unit", "name")
    label = owner.label
    changed = False
    for field, value in (("name", name), ("business_unit", business_unit), ("email", email or None)):
        before = getattr(owner, field)
        if (before or None) != (value or None):
            history.record(entity_type="owner", entity_id=owner.id, field=field, before=before,
                           after=value, by=by, label=label)
            setattr(owner, field, value)
            changed = True
    if changed:
        db.session.flush()  # the version check happens here, against a save made meanwhile
    return changed


# Sending requests -----------------------------------------------------------------------------------

@dataclass
class Sent:
    request: UpdateRequest
    message_id: int
    delivered_by: str  # how it is to go (smtp | outbox): it is sent once the transaction commits
    error: str | None


def send_requests(report: CommitteeReport, *, reply_by: dt.date | None, base_url: str, by=None,
                  today: dt.date | None = None) -> list[Sent]:
    """Ask every owner of an open measure in the report's review, once per meeting, for their updates:
    one message each listing their open actions, what was last reported and the date to reply by."""
    today = today or dt.date.today()
    if report.published:
        raise Refused("This report is published: ask owners for updates from the next meeting's draft report")
    if reply_by is None:
        raise Refused("Enter the date to reply by", "reply_by")
    if reply_by < today:
        raise Refused("The date to reply by cannot be in the past", "reply_by")
    if reply_by > report.meeting_on:
        raise Refused(f"The date to reply by must be on or before the meeting, {messages.day(report.meeting_on)}",
                      "reply_by")
    user = history.actor(by)
    asked = queries.owners_asked_for(report)
    already = queries.requests_of(report.id)
    emails = queries.addresses(asked)
    sent = []
    for owner_id, measures in sorted(asked.items(), key=lambda kv: kv[1][0].action.owner.label.casefold()):
        if owner_id in already:
            continue  # asked once per meeting; reminders follow up
        owner = measures[0].action.owner
        request = UpdateRequest(report_id=report.id, owner_id=owner_id, reply_by=reply_by,
                                expires_on=report.meeting_on, sent_at=utcnow(),
                                sent_by_id=getattr(user, "id", None), sent_by_name=getattr(user, "name", None))
        request.items = [UpdateRequestItem(measure_id=m.id, asked_text=m.measured_output or "", asked_status=m.status,
                                           asked_version=m.version) for m in measures]
        db.session.add(request)
        db.session.flush()
        body = messages.request_body(report, owner, measures, reply_by, links.reply_url(request, base_url),
                                     request.sent_by_name)
        outgoing = Outgoing(kind="request", to=emails.get(owner_id, []), to_name=owner.name,
                            subject=messages.request_subject(report, reply_by), body=body, owner_id=owner_id,
                            report_id=report.id, request_id=request.id,
                            action_refs=sorted({m.action.ref for m in measures}, key=_plan_order(measures)))
        record = deliver(outgoing, today=today)
        route = planned_route(outgoing)  # sent once the request commits (mail.deliver)
        history.record(entity_type="committee_report", entity_id=report.id, field="update_request",
                       after=owner.label, by=by, review_id=report.review_id, label=f"Report {report.id}",
                       note=f"reply by {messages.day(reply_by)}; {'by email' if route == 'smtp' else 'to the outbox'}")
        sent.append(Sent(request, record.id, route, record.error))
    return sent


def _plan_order(measures: list[Measure]):
    order = {}
    for m in measures:
        order.setdefault(m.action.ref, len(order))
    return order.get


# Replies ---------------------------------------------------------------------------------------------

def may_reply_about(owner_id: int, measure: Measure) -> bool:
    """An owner answers only for the measures of the actions they own, while those are worked on."""
    action = measure.action
    return action.owner_id == owner_id and not action.archived and measure.retired_on is None


def submit_reply(owner: Owner, measure: Measure, *, no_change: bool, text: str = "", status: str | None = None,
                 request: UpdateRequest | None = None, expected_version=None, by: User | None = None) -> OwnerReply:
    """Record an owner's answer about one measure, to wait for a manager. Changes no measure.

    The same conflict rule as a page edit: a reply built on a version of the measure someone has
    changed since the page was loaded is refused with Conflict, the owner's text kept.
    """
    if not may_reply_about(owner.id, measure):
        raise Refused("This is not one of your actions")
    text = (text or "").strip()
    status = status or None
    if status is not None and status not in status_rules.CATEGORIES:
        raise Refused(f"Choose a status from the list ({status!r} is not one)", "status")
    if not no_change and not text:
        raise Refused("Enter what has happened, or choose \"No change\"", "text")
    try:
        check_version(measure, expected_version)
    except Conflict as conflict:
        conflict.current = {"status": measure.status, "measured_output": measure.measured_output}
        conflict.submitted = {"status": status or "", "measured_output": text}
        raise
    if request is None:
        request = queries.live_request_with(owner.id, measure.id)
    item = next((i for i in request.items if i.measure_id == measure.id), None) if request else None
    if request is not None and item is None:
        raise Refused("This request did not ask about that item")
    for earlier in db.session.scalars(select(OwnerReply).where(
            OwnerReply.owner_id == owner.id, OwnerReply.measure_id == measure.id, OwnerReply.state == "waiting")):
        earlier.state = "superseded"  # the newest answer is the one the manager reads
    reply = OwnerReply(owner_id=owner.id, measure_id=measure.id, request_id=request.id if request else None,
                       no_change=no_change, text="" if no_change else text, status=None if no_change else status,
                       based_on_text=item.asked_text if item else (measure.measured_output or ""),
                       based_on_version=item.asked_version if item else measure.version,
                       submitted_at=utcnow(), submitted_by_id=by.id if by else None, state="waiting")
    db.session.add(reply)
    # The history says an answer came and from whom, not what it says: it counts once accepted.
    change = history.record(entity_type="measure", entity_id=measure.id,
                            field="owner_no_change" if no_change else "owner_reply", after=owner.label, by=by,
                            review_id=measure.action.review_id, label=f"{measure.action.ref} measure {measure.number}")
    if by is None:
        change.user_id, change.user_name = None, f"{owner.name} (by the reply link)"
    if request is not None and request.first_reply_at is None:
        request.first_reply_at = reply.submitted_at
    db.session.flush()
    return reply


def changed_since_asked(reply: OwnerReply) -> bool:
    """Someone changed the measure after the owner was asked: the manager sees both texts first."""
    return reply.measure.version != reply.based_on_version


def _decided(reply: OwnerReply, expected_version) -> None:
    if reply.state != "waiting":
        raise Refused(f"This reply was already {reply.state} by {reply.reviewed_by_name or 'someone else'}")
    check_version(reply, expected_version)


def accept_reply(reply: OwnerReply, *, text: str, status: str | None, by=None, expected_version=None,
                 expected_measure_version=None) -> bool:
    """The manager accepts an owner's reply (as sent, or edited): its text becomes the measure's progress
    through ``update_measure``, and the history says whose words they are and who accepted them.
    Returns whether the measure changed."""
    _decided(reply, expected_version)
    user = history.actor(by)
    measure = reply.measure
    text = (text or "").strip()
    status = status or None
    if not text:
        raise Refused("Enter the progress text to accept", "text")
    if reply.no_change:
        edited = text != (measure.measured_output or "") or status is not None
    else:
        edited = text != reply.text or status != reply.status
    note = f"from {reply.owner.label}, accepted by {getattr(user, 'name', None) or 'a manager'}"
    if edited:
        note += " (edited before accepting)"
    if reply.no_change and not edited:
        try:
            check_version(measure, expected_measure_version)
        except Conflict as conflict:
            conflict.current = {"status": measure.status, "measured_output": measure.measured_output}
            conflict.submitted = {"status": "", "measured_output": text}
            raise
        history.record(entity_type="measure", entity_id=measure.id, field="owner_confirmed", after="No change",
                       by=by, note=note, review_id=measure.action.review_id,
                       label=f"{measure.action.ref} measure {measure.number}")
        changed = False
    else:
        changed = update_measure(measure, category=status, text=text, note=note, by=by,
                                 expected_version=expected_measure_version)
    reply.state = "accepted"
    reply.reviewed_at = utcnow()
    reply.reviewed_by_name = getattr(user, "name", None)
    return changed


def return_reply(reply: OwnerReply, *, note: str, base_url: str, by=None, expected_version=None) -> OwnerReply:
    """Send a reply back to its owner with a note (by the same mail path); the measure is unchanged and
    the owner may answer again."""
    _decided(reply, expected_version)
    note = (note or "").strip()
    if not note:
        raise Refused("Say what the owner should change: the note goes back to them", "note")
    user = history.actor(by)
    measure = reply.measure
    reply.state = "returned"
    reply.review_note = note
    reply.reviewed_at = utcnow()
    reply.reviewed_by_name = getattr(user, "name", None)
    history.record(entity_type="measure", entity_id=measure.id, field="owner_reply_returned",
                   after=reply.owner.label, by=by, note=note, review_id=measure.action.review_id,
                   label=f"{measure.action.ref} measure {measure.number}")
    request = reply.request
    live = request is not None and request.expires_on >= dt.date.today()
    link = links.reply_url(request, base_url) if live else f"{base_url.rstrip('/')}/my-actions"
    body = messages.returned_body(reply.owner, measure, "" if reply.no_change else reply.text, note, link,
                                  request.expires_on if live else None, reply.reviewed_by_name)
    deliver(Outgoing(kind="returned", to=queries.addresses([reply.owner_id]).get(reply.owner_id, []),
                     to_name=reply.owner.name, subject=messages.returned_subject(measure), body=body,
                     owner_id=reply.owner_id, report_id=request.report_id if request else None,
                     request_id=request.id if request else None, action_refs=[measure.action.ref]))
    db.session.flush()
    return reply


# Reminders -------------------------------------------------------------------------------------------

@dataclass
class ReminderRun:
    reminded: list[UpdateRequest]
    managers_told: int


def send_reminders(*, days_before: int, base_url: str, today: dt.date | None = None) -> ReminderRun:
    """Remind each owner who has not answered every item, from ``days_before`` days before the reply-by
    date until the meeting: once per request, so running this again (the same day or later) sends
    nothing twice. The manager who sent the requests is told who is still missing."""
    today = today or dt.date.today()
    due = list(db.session.scalars(
        select(UpdateRequest).where(UpdateRequest.reminded_at.is_(None), UpdateRequest.expires_on >= today)
        .order_by(UpdateRequest.report_id, UpdateRequest.id)))
    due = [r for r in due if today >= r.reply_by - dt.timedelta(days=days_before) and r.sent_at.date() < today]
    missing = queries.unanswered_items(due)
    reminded: list[UpdateRequest] = []
    by_report: dict[int, list[UpdateRequest]] = {}
    for request in due:
        items = missing[request.id]
        if not items:
            continue
        measures = [i.measure for i in items]
        report = request.report
        body = messages.reminder_body(report, request.owner, measures, request.reply_by,
                                      links.reply_url(request, base_url), request.sent_by_name)
        deliver(Outgoing(kind="reminder", to=queries.addresses([request.owner_id]).get(request.owner_id, []),
                         to_name=request.owner.name, subject=messages.reminder_subject(report, request.reply_by),
                         body=body, owner_id=request.owner_id, report_id=report.id, request_id=request.id,
                         action_refs=sorted({m.action.ref for m in measures})), today=today)
        request.reminded_at = utcnow()
        reminded.append(request)
        by_report.setdefault(report.id, []).append(request)
    told = 0
    for requests in by_report.values():
        report = requests[0].report
        managers = [r.sent_by for r in requests if r.sent_by is not None and r.sent_by.active]
        if not managers:
            continue
        manager = managers[0]
        rows = [(r.owner, len(missing[r.id]), r.reply_by) for r in requests]
        deliver(Outgoing(kind="missing", to=[manager.email], to_name=manager.name,
                         subject=messages.missing_subject(report),
                         body=messages.missing_body(report, rows, f"{base_url.rstrip('/')}/updates"),
                         report_id=report.id), today=today)
        told += 1
    db.session.flush()
    return ReminderRun(reminded, told)

