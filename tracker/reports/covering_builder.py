"""The covering report as plain report data (see builders): the council's own sections in its order,
narrative written in the product, and the facts filled in from the plan."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select

from ..domain.status import CATEGORIES, CATEGORY_LABELS, CLOSED
from ..extensions import db
from ..models import CommitteeReport, Project, Review
from .amendments import amendment_blocks
from .builders import long_date, meta, plan_state, sheets_of
from .covering_operations import covering_values, sections_for
from .since import since_blocks


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]


def _pct(n: int, d: int) -> str:
    return f"{n / d:.0%}" if d else "none to count"


def _which(ref: str, numbers: list[int]) -> str:
    shown = [str(n) for n in numbers if n]
    return f"{ref} ({', '.join(shown)})" if shown else ref


def plan_blocks(review: Review, today: dt.date, level: int = 3) -> list[dict]:
    """Where the plan stands: counts (closed-but-not-done never counted as complete), what waits on
    which project, and what is overdue."""
    actions = [a for a in review.actions if not a.archived]
    measures = [m for a in actions for m in a.live_measures]
    counts, total = Counter(m.status for m in measures), len(measures)
    undone = counts["cancelled"] + counts["not_applicable"]
    blocks = [{"type": "paragraph", "text": (
        f"The plan has {len(review.recommendations)} key recommendations and {len(actions)} actions with {total} "
        f"measures. {counts['complete']} of the {total} measures are complete ({_pct(counts['complete'], total)}); "
        f"{undone} more are closed without being done (cancelled or no longer applicable) and are not counted as "
        f"complete; of the {total - undone} that still apply, {counts['complete']} "
        f"({_pct(counts['complete'], total - undone)}) are complete.")}]
    rows = [[CATEGORY_LABELS.get(c, c), counts[c]] for c in CATEGORIES if counts[c]] + [["Total", total]]
    blocks.append({"type": "table", "caption": "Measures by status", "sheet": "Measures by status",
                   "columns": ["Status", "Measures"], "rows": rows, "widths": [70, 30], "numeric": True, "keep": True})

    waiting: dict[str, dict[str, list[int]]] = {}
    for a in actions:
        for m in a.live_measures:
            if m.depends_on and m.status not in CLOSED:
                waiting.setdefault(m.depends_on.code, {}).setdefault(a.ref, []).append(m.number)
    blocks.append({"type": "heading", "level": level, "text": "What waits on which project"})
    if waiting:
        projects = {p.code: p for p in db.session.scalars(select(Project).where(
            Project.authority_id == review.authority_id))}
        blocks.append({"type": "table", "caption": "Open measures waiting on a project", "sheet": "Waiting on projects",
                       "columns": ["Project", "Its status", "Expected", "Waiting", "Which actions (measures)"],
                       "rows": [[projects[c].name, CATEGORY_LABELS.get(projects[c].status, projects[c].status),
                                 long_date(projects[c].expected_on) or "Not set", sum(map(len, refs.values())),
                                 ", ".join(_which(ref, numbers) for ref, numbers in refs.items())]
                                for c, refs in sorted(waiting.items(), key=lambda kv: -sum(map(len, kv[1].values())))],
                       "widths": [24, 12, 11, 9, 44], "keep": True, "wrap": True})
    else:
        blocks.append({"type": "paragraph", "text": "No open measure waits on a project."})

    overdue = [a for a in actions if a.target_date and a.target_date < today
               and any(m.status not in CLOSED for m in a.live_measures)]
    blocks.append({"type": "heading", "level": level, "text": f"Overdue ({len(overdue)})"})
    if overdue:
        blocks.append({"type": "table", "caption": f"Open actions past their target date on {long_date(today)}",
                       "sheet": "Overdue actions", "columns": ["Ref-Id", "Action", "Owner", "Target date", "Original date"],
                       "rows": [[a.ref, a.title, a.owner.label if a.owner else "Not assigned", long_date(a.target_date),
                                 long_date(a.original_target_date)] for a in overdue],
                       "widths": [16, 36, 20, 14, 14]})
    else:
        blocks.append({"type": "paragraph", "text": f"No open action was past its target date on {long_date(today)}."})
    return blocks


def covering(review: Review, meeting: dict | None = None, *, since: dict | None = None,
             since_label: str | None = None) -> dict:
    report = meta(review, "covering", meeting)
    meeting = meeting or {}
    row = db.session.get(CommitteeReport, meeting["report_id"]) if meeting.get("report_id") else None
    values = covering_values(row, review)
    report["reference"] = values["reference"] or ""
    blocks = report["blocks"]
    blocks.append({"type": "heading", "level": 1, "text": f"{review.title}: progress report"})
    for label, text in (("Report to:", meeting.get("committee") or "The committee"),
                        ("Date of meeting:", long_date(dt.date.fromisoformat(meeting["date"])) if meeting.get("date")
                         else "Not yet set"),
                        ("Report reference:", values["reference"] or "Not yet given")):
        blocks.append({"type": "paragraph", "label": label, "text": text})
    texts = values["texts"]
    sheet_rows = []
    for section in sections_for(review.authority_id):
        kind, key = section["kind"], section["key"]
        blocks.append({"type": "heading", "level": 2, "text": section["title"]})
        start = len(blocks)
        if kind in ("text", "numbered"):
            for n, paragraph in enumerate(_paragraphs(texts.get(key, "")), start=1):
                blocks.append({"type": "paragraph", "text": paragraph, **({"label": f"{n}."} if kind == "numbered"
                                                                         else {})})
            for item in section.get("items", []):
                text = " ".join(_paragraphs(texts.get(f"{key}.{item['key']}", ""))) or "None"
                blocks.append({"type": "paragraph", "label": f"{item['title']} \u2013", "text": text})
        elif kind == "contact":
            blocks.append({"type": "paragraph", "text": values["contact_officer"] or "Not yet given"})
            blocks.append({"type": "paragraph", "label": "Ext:", "text": values["extension"] or "Not yet given"})
        elif kind == "plan":
            blocks += plan_blocks(review, dt.date.today())
        elif kind == "changes":
            blocks += since_blocks(since, plan_state(review), since_label)
        elif kind == "amendments":
            blocks += amendment_blocks(review, since)
        sheet_rows += [[section["title"], (b.get("label", "") + " " + b["text"]).strip()]
                       for b in blocks[start:] if b["type"] == "paragraph"]
    report["sheets"] = [{"name": "Covering report", "columns": ["Section", "Text"], "rows": sheet_rows}]
    report["sheets"] += sheets_of({"blocks": blocks})
    return report
