"""The words of every message to owners and managers, in one place: the preview on the requests
page and the mail actually sent are made by the same functions."""
from __future__ import annotations

import datetime as dt

from ..models import CommitteeReport, Measure, Owner
from .queries import measure_label


def day(date: dt.date) -> str:
    return date.strftime("%-d %B %Y")


def _items(measures: list[Measure]) -> list[str]:
    lines: list[str] = []
    current = None
    for m in measures:
        if m.action_id != current:
            if current is not None:
                lines.append("")
            current = m.action_id
            lines.append(f"{m.action.ref} {m.action.title}")
        lines.append(f"  {measure_label(m)}: {m.text}" if m.number else f"  {measure_label(m)}")
        lines.append(f"     Last reported: {m.measured_output or '(nothing yet)'}")
    return lines


def _link_lines(link: str | None, until: dt.date) -> list[str]:
    if not link:
        return ["Reply by return: this message was written to the outbox for forwarding."]
    return ["Reply here (no password needed; the link works until the end of "
            f"{day(until)}, for your actions only):", link]


def request_subject(report: CommitteeReport, reply_by: dt.date) -> str:
    return f"Update needed by {day(reply_by)}: {report.committee}, {day(report.meeting_on)}"


def request_body(report: CommitteeReport, owner: Owner, measures: list[Measure], reply_by: dt.date,
                 link: str | None, sender: str | None) -> str:
    actions = len({m.action_id for m in measures})
    lines = [f"Dear {owner.name},", "",
             f"The {report.committee} meets on {day(report.meeting_on)} to review progress on the "
             f"{report.review.title}. Please tell us what has happened on each item of your "
             f"{'open action' if actions == 1 else f'{actions} open actions'} below by {day(reply_by)}, "
             "or say that nothing has changed.", ""]
    lines += _link_lines(link, report.meeting_on) + [""]
    lines += _items(measures) + [""]
    lines += ["Thank you,", sender or "Customer Services"]
    return "\n".join(lines)


def reminder_subject(report: CommitteeReport, reply_by: dt.date) -> str:
    return f"Reminder: update needed by {day(reply_by)}: {report.committee}, {day(report.meeting_on)}"


def reminder_body(report: CommitteeReport, owner: Owner, measures: list[Measure], reply_by: dt.date,
                  link: str, sender: str | None) -> str:
    lines = [f"Dear {owner.name},", "",
             f"This is a reminder: we still need your update on the item{'s' if len(measures) != 1 else ''} below "
             f"by {day(reply_by)}, for the {report.committee} on {day(report.meeting_on)}. "
             "If nothing has changed, one click on \"No change\" is enough.", ""]
    lines += _link_lines(link, report.meeting_on) + [""]
    lines += _items(measures) + [""]
    lines += ["Thank you,", sender or "Customer Services"]
    return "\n".join(lines)


def returned_subject(measure: Measure) -> str:
    return f"Your update on {measure.action.ref} {measure_label(measure).lower()} needs another look"


def returned_body(owner: Owner, measure: Measure, sent_text: str, note: str, link: str, until: dt.date | None,
                  manager: str | None) -> str:
    lines = [f"Dear {owner.name},", "",
             f"{manager or 'The customer service manager'} has returned your update on "
             f"{measure.action.ref} {measure.action.title} ({measure_label(measure).lower()}) with this note:", "",
             f"  {note}", "", "What you sent:", f"  {sent_text or 'No change'}", ""]
    if until:
        lines += _link_lines(link, until)
    else:
        lines += ["Sign in and send it again from My actions:", link]
    lines += ["", "Thank you,", manager or "Customer Services"]
    return "\n".join(lines)


def missing_subject(report: CommitteeReport) -> str:
    return f"Updates still missing for the {report.committee}, {day(report.meeting_on)}"


def missing_body(report: CommitteeReport, missing: list[tuple[Owner, int, dt.date]], link: str) -> str:
    lines = [f"These owners have not yet replied to the update request for the {report.committee} on "
             f"{day(report.meeting_on)}; each has been sent a reminder today:", ""]
    for owner, count, reply_by in missing:
        lines.append(f"  {owner.label}: {count} item{'s' if count != 1 else ''} (reply by {day(reply_by)})")
    lines += ["", "Replies received wait for you at:", link]
    return "\n".join(lines)
