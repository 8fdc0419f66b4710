"""Readiness and gap analysis as plain report data, in the same shape as the committee appendices.

The dicts follow tracker/reports/builders.py ({"part", "title", "review", "meeting", "generated",
"blocks", "sheets"}), so every format comes from the shared renderers. The first sheet is the one a
CSV holds: one row per element (readiness) or per site (gap analysis); Excel has every sheet.
"""
from __future__ import annotations

import re

from sqlalchemy import select

from ..domain import readiness as rules
from ..domain.status import CATEGORY_LABELS
from ..extensions import db
from ..models import Authority, utcnow

SITES_PER_PRINTED_TABLE = 5
READINESS_COLUMNS = ["Element", "Element text", "Rating", "RAG", "Mapped actions", "Why this RAG", "Evidence"]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "site"


def _date(value) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def _authority(review=None) -> str:
    if review is not None:
        return review.authority.name
    names = db.session.scalars(select(Authority.name).order_by(Authority.name)).all()
    return names[0] if len(names) == 1 else ""


def _meta(part: str, title: str, subtitle: str, label: str, review=None) -> dict:
    return {"part": part, "title": title,
            "review": {"code": review.code if review else "", "title": subtitle, "authority": _authority(review)},
            "meeting": {"label": label}, "generated": utcnow().strftime("%-d %B %Y %H:%M"), "blocks": []}


def _rule_blocks(blocks: list) -> None:
    blocks.append({"type": "heading", "level": 2, "text": "How RAG is worked out"})
    blocks.append({"type": "list", "items": [[f"{i}.", line] for i, line in enumerate(rules.RAG_RULE, start=1)]})
    blocks.append({"type": "paragraph", "text": rules.ROLLUP_RULE})


def readiness_report(pic, review=None) -> dict:
    """One assessment's readiness (or, with no assessment, the plan's alone: every element not assessed)."""
    standard, assessment = pic.standard, pic.assessment
    review = review or (assessment.review if assessment else None)
    if assessment is not None:
        subtitle, label = f"{standard.name}: {assessment.site}", f"Self-assessment of {assessment.label}"
    else:
        subtitle = f"{standard.name}: {review.title if review else 'the plan'}"
        label = "No assessment recorded: every element is counted as not assessed"
    report = _meta("readiness", "Accreditation readiness", subtitle, label, review)
    blocks = report["blocks"]
    r = pic.readiness
    blocks.append({"type": "heading", "level": 1, "text": f"Accreditation readiness – {standard.name}"})
    blocks.append({"type": "paragraph", "label": "Site or service:",
                   "text": assessment.site if assessment else "None assessed"})
    if assessment is not None:
        blocks.append({"type": "paragraph", "label": "Assessed on:", "text": _date(assessment.assessed_on)})
    if review is not None:
        blocks.append({"type": "paragraph", "label": "Evidence from:", "text": f"{review.code} – {review.title}"})
    blocks.append({"type": "paragraph", "label": "Readiness:", "text": r.sentence})
    blocks.append({"type": "paragraph", "text": r.left_out_sentence})
    _rule_blocks(blocks)
    blocks.append({"type": "heading", "level": 2, "text": "Criteria and sub-criteria"})
    rows = []
    for c in standard.criteria:
        rows.append([c.number, f"Criterion {c.number}: {c.title}", pic.criteria[c.number].label,
                     pic.criteria[c.number].reason])
        rows += [[s.number, s.title, pic.subcriteria[s.number].label, pic.subcriteria[s.number].reason]
                 for s in c.subcriteria]
    blocks.append({"type": "table", "caption": "RAG of each criterion and sub-criterion",
                   "columns": ["Number", "Title", "RAG", "Why"], "rows": rows, "widths": [10, 40, 10, 40]})
    blocks.append({"type": "heading", "level": 2, "text": "What to do next"})
    if pic.next_actions:
        blocks.append({"type": "table", "caption": "Open actions that would move the most elements that are not Green",
                       "columns": ["Ref-Id", "Action", "Status", "Elements it would move"],
                       "rows": [[a.ref, a.title, rules_status(status), ", ".join(e.code for e in moved)]
                                for a, status, moved in pic.next_actions], "widths": [16, 44, 14, 26]})
    else:
        blocks.append({"type": "paragraph", "text": "No open action is mapped to an element that is not Green."})
    blocks.append({"type": "heading", "level": 2, "text": "Elements"})
    elements = element_table(pic)
    blocks.append(elements)
    report["sheets"] = [
        {"name": "Elements", "columns": elements["columns"], "rows": elements["rows"]},
        {"name": "Criteria and sub-criteria", "columns": ["Number", "Title", "RAG", "Why"], "rows": rows},
        {"name": "What to do next", "columns": ["Ref-Id", "Action", "Status", "Elements it would move"],
         "rows": [[a.ref, a.title, rules_status(status), ", ".join(e.code for e in moved)]
                  for a, status, moved in pic.next_actions]},
    ]
    return report


