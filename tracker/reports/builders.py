"""Committee reports built once as plain data; every format renders from this, so none disagree.

A report is a dict: {"part", "title", "review", "meeting", "blocks": [...]}. Blocks:
  {"type": "heading", "level": 1|2|3, "text"}
  {"type": "paragraph", "text", "label"?}                    label: a bold lead-in such as "Status:"
  {"type": "list", "items": [[label, text], ...]}            recommendation 15's variations
  {"type": "table", "caption", "columns", "rows", "widths"}  a cell is text, or
        {"title": str | None, "numbered": [[n, text], ...]}  numbered measures or outputs
  {"type": "chart", "title", "rows": [[label, {category: n}]]}
Plain dicts, so a published report's snapshot is this data stored as JSON.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain.report_diff import diff_states
from ..domain.rollup import roll_up
from ..domain.status import CATEGORIES, CATEGORY_LABELS, CLOSED
from ..extensions import db
from ..models import Action, Measure, Project, Recommendation, Review, Theme, utcnow

PARTS = {"appendix-a": "Appendix A – Key Recommendations", "appendix-b": "Appendix B – Action Plan, Master List",
         "summary": "Covering summary"}


def load_review(code: str) -> Review | None:
    return db.session.scalar(select(Review).where(Review.code == code).options(
        selectinload(Review.authority),
        selectinload(Review.themes).selectinload(Theme.subthemes),
        selectinload(Review.recommendations).selectinload(Recommendation.variations),
        selectinload(Review.actions).options(
            selectinload(Action.theme), selectinload(Action.subtheme), selectinload(Action.owner),
            selectinload(Action.measures).selectinload(Measure.depends_on))))


def _date(value) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def _meta(review: Review, part: str, meeting: dict | None) -> dict:
    return {"part": part, "title": PARTS[part], "review": {"code": review.code, "title": review.title,
                                                          "authority": review.authority.name},
            "meeting": meeting or {}, "generated": utcnow().strftime("%-d %B %Y %H:%M"), "blocks": []}


def appendix_a(review: Review, meeting: dict | None = None) -> dict:
    report = _meta(review, "appendix-a", meeting)
    blocks = report["blocks"]
    blocks.append({"type": "heading", "level": 1, "text": "APPENDIX A"})
    blocks.append({"type": "heading", "level": 2, "text": "Key Recommendations"})
    for rec in review.recommendations:
        blocks.append({"type": "heading", "level": 3, "text": f"Recommendation {rec.number}"})
        blocks.append({"type": "paragraph", "text": rec.text, "label": f"{rec.number})"})
        if rec.variations:
            blocks.append({"type": "list", "items": [[f"{v.label}.", v.text] for v in rec.variations]})
        blocks.append({"type": "paragraph", "label": "Status:", "text": rec.status_text or "No commentary yet."})
    return report


def _themes_in_order(review: Review):
    actions = [a for a in review.actions if not a.archived]
    for theme in review.themes:
        of_theme = [a for a in actions if a.theme_id == theme.id]
        groups = [(None, [a for a in of_theme if a.subtheme_id is None])]
        groups += [(s, [a for a in of_theme if a.subtheme_id == s.id]) for s in theme.subthemes]
        yield theme, [(s, group) for s, group in groups if group]


def appendix_b(review: Review, meeting: dict | None = None, *, owners: bool = False) -> dict:
    report = _meta(review, "appendix-b", meeting)
    blocks = report["blocks"]
    blocks.append({"type": "heading", "level": 1, "text": "APPENDIX B"})
    blocks.append({"type": "heading", "level": 2, "text": "Action Plan - Master List"})
    columns = ["Ref-Id", "Detail", "Measured Output", "Comment"] + (["Owner", "Target date"] if owners else [])
    widths = [16, 40, 32, 12] if not owners else [16, 30, 26, 10, 9, 9]
    for theme, groups in _themes_in_order(review):
        blocks.append({"type": "heading", "level": 2, "text": theme.name})
        for subtheme, actions in groups:
            if subtheme is not None:
                blocks.append({"type": "heading", "level": 3, "text": subtheme.label})
            rows = []
            for a in actions:
                row = [a.ref, {"title": a.title, "numbered": [[m.number, m.text] for m in a.measures]},
                       {"title": None, "numbered": [[m.number, m.measured_output] for m in a.measures]},
                       a.comment or ""]
                if owners:
                    row += [a.owner.label if a.owner else "", _date(a.target_date)]
                rows.append(row)
            caption = theme.name + (f": {subtheme.label}" if subtheme else "")
            blocks.append({"type": "table", "caption": caption, "columns": columns, "rows": rows, "widths": widths})
    return report


def plan_state(review: Review) -> dict:
    """The baseline a published report keeps for the next one's "what changed"."""
    measures, actions = {}, {}
    for a in review.actions:
        actions[a.ref] = {"title": a.title, "target_date": a.target_date.isoformat() if a.target_date else None,
                          "original_target_date": a.original_target_date.isoformat() if a.original_target_date else None,
                          "target_date_reason": a.target_date_reason, "updated_at": a.updated_at.isoformat()}
        for m in a.measures:
            measures[f"{a.ref}|{m.number}"] = {"ref": a.ref, "number": m.number, "status": m.status,
                                               "output": m.measured_output}
    return {"taken_at": utcnow().isoformat(), "measures": measures, "actions": actions}


