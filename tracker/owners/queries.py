"""What the owners' pages read. Plain arguments, no request: views and commands call the same."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..domain.status import CLOSED
from ..extensions import db
from ..models import (
    Action,
    Authority,
    CommitteeReport,
    Measure,
    Owner,
    OwnerReply,
    UpdateRequest,
    UpdateRequestItem,
    User,
)

ANSWERED = ("waiting", "accepted")  # a returned reply asks for another


def measure_label(measure: Measure) -> str:
    """Progress held on the action itself is its measure number 0: called "Progress", not "Measure 0"."""
    return "Progress" if measure.number == 0 else f"Measure {measure.number}"


def open_measures(owner_id: int, review_id: int | None = None) -> list[Measure]:
    """The owner's measures still worked on, in plan order: their open actions' open measures."""
    query = (select(Measure).join(Action, Measure.action_id == Action.id)
             .where(Action.owner_id == owner_id, Action.archived.is_(False), Measure.retired_on.is_(None),
                    Measure.status.notin_(tuple(CLOSED)))
             .options(selectinload(Measure.action).selectinload(Action.review))
             .order_by(Action.review_id, Action.position, Action.id, Measure.position, Measure.number))
    if review_id is not None:
        query = query.where(Action.review_id == review_id)
    return list(db.session.scalars(query))


def owners_asked_for(report: CommitteeReport) -> dict[int, list[Measure]]:
    """Owner id -> open measures of the report's review: who a request for this meeting goes to."""
    grouped: dict[int, list[Measure]] = {}
    query = (select(Measure).join(Action, Measure.action_id == Action.id)
             .where(Action.review_id == report.review_id, Action.owner_id.is_not(None),
                    Action.archived.is_(False), Measure.retired_on.is_(None), Measure.status.notin_(tuple(CLOSED)))
             .options(selectinload(Measure.action).selectinload(Action.owner),
                      selectinload(Measure.action).selectinload(Action.measures))
             .order_by(Action.position, Action.id, Measure.position, Measure.number))
    for measure in db.session.scalars(query):
        grouped.setdefault(measure.action.owner_id, []).append(measure)
    return grouped


def addresses(owner_ids) -> dict[int, list[str]]:
    """Owner id -> where their messages go: the addresses of the active accounts linked to it, or,
    when none has one, the address kept on the owner record itself (most owners have no login)."""
    owner_ids = list(owner_ids)
    found: dict[int, list[str]] = {}
    for owner_id, email in db.session.execute(select(User.owner_id, User.email).where(
            User.owner_id.in_(owner_ids), User.active.is_(True)).order_by(User.email)):
        if email:
            found.setdefault(owner_id, []).append(email)
    for owner_id, email in db.session.execute(select(Owner.id, Owner.email).where(
            Owner.id.in_(owner_ids), Owner.email.is_not(None), Owner.email != "")):
        if owner_id not in found:
            found[owner_id] = [email]
    return found


def owners_listed() -> list[tuple[Owner, list[User]]]:
    """Every owner with the accounts linked to it, by name: the manager's owners page."""
    owners = list(db.session.scalars(select(Owner).order_by(Owner.name, Owner.business_unit, Owner.id)))
    accounts: dict[int, list[User]] = {}
    for user in db.session.scalars(select(User).where(User.owner_id.is_not(None)).order_by(User.email)):
        accounts.setdefault(user.owner_id, []).append(user)
    return [(o, accounts.get(o.id, [])) for o in owners]


def accounts_of(owner_id: int) -> list[User]:
    return list(db.session.scalars(select(User).where(User.owner_id == owner_id).order_by(User.email)))


def requests_of(report_id: int) -> dict[int, UpdateRequest]:
    """Owner id -> the request this report's meeting sent them."""
    return {r.owner_id: r for r in db.session.scalars(
        select(UpdateRequest).where(UpdateRequest.report_id == report_id)
        .options(selectinload(UpdateRequest.items), selectinload(UpdateRequest.owner)))}


def latest_replies(owner_id: int, measure_ids) -> dict[int, OwnerReply]:
    """Measure id -> the owner's most recent reply about it."""
    latest: dict[int, OwnerReply] = {}
    for reply in db.session.scalars(select(OwnerReply).where(
            OwnerReply.owner_id == owner_id, OwnerReply.measure_id.in_(list(measure_ids)))
            .order_by(OwnerReply.id)):
        latest[reply.measure_id] = reply
    return latest


