"""Committee reports built once as plain data; every format renders from this, so none disagree.

A report is a dict: {"part", "title", "review", "meeting", "generated", "blocks": [...], "sheets": [...]}.
Blocks, in reading order (HTML, PDF and Word):
  {"type": "heading", "level": 1|2|3, "text"}
  {"type": "paragraph", "text", "label"?}                    label: a bold lead-in such as "Status:"
  {"type": "list", "items": [[label, text, status_text?], ...]}   recommendation 15's variations
  {"type": "table", "caption", "columns", "rows", "widths", "caption_hidden"?, "numeric"?, "keep"?, "sheet"?}
        a cell is text, a number, or {"title": str | None, "numbered": [[n, text], ...]}
        (numbered measures in Detail beside numbered outputs in Measured Output, as the source reads)
  {"type": "chart", "title", "rows": [[label, {category: n}]]}
Sheets, for Excel and CSV: [{"name", "columns", "rows", "dates"?}], one row per measure (Appendix B)
or per recommendation and variation (Appendix A), built in the same loop as the blocks. An action that
holds its progress itself (no numbered measures) is one row everywhere, its progress text verbatim.
Plain dicts, so a published report's snapshot is this data stored as JSON.
"""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain.rollup import roll_up_measures
from ..domain.status import CATEGORY_LABELS, CLOSED
from ..extensions import db
from ..models import Action, Measure, Recommendation, Review, Theme, utcnow

PARTS = {"covering": "Covering report", "summary": "Covering summary", "appendix-a": "Appendix A – Key Recommendations",
         "appendix-b": "Appendix B – Action Plan, Master List"}


def load_review(code: str) -> Review | None:
    """The review with everything any part prints, in a fixed number of queries (no N+1)."""
    return db.session.scalar(select(Review).where(Review.code == code).options(
        selectinload(Review.authority),
        selectinload(Review.themes).selectinload(Theme.subthemes),
        selectinload(Review.recommendations).selectinload(Recommendation.variations),
        selectinload(Review.actions).options(
            selectinload(Action.theme), selectinload(Action.subtheme), selectinload(Action.owner),
            selectinload(Action.measures).selectinload(Measure.depends_on))))


def long_date(value) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def meta(review: Review, part: str, meeting: dict | None) -> dict:
    return {"part": part, "title": PARTS[part], "review": {"code": review.code, "title": review.title,
                                                          "authority": review.authority.name},
            "meeting": meeting or {}, "generated": utcnow().strftime("%-d %B %Y %H:%M"), "blocks": [],
            "sheets": []}


def appendix_a(review: Review, meeting: dict | None = None) -> dict:
    report = meta(review, "appendix-a", meeting)
    blocks, rows = report["blocks"], []
    blocks.append({"type": "heading", "level": 1, "text": "APPENDIX A"})
    blocks.append({"type": "heading", "level": 2, "text": "Key Recommendations"})
    blocks.append({"type": "heading", "level": 3, "text": "Recommendation"})
    for rec in review.recommendations:
        # Printed verbatim: the commentary is the committee's own words. As in the source paper the
        # recommendation's commentary covers its variations; a variation's own status is printed
        # under it only when the recommendation has no commentary to cover it.
        own = any(v.status_text for v in rec.variations) and not rec.status_text
        status = rec.status_text or ("See each variation above." if own else "No commentary yet.")
        # Numbered once, as the source reads ("1) That a separate unit ..."), not "Recommendation 1" then "1)".
        blocks.append({"type": "paragraph", "text": rec.text, "label": f"{rec.number})", "keep_with_next": True})
        if rec.variations:
            blocks.append({"type": "list", "items": [[f"{v.label}.", v.text, (v.status_text or "") if own else ""]
                                                     for v in rec.variations]})
        # A commentary that speaks to the variations in turn ("i-vii) ... viii) ... ix) ...") is laid
        # out a variation a line, as the source paper prints it.
        pieces = split_by_variation(status, [v.label for v in rec.variations])
        blocks.append({"type": "paragraph", "label": "Status:", "text": pieces[0][1] if pieces[0][0] is None
                       else f"{pieces[0][0]} {pieces[0][1]}"})
        if len(pieces) > 1:
            blocks.append({"type": "list", "items": [[label, text, ""] for label, text in pieces[1:]]})
        rows.append([rec.number, "", rec.text, status])
        rows += [[rec.number, v.label, v.text, v.status_text or ""] for v in rec.variations]
    report["sheets"].append({"name": "Appendix A", "columns": ["Recommendation", "Variation", "Text", "Status"],
                             "rows": rows})
    return report


def split_by_variation(text: str, labels: list[str]) -> list[tuple[str | None, str]]:
    """(label, text) pieces of a commentary that addresses variations in turn: "i-vii) A viii) B"
    gives [("i-vii)", "A"), ("viii)", "B")]. Only the recommendation's own variation labels (or
    ranges of them) count as markers, so "b)" in ordinary prose never splits a sentence."""
    if not labels or not text:
        return [(None, text)]
    names = "|".join(sorted((re.escape(label) for label in labels), key=len, reverse=True))
    marker = re.compile(rf"(?:(?<=\s)|^)((?:{names})(?:\s*[-\u2013]\s*(?:{names}))?\))\s+")
    found = list(marker.finditer(text))
    if not found:
        return [(None, text)]
    pieces = [(None, text[:found[0].start()].strip())] if text[:found[0].start()].strip() else []
    for match, following in zip(found, found[1:] + [None], strict=True):
        end = following.start() if following else len(text)
        pieces.append((match.group(1), text[match.end():end].strip()))
    return pieces


