"""Committee-paper import: the text of an action-plan appendix (pasted, .txt or .docx) into a review.

The parsing itself is in paper_text.py (plain Python); this module reads the file, turns
what was parsed into plan data (the seed's shape) and hands it to the common preview/apply path.
"""
from __future__ import annotations

import io
import re

from .paper_text import infer_ref_pattern, parse_committee_paper
from .operations import ImportPlan, existing_review_data, default_authority, plan_data_import
from .spreadsheet import RowProblem


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
    existing = existing if existing is not None else existing_review_data(review_code)
    pattern = existing["review"]["ref_pattern"] if existing else None
    problems = [RowProblem(p.line, p.message) for p in paper.problems]
    if not paper.actions and not (paper.recommendations and existing):
        problems.append(RowProblem(None, "No actions were found: the paper needs ref ids (such as R1, 1.1 or "
                                         "CC-01-ENV-01) on lines of their own or before their titles, each "
                                         "followed by numbered measures and outputs"))
        return ImportPlan([], {}, None, None, problems, list(notes or []))
    pattern = pattern or infer_ref_pattern([a.ref for a in paper.actions])
    data = _plan_data(paper, existing, review_code, pattern, problems)
    if problems:
        return ImportPlan([], {}, None, None, problems, list(notes or []))
    plan = plan_data_import(data, review_code)
    plan.notes = list(notes or []) + plan.notes
    return plan


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