def unanswered(request: UpdateRequest) -> list[UpdateRequestItem]:
    """Items of a request with no reply waiting or accepted (none yet, or the last one returned)."""
    return unanswered_items([request])[request.id]


def unanswered_items(requests: list[UpdateRequest]) -> dict[int, list[UpdateRequestItem]]:
    """Request id -> its unanswered items, for many requests in a fixed number of queries."""
    # Only replies to this request count: an answer given for an earlier meeting is not one for this.
    latest: dict[tuple[int, int], OwnerReply] = {}
    if requests:
        for reply in db.session.scalars(select(OwnerReply).where(
                OwnerReply.request_id.in_([r.id for r in requests])).order_by(OwnerReply.id)):
            latest[(reply.request_id, reply.measure_id)] = reply
    result = {}
    for r in requests:
        result[r.id] = [i for i in r.items if (r.id, i.measure_id) not in latest
                        or latest[(r.id, i.measure_id)].state not in ANSWERED]
    return result


def live_request_with(owner_id: int, measure_id: int, today: dt.date | None = None) -> UpdateRequest | None:
    """The newest request still open for replies that asked this owner about this measure."""
    return db.session.scalar(
        select(UpdateRequest).join(UpdateRequestItem, UpdateRequestItem.request_id == UpdateRequest.id)
        .where(UpdateRequest.owner_id == owner_id, UpdateRequestItem.measure_id == measure_id,
               UpdateRequest.expires_on >= (today or dt.date.today()))
        .order_by(UpdateRequest.id.desc()).limit(1))


def waiting_replies() -> list[OwnerReply]:
    """Replies no manager has decided on yet, oldest first."""
    return list(db.session.scalars(
        select(OwnerReply).where(OwnerReply.state == "waiting")
        .options(selectinload(OwnerReply.owner), selectinload(OwnerReply.request).selectinload(UpdateRequest.report),
                 selectinload(OwnerReply.measure).selectinload(Measure.action))
        .order_by(OwnerReply.submitted_at, OwnerReply.id)))


def waiting_count() -> int:
    """How many replies wait for a manager: the count beside "Updates to review" in the navigation."""
    return db.session.scalar(select(func.count(OwnerReply.id)).where(OwnerReply.state == "waiting")) or 0


def owner_choices() -> list[tuple[int, str]]:
    """Every owner, as the user page's select shows them (with the council's name when there are several)."""
    rows = db.session.execute(select(Owner.id, Owner.name, Owner.business_unit, Authority.name)
                              .join(Authority, Owner.authority_id == Authority.id)
                              .order_by(Owner.name, Owner.business_unit)).all()
    several = len({row[3] for row in rows}) > 1
    choices = []
    for owner_id, name, unit, authority in rows:
        label = f"{name} ({unit})" if unit else name
        choices.append((owner_id, f"{label} – {authority}" if several else label))
    return choices


@dataclass
class RepliesSummary:
    report: CommitteeReport
    asked: int
    replied: int        # every item answered
    outstanding: int
    to_review: int


def replies_summary(review) -> RepliesSummary | None:
    """For the overview: the next meeting of this review that owners were asked about, and how many replied."""
    if review is None:
        return None
    report = db.session.scalar(
        select(CommitteeReport).where(CommitteeReport.review_id == review.id,
                                      CommitteeReport.meeting_on >= dt.date.today(),
                                      CommitteeReport.id.in_(select(UpdateRequest.report_id)))
        .order_by(CommitteeReport.meeting_on, CommitteeReport.id).limit(1))
    if report is None:
        return None
    requests = list(requests_of(report.id).values())
    missing = unanswered_items(requests)
    replied = sum(1 for r in requests if not missing[r.id])
    to_review = db.session.scalar(
        select(db.func.count(OwnerReply.id)).where(OwnerReply.state == "waiting",
                                                   OwnerReply.request_id.in_([r.id for r in requests])))
    return RepliesSummary(report=report, asked=len(requests), replied=replied,
                          outstanding=len(requests) - replied, to_review=to_review or 0)