def _groups(review: Review, shown=lambda a: not a.archived):
    """Central issue, then sub-issue, in the plan's order; actions without a sub-issue first."""
    actions = [a for a in review.actions if shown(a)]
    for theme in review.themes:
        of_theme = [a for a in actions if a.theme_id == theme.id]
        groups = [(None, [a for a in of_theme if a.subtheme_id is None])]
        groups += [(s, [a for a in of_theme if a.subtheme_id == s.id]) for s in theme.subthemes]
        yield theme, [(s, group) for s, group in groups if group]


def retired_label(item) -> str:
    return f"Retired ({long_date(item.retired_on)}): {item.retired_reason}"


def retired_since(since: dict | None):
    """Which retired actions and measures the next Appendix B reports: those retired since the last
    published report, that is still live in its baseline, or (added after it) retired on a later
    day than it was taken. Without a published report every retirement is news. Items retired
    before that report are left out: it already said so."""
    taken = dt.datetime.fromisoformat(since["taken_at"]).date() if since and since.get("taken_at") else None

    def news(item, key: str, table: str) -> bool:
        if item.retired_on is None:
            return False
        if since is None:
            return True
        return key in (since.get(table) or {}) or (taken is not None and item.retired_on > taken)

    def action_shown(a: Action) -> bool:
        return not a.archived or news(a, a.ref, "actions")

    def measure_shown(a: Action, m: Measure) -> bool:
        return m.retired_on is None or news(m, f"{a.ref}|{m.number}", "measures")

    return action_shown, measure_shown


def _target(action: Action) -> str:
    # Councillors asked to see the original date beside a revised one.
    if action.original_target_date and action.original_target_date != action.target_date:
        return f"{long_date(action.target_date)} (originally {long_date(action.original_target_date)})"
    return long_date(action.target_date)


def _columns(shape: str, owners: bool) -> tuple[list[str], list[int]]:
    """Appendix B's columns. A plan of numbered measures keeps the source paper's four; where
    actions hold their progress themselves a Status column is added (their progress text carries
    no number to align), and a plan made only of such actions is headed in its own words."""
    extra = ["Owner", "Target date"] if owners else []
    if shape == "measures":
        return (["Ref-Id", "Detail", "Measured Output", "Comment"] + extra,
                [16, 38, 32, 14] if not owners else [14, 28, 23, 9, 12, 14])
    words = ["Action", "Progress"] if shape == "progress" else ["Detail", "Measured Output"]
    return (["Ref-Id"] + words + ["Status", "Comment"] + extra,
            [14, 30, 31, 13, 12] if not owners else [13, 19, 22, 12, 11, 10, 13])


def plan_shape(actions) -> str:
    """"measures" (every action has numbered measures, or none yet), "progress" (every action holds
    its progress itself) or "mixed"."""
    own = [a.own_progress is not None for a in actions]
    return "measures" if not any(own) else ("progress" if all(own) else "mixed")


def _status_cell(a: Action) -> str:
    if a.archived:
        return retired_label(a)
    own = a.own_progress
    if own is None:
        return CATEGORY_LABELS.get(roll_up_measures(a.live_measures).category, "")
    label = CATEGORY_LABELS.get(own.status, own.status)
    return f"{label}: waits on {own.depends_on.code}" if own.depends_on and own.status not in CLOSED else label