def rules_status(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def element_table(pic) -> dict:
    rows = [[v.element.code, v.element.text, v.rating_label, v.rag.label, ", ".join(a.ref for a, _ in v.actions),
             v.rag.reason, v.evidence] for v in pic.elements]
    return {"type": "table", "caption": f"Every element of {pic.standard.name}: rating, RAG and mapped actions",
            "columns": READINESS_COLUMNS, "rows": rows, "widths": [10, 25, 12, 8, 15, 14, 16]}


def gap_report(standard, pictures) -> dict:
    subs = [s for c in standard.criteria for s in c.subcriteria]
    report = _meta("gap-analysis", "Gap analysis", f"{standard.name}: sites against each sub-criterion",
                   f"Gap analysis of {len(pictures)} site{'s' if len(pictures) != 1 else ''}",
                   pictures[0].assessment.review if pictures and pictures[0].assessment else None)
    blocks = report["blocks"]
    blocks.append({"type": "heading", "level": 1, "text": f"Gap analysis – {standard.name}"})
    blocks.append({"type": "paragraph", "text": "Each site's most recent self-assessment; each cell is the RAG of "
                                                "one sub-criterion, always written as its word."})
    _rule_blocks(blocks)
    blocks.append({"type": "heading", "level": 2, "text": "Sub-criteria and sites"})
    if not pictures:
        blocks.append({"type": "paragraph", "text": "No site has been assessed against this standard yet."})
    # On paper the grid is turned: sub-criteria down the page, up to five sites across, so every cell
    # keeps its whole word on A4. The sheet (Excel, CSV) keeps one row per site, like HMRC's estate view.
    for start in range(0, len(pictures), SITES_PER_PRINTED_TABLE):
        chunk = pictures[start:start + SITES_PER_PRINTED_TABLE]
        width = min(15, 70 // len(chunk))
        caption = "RAG per sub-criterion and site" if len(pictures) <= SITES_PER_PRINTED_TABLE else \
            f"RAG per sub-criterion and site (sites {start + 1}–{start + len(chunk)} of {len(pictures)})"
        blocks.append({"type": "table", "caption": caption,
                       "columns": ["No.", "Sub-criterion"] + [f"{p.assessment.site} ({_date(p.assessment.assessed_on)})"
                                                              for p in chunk],
                       "rows": [[s.number, s.title] + [p.subcriteria[s.number].label for p in chunk] for s in subs]
                       + [["", "At Compliance or better"] + [_share(p.readiness) for p in chunk]],
                       "widths": [6, 94 - width * len(chunk)] + [width] * len(chunk)})
    # The sheet keeps the date as ISO text (a real date in Excel).
    report["sheets"] = [{"name": "Gap analysis", "dates": ["Assessed on"],
                         "columns": ["Site", "Assessed on"] + [s.number for s in subs] + ["At Compliance or better"],
                         "rows": [[p.assessment.site, p.assessment.assessed_on.isoformat()]
                                  + [p.subcriteria[s.number].label for s in subs] + [_share(p.readiness)]
                                  for p in pictures]}]
    return report


def _share(r) -> str:
    return f"{r.compliant} of {r.total} ({r.percent_text})"


def render_report(report: dict, fmt: str) -> bytes:
    """Any format through the shared renderers; a CSV is the first sheet alone (one table, one row each)."""
    from ..reports.renderers import render

    if fmt == "csv":
        report = {**report, "sheets": report["sheets"][:1]}
    return render(report, fmt)
