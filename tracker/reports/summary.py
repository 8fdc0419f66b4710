"""The covering summary: where the plan stands, what waits on which project, what changed since the
last published report, and what is overdue or has not been updated. Plain report data (see builders)."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from flask import current_app
from sqlalchemy import select

from ..domain.rollup import roll_up_measures
from ..domain.status import CATEGORIES, CATEGORY_LABELS, CLOSED
from ..extensions import db
from ..models import Project, Review, utcnow
from .builders import long_date, meta, plan_state
from .since import since_blocks


def _label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def _pct(n: int, d: int) -> str:
    return f"{n / d:.0%}" if d else "none to count"


def _widths(first: int, n: int) -> list[int]:
    rest = (100 - first) // n
    return [first] + [rest] * n


def _unit(measures) -> str:
    """What the counts count: each numbered measure is one item, and so is each action that holds
    its progress itself (its unnumbered measure, number 0), so the arithmetic treats both shapes alike."""
    own = sum(1 for m in measures if m.number == 0)
    return "measures" if not own else ("actions" if own == len(measures) else "items")


def summary(review: Review, meeting: dict | None = None, *, since: dict | None = None,
            since_label: str | None = None, stale_days: int | None = None) -> dict:
    report = meta(review, "summary", meeting)
    blocks = report["blocks"]
    actions = [a for a in review.actions if not a.archived]
    measures = [m for a in actions for m in a.measures]
    counts = Counter(m.status for m in measures)
    total = len(measures)
    unit = _unit(measures)
    own = sum(1 for m in measures if m.number == 0)
    blocks.append({"type": "heading", "level": 1, "text": "Covering summary"})
    if unit == "measures":
        sizes = f"{len(actions)} actions, {total} measures."
    else:
        sizes = f"{len(actions)} actions ({own} holding their progress on the action itself), {total - own} measures."
        if unit == "items":
            sizes += (" Below, each measure counts as one item, and so does each action that holds its "
                      "progress itself.")
    blocks.append({"type": "paragraph", "text": f"{review.title}: {len(review.recommendations)} key "
                                                f"recommendations, {sizes}"})
    # Honest arithmetic: cancelled and not applicable are closed, never counted as complete.
    closed_other = counts["cancelled"] + counts["not_applicable"]
    still_apply = total - closed_other
    blocks.append({"type": "paragraph", "text": (
        f"{counts['complete']} of {total} {unit} are complete ({_pct(counts['complete'], total)}). "
        f"{closed_other} more are closed without being complete (cancelled or no longer applicable) and are "
        f"not counted as complete; of the {still_apply} {unit} that still apply, "
        f"{counts['complete']} ({_pct(counts['complete'], still_apply)}) are complete.")})

    blocks.append({"type": "heading", "level": 2, "text": f"Status of the {unit}"})
    by_theme = []
    for theme in review.themes:
        theme_counts = Counter(m.status for a in actions if a.theme_id == theme.id for m in a.measures)
        by_theme.append([theme.name, {c: theme_counts[c] for c in CATEGORIES if theme_counts[c]}])
    blocks.append({"type": "chart", "title": f"{unit.capitalize()} by status and central issue", "rows": by_theme})
    # Statuses down the side and central issues across: nine short rows read better on A4 than
    # nine narrow columns whose headings would have to break mid-word.
    rows = [[_label(c)] + [theme_counts.get(c, 0) for _, theme_counts in by_theme] + [counts[c]]
            for c in CATEGORIES]
    rows.append(["Total"] + [sum(theme_counts.values()) for _, theme_counts in by_theme] + [total])
    blocks.append({"type": "table", "caption": f"Number of {unit} in each status, by central issue",
                   "sheet": "Status by central issue", "numeric": True,
                   "columns": ["Status"] + [name for name, _ in by_theme] + ["All central issues"],
                   "rows": rows, "widths": _widths(16, len(by_theme) + 1)})

    blocks.append({"type": "heading", "level": 2, "text": "What waits on which project"})
    waiting = Counter(m.depends_on.code for m in measures if m.depends_on and m.status not in CLOSED)
    projects = {p.code: p for p in db.session.scalars(select(Project).where(Project.authority_id == review.authority_id))}
    if waiting:
        blocks.append({"type": "table", "caption": f"Open {unit} waiting on a project", "sheet": "Waiting on projects",
                       "columns": ["Project", "Project status", "Expected", f"Open {unit} waiting"],
                       "rows": [[projects[c].name, _label(projects[c].status),
                                 long_date(projects[c].expected_on) or "Not set", n]
                                for c, n in waiting.most_common()], "widths": [40, 20, 20, 20]})
    else:
        blocks.append({"type": "paragraph", "text": f"No open {unit[:-1]} waits on a project."})
    _since_blocks(blocks, review, since, since_label)
    if stale_days is None:
        stale_days = current_app.config.get("STALE_AFTER_DAYS", 90)
    _attention_blocks(blocks, actions, stale_days)
    for block in blocks:
        # A short table moves to the next page whole rather than leave a row or two behind.
        if block["type"] == "table" and len(block["rows"]) <= 12:
            block["keep"] = True
    return report


def _since_blocks(blocks, review, since, since_label):
    # The same account as the covering report's and the pack's (since.py): one wording everywhere.
    blocks.append({"type": "heading", "level": 2, "text": "Changes since the last report"})
    blocks.extend(since_blocks(since, plan_state(review), since_label, level=3))


def _attention_blocks(blocks, actions, stale_days):
    today = dt.date.today()
    overdue = [a for a in actions if a.target_date and a.target_date < today
               and any(m.status not in CLOSED for m in a.measures)]
    blocks.append({"type": "heading", "level": 2, "text": f"Overdue actions ({len(overdue)})"})
    if overdue:
        # Dated: a frozen report must say on which day these were overdue.
        blocks.append({"type": "table", "caption": f"Open actions past their target date on {long_date(today)}",
                       "sheet": "Overdue actions",
                       "columns": ["Ref-Id", "Action", "Owner", "Target date", "Original date", "Status"],
                       "rows": [[a.ref, a.title, a.owner.label if a.owner else "Not assigned",
                                 long_date(a.target_date), long_date(a.original_target_date), _label(_rollup(a))]
                                for a in overdue],
                       "widths": [15, 31, 18, 12, 12, 12]})
    else:
        blocks.append({"type": "paragraph", "text": f"No open action was past its target date on {long_date(today)}."})
    cutoff = utcnow() - dt.timedelta(days=stale_days)

    def last_update(a):
        # A measure's progress counts as an update of its action.
        return max([a.updated_at] + [m.updated_at for m in a.measures if m.updated_at])

    stale = [a for a in actions if last_update(a) < cutoff and any(m.status not in CLOSED for m in a.measures)]
    blocks.append({"type": "heading", "level": 2, "text": f"Not updated for {stale_days} days or more ({len(stale)})"})
    if stale:
        blocks.append({"type": "table", "caption": f"Open actions with no update for {stale_days} days",
                       "sheet": "Not updated",
                       "columns": ["Ref-Id", "Action", "Owner", "Last updated"],
                       "rows": [[a.ref, a.title, a.owner.label if a.owner else "Not assigned",
                                 long_date(last_update(a))] for a in stale], "widths": [15, 49, 20, 16]})
    else:
        blocks.append({"type": "paragraph", "text": f"Every open action was updated in the last {stale_days} days."})


def _rollup(action) -> str:
    return roll_up_measures(action.measures).category