def summary(review: Review, meeting: dict | None = None, *, since: dict | None = None,
            since_label: str | None = None, stale_days: int = 90) -> dict:
    report = _meta(review, "summary", meeting)
    blocks = report["blocks"]
    actions = [a for a in review.actions if not a.archived]
    measures = [m for a in actions for m in a.measures]
    counts = Counter(m.status for m in measures)
    total = len(measures)
    blocks.append({"type": "heading", "level": 1, "text": "Covering summary"})
    blocks.append({"type": "paragraph", "text": f"{review.title}: {len(review.recommendations)} key "
                                                f"recommendations, {len(actions)} actions, {total} measures."})
    closed_other = counts["cancelled"] + counts["not_applicable"]
    blocks.append({"type": "paragraph", "text": (
        f"{counts['complete']} of {total} measures are complete ({_pct(counts['complete'], total)}). "
        f"{closed_other} more are closed without being complete (cancelled or no longer applicable) and are "
        f"not counted as complete; of the {total - closed_other} measures that still apply, "
        f"{counts['complete']} ({_pct(counts['complete'], total - closed_other)}) are complete.")})
    blocks.append({"type": "heading", "level": 2, "text": "Measures by status and central issue"})
    by_theme = []
    for theme in review.themes:
        theme_counts = Counter(m.status for a in actions if a.theme_id == theme.id for m in a.measures)
        by_theme.append([theme.name, {c: theme_counts[c] for c in CATEGORIES if theme_counts[c]}])
    blocks.append({"type": "chart", "title": "Measures by status and central issue", "rows": by_theme})
    rows = [[name] + [str(c.get(k, 0)) for k in CATEGORIES] + [str(sum(c.values()))] for name, c in by_theme]
    rows.append(["All central issues"] + [str(counts[k]) for k in CATEGORIES] + [str(total)])
    blocks.append({"type": "table", "caption": "Number of measures in each status category, by central issue",
                   "columns": ["Central issue"] + [CATEGORY_LABELS[c] for c in CATEGORIES] + ["Total"],
                   "rows": rows, "widths": [16] + [8] * len(CATEGORIES) + [12], "numeric": True})
    blocks.append({"type": "heading", "level": 2, "text": "What waits on which project"})
    waiting = Counter(m.depends_on.code for m in measures if m.depends_on and m.status not in CLOSED)
    projects = {p.code: p for p in db.session.scalars(select(Project).where(Project.authority_id == review.authority_id))}
    if waiting:
        blocks.append({"type": "table", "caption": "Open measures waiting on a project",
                       "columns": ["Project", "Project status", "Expected", "Open measures waiting"],
                       "rows": [[projects[c].name, CATEGORY_LABELS[projects[c].status], _date(projects[c].expected_on),
                                 str(n)] for c, n in waiting.most_common()], "widths": [40, 20, 20, 20]})
    else:
        blocks.append({"type": "paragraph", "text": "No open measure waits on a project."})
    _since_blocks(blocks, review, since, since_label)
    _attention_blocks(blocks, actions, stale_days)
    return report


def _pct(n: int, d: int) -> str:
    return f"{n / d:.0%}" if d else "n/a"


