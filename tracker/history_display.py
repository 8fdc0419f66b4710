"""History in words: one change as people read it, shared by every history listing.

The change record keeps codes and UTC times (tracker/history.py); pages show "Status: Not started →
In progress", "Created", UK local time and refs that link to what changed.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import g, url_for
from sqlalchemy import select

from .domain.responses import RESPONSES
from .domain.status import CATEGORY_LABELS
from .extensions import db

UK = ZoneInfo("Europe/London")

FIELD_LABELS = {
    "status": "Status", "measured_output": "Progress text", "depends_on": "Waiting on", "owner": "Owner",
    "target_date": "Target date", "status_text": "Progress", "response": "Council's response",
    "response_on": "Response date", "status_override": "Status set by hand",
    "status_override_reason": "Reason for the status set by hand", "action_link": "Delivered by action",
    "recommendation_link": "Delivers recommendation", "standard_element": "Standard element",
    "public_page": "Public progress page", "is_main": "Main review", "sign_in": "Signed in",
    "sign_out": "Signed out", "text": "Wording", "title": "Title", "comment": "Comment", "role": "Role",
    "active": "Active", "password": "Password",
    # An action's own progress turned into its measure 1 (tracker/plan/structure_ops.add_measure).
    "number": "Held as",
}
STATUS_FIELDS = {"status", "status_override"}
HIDDEN_VALUES = {"password"}  # the record says it changed, never to what
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
LINKED = {"action", "measure"}


def uk_time(moment: dt.datetime | None) -> str:
    """A stored UTC time as UK local time: "30 Nov 2026, 2:05pm" (BST in summer)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(UK)
    hour = local.hour % 12 or 12
    return f"{local.day} {local:%b %Y}, {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field) or field.replace("_", " ").capitalize()


def value_words(field: str, value: str | None) -> str:
    if value in (None, ""):
        return "none"
    if field in STATUS_FIELDS and value in CATEGORY_LABELS:
        return CATEGORY_LABELS[value]
    if field == "response" and value in RESPONSES:
        return RESPONSES[value]
    if value in ("True", "False"):
        return "Yes" if value == "True" else "No"
    if ISO_DATE.match(value):
        return dt.date.fromisoformat(value).strftime("%-d %b %Y")
    if ISO_DATETIME.match(value):
        try:
            return uk_time(dt.datetime.fromisoformat(value))
        except ValueError:
            pass
    return value


# The owners' side (tracker/owners/operations.py): events more than field changes, so each reads as
# a sentence of its own; ``after`` holds the owner's name as the record was written.
OWNER_EVENTS = {
    "update_request": "Update request sent to {owner}",
    "owner_reply": "Update from {owner} sent for review",
    "owner_no_change": "“No change” from {owner} sent for review",
    "owner_reply_returned": "Update returned to {owner}",
}


def summary(change) -> str:
    """What changed, in words: "Created", "Status: Not started → In progress"."""
    if change.field == "created":
        return "Created"
    if change.field == "status_confirmed":
        return f"Status confirmed as {change.after}"
    if change.field in OWNER_EVENTS:
        return OWNER_EVENTS[change.field].format(owner=change.after or "the owner")
    if change.field == "owner_confirmed":
        # Accepting a "No change" reply leaves the progress text as it was; the note says whose reply it was.
        return "“No change” accepted: the progress text stands"
    label = field_label(change.field)
    if change.field in HIDDEN_VALUES:
        return f"{label} changed"
    return f"{label}: {value_words(change.field, change.before)} → {value_words(change.field, change.after)}"


def _review_codes() -> dict[int, str]:
    """Review ids to codes, read once per request: links in the audit log cross reviews."""
    if "review_codes" not in g:
        from .models import Review
        g.review_codes = dict(db.session.execute(select(Review.id, Review.code)).all())
    return g.review_codes


@dataclass(frozen=True)
class ChangeView:
    when: str
    who: str
    ref: str | None       # an action ref, shown unbroken and linked
    what: str             # the rest of the label ("measure 2"), or the whole label when there is no ref
    link: str | None
    summary: str
    note: str | None


def change_view(change) -> ChangeView:
    label = change.entity_label or field_label(change.entity_type)
    ref, rest, link = None, label, None
    code = _review_codes().get(change.review_id) if change.review_id else None
    if change.entity_type in LINKED and change.entity_label:
        ref, _, tail = change.entity_label.partition(" ")
        rest = tail
        link = url_for("plan.action", ref=ref, review=code) if code else None
    elif change.entity_type == "recommendation" and change.entity_label:
        number = re.search(r"(\d+)", change.entity_label)
        if number and code:
            link = url_for("plan.recommendation", number=int(number.group(1)), review=code)
    elif change.entity_type == "committee_report" and change.entity_id:
        link = url_for("reports.report", report_id=change.entity_id)
    return ChangeView(when=uk_time(change.at), who=change.user_name or "System", ref=ref, what=rest, link=link,
                      summary=summary(change), note=change.note)


def register(app) -> None:
    app.jinja_env.filters["change_view"] = change_view
    app.jinja_env.filters["uk_time"] = uk_time
