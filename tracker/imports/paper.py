"""Committee-paper import: the text of an action plan (pasted, .txt, .docx or .pdf) into a review.

The reading itself is in paper_text.py, numbered_plan.py and pasted_table.py (plain Python); this
module reads the file, turns what was read into plan data (the seed's shape) and hands it to the
common preview/apply path. A table pasted as text goes the way a sheet goes (plan_frame), so its
columns are guessed, mapped and previewed exactly as a spreadsheet's.
"""
from __future__ import annotations

import io
import re

from .operations import ImportPlan, default_authority, existing_review_data, plan_data_import, plan_frame
from .paper_text import infer_ref_pattern, layout_of, parse_committee_paper
from .spreadsheet import RowProblem

NOTHING_READ = (
    "No actions were found. The text can be a numbered plan: section headings, then numbered items "
    "with their progress (“1. Customer access” then “1.1 Improve the website – Owner: Head of Digital – "
    "Progress: pilot live”; “Recommendation 1:”, “R1”, “a)” and bullets work too). Or a table copied "
    "from Word or Excel, or typed with | between the columns, with its headings in the first row "
    "(“Ref | Action | Progress”). Or a committee paper's action plan: ref ids such as CC-01-ENV-01, "
    "each with a title and numbered measures followed by their measured outputs (“1) Road signs” … "
    "“1) One new sign installed”)")


def docx_text(content: bytes) -> str:
    """Paragraphs and table cells in reading order, one line each, as a committee paper reads."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(io.BytesIO(content))
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    lines.extend(p.text for p in cell.paragraphs)
                    lines.append("")
    return "\n".join(lines)


def read_text(content: bytes, filename: str) -> str:
    if filename.lower().endswith(".docx"):
        return docx_text(content)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("not text")  # pragma: no cover - cp1252 decodes nearly anything


def _code(heading: str) -> str:
    words = re.findall(r"[A-Za-z]+", heading)
    return (words[0][:4] if words else "GEN").upper()


def plan_paper_text(text: str, review_code: str, notes: list[str] | None = None, *, cells: bool = False) -> ImportPlan:
    existing = existing_review_data(review_code)
    pattern = existing["review"]["ref_pattern"] if existing else None
    return plan_parsed_paper(parse_committee_paper(text, pattern, cells=cells), review_code, notes, existing)


def plan_parsed_paper(paper, review_code: str, notes: list[str] | None = None, existing=None) -> ImportPlan:
    """A paper already parsed (with the review's pattern at the time) into the common preview."""
    notes = list(notes or [])
    layout = layout_of(paper)
    if layout == "table":
        return _plan_pasted_table(paper, review_code, notes)
    existing = existing if existing is not None else existing_review_data(review_code)
    pattern = existing["review"]["ref_pattern"] if existing else None
    problems = [RowProblem(p.line, p.message) for p in paper.problems]
    if not paper.actions and not (paper.recommendations and existing):
        problems.append(RowProblem(None, NOTHING_READ))
        return ImportPlan([], {}, None, None, problems, notes)
    pattern = pattern or infer_ref_pattern([a.ref for a in paper.actions])
    if layout == "numbered":
        from .plain_plan_data import plain_plan_data
        data, read_notes = plain_plan_data(paper, existing, review_code, pattern, problems)
    else:
        data = _plan_data(paper, existing, review_code, pattern, problems)
        read_notes = [f"Read as a committee paper's action plan: {len(paper.actions)} action"
                      f"{'s' if len(paper.actions) != 1 else ''} with ref ids, each with numbered measures and "
                      "their measured outputs."]
    if problems:
        return ImportPlan([], {}, None, None, problems, notes + read_notes)
    plan = plan_data_import(data, review_code)
    plan.notes = notes + read_notes + plan.notes
    return plan


def _plan_pasted_table(paper, review_code: str, notes: list[str]) -> ImportPlan:
    import pandas as pd

    headings = list(paper.actions[0].cells)
    frame = pd.DataFrame([[row.cells.get(h, "") for h in headings] for row in paper.actions], columns=headings,
                         dtype=str).fillna("")
    frame.index = [row.line for row in paper.actions]  # each problem names the line of the text
    note = (f"Read as a table pasted as text, with the headings {', '.join(headings)}: its rows are read as a "
            "spreadsheet's, and row numbers are the lines of the text.")
    return plan_frame(frame, review_code, notes=notes + [note])


def _plan_data(paper, existing, review_code, pattern, problems) -> dict:
    from ..domain.refs import theme_in_ref

    themes = {t["code"]: dict(t, subthemes=list(t.get("subthemes", []))) for t in (existing or {}).get("themes", [])}
    by_name = {t["name"].lower(): code for code, t in themes.items()}
    actions = []
    for parsed in paper.actions:
        code = theme_in_ref(parsed.ref, pattern)
        heading = (parsed.theme_heading or "").strip()
        if code is None:
            code = by_name.get(heading.lower()) or (_code(heading) if heading else None)
        if code is None:
            problems.append(RowProblem(parsed.line, f"{parsed.ref}: no central issue heading above it"))
            continue
        if code not in themes:
            if existing:
                problems.append(RowProblem(parsed.line, f"{parsed.ref}: theme {code!r} ({heading}) is not one of this "
                                                        "review's themes; add it first"))
                continue
            name = re.sub(r"-\s*[ivx]+\)\s*.*$", "", heading).strip() or code
            themes[code] = {"code": code, "name": name, "subthemes": []}
            by_name[name.lower()] = code
        subtheme = None
        if parsed.subtheme_heading:
            match = re.match(r"(?:.*-)?\s*([ivx]+)\)\s*(.+)", parsed.subtheme_heading.strip())
            if match:
                subtheme = match.group(1)
                if not any(s["code"] == subtheme for s in themes[code]["subthemes"]):
                    themes[code]["subthemes"].append({"code": subtheme, "name": match.group(2).strip()})
        actions.append({"ref": parsed.ref, "title": parsed.title, "theme": code, "subtheme": subtheme,
                        "measures": [{"number": m.number, "text": m.text, "measured_output": m.measured_output}
                                     for m in parsed.measures]})
    if existing:
        data = dict(existing)
        data["themes"] = list(themes.values())
        recs = {r["number"]: r for r in data.get("recommendations", [])}
    else:
        data = {"authority": default_authority(),
                "review": {"code": review_code, "title": f"Review {review_code}", "ref_pattern": pattern},
                "projects": [], "themes": list(themes.values())}
        recs = {}
    for parsed in paper.recommendations:
        recs[parsed.number] = {"number": parsed.number, "text": parsed.text, "status_text": parsed.status_text,
                               "variations": [{"label": v.label, "text": v.text, "status_text": v.status_text}
                                              for v in parsed.variations]}
    data["recommendations"] = [recs[n] for n in sorted(recs)]
    data["actions"] = actions
    return data
