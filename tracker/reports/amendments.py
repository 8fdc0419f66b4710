"""Amendments for the committee to endorse (paragraph 8 of the seed paper): what changed in the plan
itself since the committee last saw it, so it is endorsed explicitly rather than noticed by chance.

- items closed without being done: cancelled, or found no longer applicable (with the words given);
- items retired from the plan, with the reason;
- reworded items: an action's title or detail, a measure's or recommendation's text, before and after;
- revised target dates, each revision with its reason, from the plan's history.

"Since the committee last saw it" is the last published report's baseline; before any report was
published, everything the plan's history holds.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ..extensions import db
from ..models import Change, Review
from .builders import long_date, retired_label, retired_since

CLOSED_UNDONE = ("cancelled", "not_applicable")
REWORDED = {("action", "title"): "Title", ("action", "detail"): "Detail", ("measure", "text"): "Measure text",
            ("recommendation", "text"): "Recommendation text"}
LABELS = {"cancelled": "Cancelled", "not_applicable": "No longer applicable"}


def _taken(since: dict | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(since["taken_at"]) if since and since.get("taken_at") else None


def _history(review: Review, taken: dt.datetime | None, wanted: set[tuple[str, str]]) -> list[Change]:
    query = select(Change).where(Change.review_id == review.id,
                                 Change.entity_type.in_({e for e, _ in wanted}), Change.field.in_({f for _, f in wanted}))
    if taken is not None:
        query = query.where(Change.at > taken)
    return [c for c in db.session.scalars(query.order_by(Change.at, Change.id)) if (c.entity_type, c.field) in wanted]


def _when(change: Change) -> str:
    who = f" by {change.user_name}" if change.user_name else ""
    return f"{change.at.strftime('%-d %B %Y')}{who}" + (f". {change.note}" if change.note else "")


def amendment_blocks(review: Review, since: dict | None, *, level: int = 3) -> list[dict]:
    taken = _taken(since)
    blocks: list[dict] = []
    measures = {m.id: (a, m) for a in review.actions for m in a.measures}
    actions = {a.id: a for a in review.actions}
    recommendations = {r.id: r for r in review.recommendations}

    def item(a, m=None) -> dict:
        return {"title": a.title, "numbered": [[m.number, m.text]] if m is not None and m.number else []}

    def table(title, caption, columns, rows, widths):
        if rows:
            blocks.append({"type": "heading", "level": level, "text": f"{title} ({len(rows)})"})
            blocks.append({"type": "table", "caption": caption, "sheet": title, "columns": columns,
                           "rows": rows, "widths": widths, "keep": len(rows) <= 12})

    before = (since or {}).get("measures") or {}
    closed = [[a.ref, item(a, m), LABELS[m.status], m.measured_output]
              for a in review.actions if not a.archived for m in a.live_measures
              if m.status in CLOSED_UNDONE and (since is None or (before.get(f"{a.ref}|{m.number}") or {}).get(
                  "status") not in CLOSED_UNDONE)]
    table("Cancelled or no longer applicable", "Items closed without being done, in the words given",
          ["Ref-Id", "Item", "Status", "As reported"], closed, [16, 44, 15, 25])

    action_shown, measure_shown = retired_since(since)
    retired = []
    for a in review.actions:
        if a.archived and action_shown(a):
            retired.append([a.ref, item(a), retired_label(a)])
        elif not a.archived:
            retired += [[a.ref, item(a, m), retired_label(m)] for m in a.retired_measures if measure_shown(a, m)]
    table("Retired from the plan", "Actions and measures retired, with the reasons", ["Ref-Id", "Item", "Retired"],
          retired, [16, 49, 35])

    reworded = []
    for change in _history(review, taken, set(REWORDED)):
        if change.entity_type == "measure" and change.entity_id in measures:
            a, m = measures[change.entity_id]
            ref, what = a.ref, item(a, m)
        elif change.entity_type == "action" and change.entity_id in actions:
            a = actions[change.entity_id]
            ref, what = a.ref, {"title": a.title, "numbered": []}
        elif change.entity_type == "recommendation" and change.entity_id in recommendations:
            rec = recommendations[change.entity_id]
            ref, what = f"Recommendation {rec.number}", {"title": None, "numbered": []}
        else:
            continue
        what = {**what, "title": "; ".join(filter(None, [REWORDED[(change.entity_type, change.field)], what["title"]]))}
        reworded.append([ref, what, change.before or "", change.after or "", _when(change)])
    table("Reworded", "Items whose wording changed: what it said and what it says now",
          ["Ref-Id", "Item", "Was", "Now", "Changed"], reworded, [16, 21, 23, 23, 17])

    revised = []
    for change in _history(review, taken, {("action", "target_date")}):
        a = actions.get(change.entity_id)
        if a is None or not change.before:
            continue  # a first date is set, not revised
        revised.append([a.ref, a.title, long_date(dt.date.fromisoformat(change.before)),
                        long_date(dt.date.fromisoformat(change.after)) if change.after else "None",
                        change.note or "No reason recorded", _when(change).split(". ")[0]])
    table("Revised target dates", "Target dates revised, each with its reason",
          ["Ref-Id", "Action", "Was", "Now", "Reason", "Agreed"], revised, [16, 23, 12, 12, 23, 14])

    if blocks:
        blocks.append({"type": "paragraph", "text": "The committee is asked to endorse these amendments to the plan."})
    else:
        blocks.append({"type": "paragraph", "text": "The plan itself has not been amended since the committee last "
                                                    "saw it: there is nothing to endorse."})
    return blocks
