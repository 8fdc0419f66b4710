"""Asking owners for updates before a meeting: committees are 'disappointed that detailed updates
had not been received', so before each report the manager sends every owner their open actions,
with what was last reported and a date to reply by (tracker/owners/ sends them and takes the replies).

This is the page's plan of who will be asked about what, who has been asked already, and who has
answered; the messages shown are the ones the owners get, with their own reply link added when sent."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain.status import CLOSED
from ..extensions import db
from ..models import Action, CommitteeReport, Measure, Owner, UpdateRequest, utcnow
from ..owners import messages, queries
from ..owners.operations import REPLY_DAYS_BEFORE_MEETING, default_reply_by
from .operations import last_published

__all__ = ["REPLY_DAYS_BEFORE_MEETING", "OwnerRequest", "UpdateRequests", "update_requests"]


@dataclass
class OwnerRequest:
    owner: Owner | None                 # None: actions with no owner, to assign before asking
    actions: list[Action]
    measures: list[Measure] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    not_updated: int = 0                # of ``actions``, how many had no update since the baseline
    subject: str = ""
    body: str = ""
    sent: UpdateRequest | None = None   # already asked for this meeting
    unanswered: int = 0                 # items of ``sent`` with no answer waiting or accepted


@dataclass
class UpdateRequests:
    since: dt.datetime
    since_label: str
    reply_by: dt.date
    requests: list[OwnerRequest]

    @property
    def asked(self) -> list[OwnerRequest]:
        return [r for r in self.requests if r.sent is not None]

    @property
    def not_updated(self) -> int:
        return sum(r.not_updated for r in self.requests)

    @property
    def open_actions(self) -> int:
        return sum(len(r.actions) for r in self.requests)


def update_requests(report: CommitteeReport, *, stale_days: int, sender: str | None) -> UpdateRequests:
    """Every open action of the report's review grouped by owner, each owner's message ready to send,
    and how many had no update since the last published report (or, before the first, ``stale_days``)."""
    baseline = last_published(report.review_id, before=report)
    if baseline is not None:
        since, since_label = baseline.published_at, f"the report to the {baseline.label}"
    else:
        since = utcnow() - dt.timedelta(days=stale_days)
        since_label = f"the last {stale_days} days"
    reply_by = default_reply_by(report)
    unowned = db.session.scalars(
        select(Action).where(Action.review_id == report.review_id, Action.archived.is_(False),
                             Action.owner_id.is_(None),
                             Action.measures.any(Measure.status.notin_(tuple(CLOSED))))
        .options(selectinload(Action.measures)).order_by(Action.position)).all()
    requests = [OwnerRequest(None, list(unowned), not_updated=sum(1 for a in unowned if _stale(a, since)))] \
        if unowned else []
    asked = queries.owners_asked_for(report)
    emails = queries.addresses(asked)
    sent = queries.requests_of(report.id)
    missing = queries.unanswered_items(list(sent.values()))
    for owner_id, measures in sorted(asked.items(), key=lambda kv: kv[1][0].action.owner.label.casefold()):
        owner = measures[0].action.owner
        actions = list({m.action_id: m.action for m in measures}.values())
        request = OwnerRequest(owner, actions, measures, emails.get(owner_id, []),
                               not_updated=sum(1 for a in actions if _stale(a, since)), sent=sent.get(owner_id))
        request.subject = messages.request_subject(report, reply_by)
        request.body = messages.request_body(report, owner, measures, reply_by,
                                             "(their own reply link is added when the message is sent)", sender)
        if request.sent is not None:
            request.unanswered = len(missing[request.sent.id])
        requests.append(request)
    return UpdateRequests(since, since_label, reply_by, requests)


def _stale(action: Action, since: dt.datetime) -> bool:
    return not any(m.updated_at >= since for m in action.measures)