def appendix_b(review: Review, meeting: dict | None = None, *, owners: bool = False,
               since: dict | None = None) -> dict:
    report = meta(review, "appendix-b", meeting)
    blocks, sheet_rows = report["blocks"], []
    blocks.append({"type": "heading", "level": 1, "text": "APPENDIX B"})
    blocks.append({"type": "heading", "level": 2, "text": "Action Plan - Master List"})
    action_shown, measure_shown = retired_since(since)
    shape = plan_shape(a for a in review.actions if action_shown(a))
    columns, widths = _columns(shape, owners)
    for theme, groups in _groups(review, action_shown):
        blocks.append({"type": "heading", "level": 2, "text": theme.name})
        for subtheme, actions in groups:
            if subtheme is not None:
                blocks.append({"type": "heading", "level": 3, "text": subtheme.label})
            rows = []
            for a in actions:
                owner = a.owner.label if a.owner else ""
                sheet_start = [theme.name, subtheme.label if subtheme else "", a.ref, a.title]
                sheet_end = [owner, _iso(a.target_date), _iso(a.original_target_date)] if owners else []
                own = a.own_progress
                if own is not None:
                    # One row: the action and its progress text verbatim, as the council's tracker has it.
                    row = [a.ref, {"title": a.title, "numbered": []}, own.measured_output, _status_cell(a),
                           a.comment or ""]
                    rows.append(row + ([owner, _target(a)] if owners else []))
                    sheet_rows.append(sheet_start + ["", "", own.measured_output,
                                                     _status_cell(a) if a.archived else
                                                     CATEGORY_LABELS.get(own.status, own.status),
                                                     own.depends_on.name if own.depends_on else "", a.comment or ""]
                                      + sheet_end)
                    continue
                measures = [m for m in a.measures if a.archived or measure_shown(a, m)]
                # A retired item says so where the committee reads progress: "Retired (date): reason".
                outputs = {m.number: retired_label(m) if m.retired_on else m.measured_output for m in measures}
                row = [a.ref, {"title": a.title, "numbered": [[m.number, m.text] for m in measures]},
                       {"title": retired_label(a) if a.archived else None,
                        "numbered": [[m.number, outputs[m.number]] for m in measures]}]
                row += ([] if shape == "measures" else ["Retired" if a.archived else _status_cell(a)])
                row.append(a.comment or "")
                rows.append(row + ([owner, _target(a)] if owners else []))
                for m in measures:
                    retired = a.retired_on if a.archived else m.retired_on
                    sheet_rows.append(
                        sheet_start + [m.number, m.text,
                                       retired_label(a) if a.archived else outputs[m.number],
                                       "Retired" if retired else CATEGORY_LABELS.get(m.status, m.status),
                                       m.depends_on.name if m.depends_on else "", a.comment or ""]
                        + sheet_end)
            # The caption repeats the heading just above, so it is for screen readers only on paper.
            caption = theme.name + (f": {subtheme.label}" if subtheme else "")
            blocks.append({"type": "table", "caption": caption, "caption_hidden": True, "columns": columns,
                           "rows": rows, "widths": widths})
    report["sheets"].append({
        "name": "Appendix B",
        "columns": ["Central issue", "Sub-issue", "Ref-Id", "Title", "No.", "Detail", "Measured Output", "Status",
                    "Waits on", "Comment"] + (["Owner", "Target date", "Original target date"] if owners else []),
        "rows": sheet_rows, "dates": ["Target date", "Original target date"] if owners else []})
    return report


def _iso(value) -> str:
    return value.isoformat() if value else ""


def plan_state(review: Review) -> dict:
    """The baseline a published report keeps for the next one's "what changed"."""
    measures, actions = {}, {}
    for position, a in enumerate(a for a in review.actions if not a.archived):
        actions[a.ref] = {"title": a.title, "position": position, "target_date": _iso(a.target_date) or None,
                          "original_target_date": _iso(a.original_target_date) or None,
                          "target_date_reason": a.target_date_reason, "updated_at": a.updated_at.isoformat(),
                          "owner": a.owner.label if a.owner else None, "comment": a.comment or ""}
        # An action's own progress is one item, "REF|0", beside numbered measures' "REF|n".
        for m in a.live_measures:
            measures[f"{a.ref}|{m.number}"] = {"ref": a.ref, "number": m.number, "position": position,
                                               "status": m.status, "output": m.measured_output, "text": m.text}
    return {"taken_at": utcnow().isoformat(), "measures": measures, "actions": actions,
            "retired": _retired_state(review)}


def _retired_state(review: Review) -> dict:
    """What is retired now, with why: the next report says which of the last one's items went."""
    actions, measures = {}, {}
    for a in review.actions:
        if a.archived:
            actions[a.ref] = {"title": a.title, "reason": a.retired_reason, "on": _iso(a.retired_on) or None}
        for m in a.retired_measures:
            measures[f"{a.ref}|{m.number}"] = {"ref": a.ref, "number": m.number, "text": m.text,
                                               "reason": m.retired_reason, "on": _iso(m.retired_on) or None}
    return {"actions": actions, "measures": measures}


def sheets_of(report: dict) -> list[dict]:
    """The report's sheets; for data without them (a table-only part), one sheet per table."""
    if report.get("sheets"):
        return report["sheets"]
    sheets = []
    for block in report["blocks"]:
        if block["type"] != "table":
            continue
        rows = [[_plain(cell) for cell in row] for row in block["rows"]]
        sheets.append({"name": block.get("sheet") or block["caption"], "columns": block["columns"], "rows": rows})
    return sheets


def _plain(cell):
    if isinstance(cell, dict):
        lines = [cell["title"]] if cell.get("title") else []
        return "\n".join(lines + [f"{n}) {text}" for n, text in cell["numbered"]])
    return cell


def build(part: str, review: Review, meeting: dict | None = None, *, since: dict | None = None,
          since_label: str | None = None, owners: bool = False) -> dict:
    if part == "appendix-a":
        return appendix_a(review, meeting)
    if part == "appendix-b":
        return appendix_b(review, meeting, owners=owners, since=since)
    if part == "covering":
        from .covering_builder import covering
        return covering(review, meeting, since=since, since_label=since_label)
    if part == "summary":
        from .summary import summary
        return summary(review, meeting, since=since, since_label=since_label)
    raise ValueError(f"unknown report part {part!r}; choose one of {', '.join(PARTS)}")
