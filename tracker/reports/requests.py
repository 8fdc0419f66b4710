"""Asking owners for updates before a meeting: committees are 'disappointed that detailed updates
had not been received', so before each report the manager sends every owner the open actions
they have not updated, with what was last reported, and a date to reply by."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain.status import CLOSED
from ..extensions import db
from ..models import Action, CommitteeReport, Measure, Owner, User, utcnow
from .operations import last_published

REPLY_DAYS_BEFORE_MEETING = 14


@dataclass
class OwnerRequest:
    owner: Owner | None                 # None: actions with no owner, to assign before asking
    actions: list[Action]
    emails: list[str] = field(default_factory=list)
    subject: str = ""
    body: str = ""

    @property
    def mailto(self) -> str | None:
        if not self.emails:
            return None
        return f"mailto:{','.join(self.emails)}?subject={quote(self.subject)}&body={quote(self.body)}"


@dataclass
class UpdateRequests:
    since: dt.datetime
    since_label: str
    reply_by: dt.date
    requests: list[OwnerRequest]


def update_requests(report: CommitteeReport, *, stale_days: int, sender: str | None) -> UpdateRequests:
    """Open actions with no measure updated since the last published report (or, before the first
    report, within ``stale_days``), grouped by owner, each with a message ready to send."""
    baseline = last_published(report.review_id, before=report)
    if baseline is not None:
        since, since_label = baseline.published_at, f"the report to the {baseline.label}"
    else:
        since = utcnow() - dt.timedelta(days=stale_days)
        since_label = f"the last {stale_days} days"
    reply_by = max(report.meeting_on - dt.timedelta(days=REPLY_DAYS_BEFORE_MEETING), dt.date.today())
    actions = db.session.scalars(
        select(Action).where(Action.review_id == report.review_id, Action.archived.is_(False),
                             Action.measures.any(Measure.status.notin_(tuple(CLOSED))),
                             ~Action.measures.any(Measure.updated_at >= since))
        .options(selectinload(Action.owner), selectinload(Action.measures))
        .order_by(Action.position)).all()
    grouped: dict[int | None, list[Action]] = {}
    for action in actions:
        grouped.setdefault(action.owner_id, []).append(action)
    owner_ids = [k for k in grouped if k is not None]
    emails: dict[int, list[str]] = {}
    for owner_id, email in db.session.execute(select(User.owner_id, User.email).where(
            User.owner_id.in_(owner_ids), User.active.is_(True)).order_by(User.email)):
        emails.setdefault(owner_id, []).append(email)
    requests = [OwnerRequest(None, grouped[None])] if None in grouped else []
    for owner_id in sorted(owner_ids, key=lambda k: grouped[k][0].owner.label.casefold()):
        owned = grouped[owner_id]
        request = OwnerRequest(owned[0].owner, owned, emails.get(owner_id, []))
        request.subject, request.body = _message(report, request, reply_by, since_label, sender)
        requests.append(request)
    return UpdateRequests(since, since_label, reply_by, requests)


def _message(report, request: OwnerRequest, reply_by: dt.date, since_label: str, sender: str | None):
    date = report.meeting_on.strftime("%-d %B %Y")
    subject = f"Update needed by {reply_by.strftime('%-d %B %Y')}: {report.committee}, {date}"
    n = len(request.actions)
    lines = [f"Dear {request.owner.name},", "",
             f"The {report.committee} meets on {date} to review progress on the {report.review.title}. "
             f"The {'action' if n == 1 else f'{n} actions'} below {'has' if n == 1 else 'have'} had no update "
             f"since {since_label}. Please send what has happened on each measure by "
             f"{reply_by.strftime('%-d %B %Y')}, or say that nothing has changed.", ""]
    for action in request.actions:
        lines.append(f"{action.ref} {action.title}")
        for m in action.measures:
            if m.status in CLOSED:
                continue
            lines.append(f"  {m.number}) {m.text}")
            lines.append(f"     Last reported: {m.measured_output or '(nothing yet)'}")
        lines.append("")
    lines += ["Thank you,", sender or "Customer Services"]
    return subject, "\n".join(lines)