def _since_blocks(blocks, review, since, since_label):
    blocks.append({"type": "heading", "level": 2, "text": "Changes since the last report"})
    if since is None:
        blocks.append({"type": "paragraph", "text": "No committee report has been published before, so there is "
                                                    "nothing to compare with yet."})
        return
    diff = diff_states(since, plan_state(review))
    blocks.append({"type": "paragraph", "text": f"Compared with {since_label}."})
    label = CATEGORY_LABELS.get
    blocks.append({"type": "heading", "level": 3, "text": f"Completed since the last meeting ({len(diff.completed)})"})
    if diff.completed:
        blocks.append({"type": "table", "caption": "Measures completed since the last report",
                       "columns": ["Ref-Id", "Measure", "Was", "Measured Output"],
                       "rows": [[c["ref"], str(c["number"]), label(c["old"], c["old"]), c["output"]] for c in diff.completed],
                       "widths": [16, 10, 16, 58]})
    blocks.append({"type": "heading", "level": 3, "text": f"Status changes ({len(diff.status_changes)})"})
    if diff.status_changes:
        blocks.append({"type": "table", "caption": "Every change of status since the last report",
                       "columns": ["Ref-Id", "Measure", "Old status", "New status", "Measured Output"],
                       "rows": [[c["ref"], str(c["number"]), label(c["old"], c["old"]), label(c["new"], c["new"]),
                                 c["output"]] for c in diff.status_changes], "widths": [14, 9, 14, 14, 49]})
    else:
        blocks.append({"type": "paragraph", "text": "No status has changed."})
    blocks.append({"type": "heading", "level": 3, "text": f"New or revised target dates ({len(diff.date_changes)})"})
    if diff.date_changes:
        blocks.append({"type": "table", "caption": "Target dates set or moved since the last report",
                       "columns": ["Ref-Id", "Action", "Original date", "Previous date", "New date", "Reason"],
                       "rows": [[c["ref"], c["title"], _iso(c["original"]), _iso(c["old"]) or "Not set", _iso(c["new"]),
                                 c["reason"] or ""] for c in diff.date_changes], "widths": [12, 28, 13, 13, 13, 21]})
    else:
        blocks.append({"type": "paragraph", "text": "No target date was set or moved."})


def _iso(value):
    return _date(dt.date.fromisoformat(value)) if value else ""


def _attention_blocks(blocks, actions, stale_days):
    today = dt.date.today()
    overdue = [a for a in actions if a.target_date and a.target_date < today
               and any(m.status not in CLOSED for m in a.measures)]
    blocks.append({"type": "heading", "level": 2, "text": f"Overdue actions ({len(overdue)})"})
    if overdue:
        blocks.append({"type": "table", "caption": "Open actions past their target date",
                       "columns": ["Ref-Id", "Action", "Owner", "Target date", "Original date", "Status"],
                       "rows": [[a.ref, a.title, a.owner.label if a.owner else "", _date(a.target_date),
                                 _date(a.original_target_date), CATEGORY_LABELS[_rollup(a)]] for a in overdue],
                       "widths": [12, 34, 18, 12, 12, 12]})
    else:
        blocks.append({"type": "paragraph", "text": "No open action is past its target date."})
    cutoff = utcnow() - dt.timedelta(days=stale_days)
    stale = [a for a in actions if a.updated_at < cutoff and any(m.status not in CLOSED for m in a.measures)]
    blocks.append({"type": "heading", "level": 2, "text": f"Not updated for {stale_days} days or more ({len(stale)})"})
    if stale:
        blocks.append({"type": "table", "caption": f"Open actions with no update for {stale_days} days",
                       "columns": ["Ref-Id", "Action", "Owner", "Last updated"],
                       "rows": [[a.ref, a.title, a.owner.label if a.owner else "Not assigned", _date(a.updated_at)]
                                for a in stale], "widths": [14, 50, 20, 16]})
    else:
        blocks.append({"type": "paragraph", "text": f"Every open action was updated in the last {stale_days} days."})


def _rollup(action) -> str:
    return roll_up((m.status, m.depends_on.code if m.depends_on else None) for m in action.measures).category


def build(part: str, review: Review, meeting: dict | None = None, *, since: dict | None = None,
          since_label: str | None = None, owners: bool = False) -> dict:
    if part == "appendix-a":
        return appendix_a(review, meeting)
    if part == "appendix-b":
        return appendix_b(review, meeting, owners=owners)
    if part == "summary":
        return summary(review, meeting, since=since, since_label=since_label)
    raise ValueError(f"unknown report part {part!r}; choose one of {', '.join(PARTS)}")
