"""A review as an Excel workbook a person can read, one sheet per table, that imports back unchanged.

The first sheet ("Measures", one row per measure) is the one people edit and the spreadsheet
importer reads; the other sheets carry the rest of the plan so the workbook round-trips whole. An
action that holds its progress itself (no numbered measures) is one row with no measure number and
no detail: its progress text is in "Measured output".
"""
from __future__ import annotations

import io
import json

from ..domain.responses import RESPONSES, parse_response
from .cells import formula_cells, text_cell

MARKER = "Best Value Tracker export"
SHEETS = {
    "Measures": ["Ref-Id", "Title", "Central issue", "Sub-issue", "Measure number", "Detail", "Measured output",
                 "Status", "Depends on", "Owner", "Business unit", "Target date", "Recommendations", "Comment"],
    "Recommendations": ["Number", "Text", "Status", "Response", "Response date"],
    "Variations": ["Recommendation", "Label", "Text", "Status"],
    "Themes": ["Code", "Name", "Sub-issue code", "Sub-issue name"],
    "Projects": ["Code", "Name", "Description", "Status", "Expected", "Aliases"],
    "Review": ["Field", "Value"],
}


def _sheet(book, title, header, rows, widths=None):
    """One sheet, written row by row (a write-only workbook keeps no rows in memory): the header in
    bold, frozen; every other cell wrapped and top-aligned, each text a text cell."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    for i, width in enumerate(widths or [18] * len(header), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    bold, wrapped = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def cell(value, **style):
        made = text_cell(WriteOnlyCell(sheet), value)  # a text starting "=" stays text
        for name, given in style.items():
            setattr(made, name, given)
        return made

    sheet.append([cell(v, font=bold) for v in header])
    for row in rows:
        sheet.append([cell("" if v is None else v, alignment=wrapped) for v in row])
    return sheet


def _measure_rows(data: dict):
    subnames = {(t["code"], s["code"]): s["name"] for t in data["themes"] for s in t.get("subthemes", [])}
    themes = {t["code"]: t["name"] for t in data["themes"]}
    for a in data["actions"]:
        owner = a.get("owner") or {}
        rows = a["measures"]
        if a.get("progress") is not None:
            progress = a["progress"]
            rows = [{"number": "", "text": "", "measured_output": progress.get("text") or "",
                     "status": progress.get("status"), "depends_on": progress.get("depends_on")}]
        for m in rows:
            yield [a["ref"], a["title"], themes.get(a["theme"], a["theme"]),
                   f"{a['subtheme']}) {subnames.get((a['theme'], a['subtheme']), '')}" if a.get("subtheme") else "",
                   m["number"], m["text"], m["measured_output"], m["status"], m.get("depends_on") or "",
                   owner.get("name", ""), owner.get("business_unit", ""), a.get("target_date") or "",
                   ", ".join(str(n) for n in a.get("recommendations", [])), a.get("comment") or ""]


def write_review_workbook(data: dict, target) -> None:
    """Write the workbook of one review's export data to ``target`` (a path or a binary file).
    ``data["actions"]`` may be any iterable (plan_json.review_actions): each action is read once,
    written and let go, so a plan of any size takes the same memory."""
    # openpyxl (and the numpy it loads) only when a workbook is made or read: app start-up stays light.
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    _sheet(book, "Measures", SHEETS["Measures"], _measure_rows(data),
           [14, 28, 16, 16, 9, 50, 40, 13, 11, 18, 18, 12, 12, 30])
    _sheet(book, "Recommendations", SHEETS["Recommendations"],
           [[r["number"], r["text"], r.get("status_text"), RESPONSES.get(r.get("response") or "", ""),
             r.get("response_on")] for r in data["recommendations"]], [9, 70, 60, 16, 14])
    _sheet(book, "Variations", SHEETS["Variations"],
           [[r["number"], v["label"], v["text"], v.get("status_text")] for r in data["recommendations"]
            for v in r.get("variations", [])], [14, 7, 70, 50])
    _sheet(book, "Themes", SHEETS["Themes"],
           [[t["code"], t["name"], s["code"], s["name"]] for t in data["themes"]
            for s in (t.get("subthemes") or [{"code": "", "name": ""}])], [10, 28, 14, 32])
    _sheet(book, "Projects", SHEETS["Projects"],
           [[p["code"], p["name"], p.get("description"), p["status"], p.get("expected_on"), json.dumps(p.get("aliases", []))]
            for p in data.get("projects", [])], [10, 30, 50, 13, 12, 40])
    review = data["review"]
    _sheet(book, "Review", SHEETS["Review"], [["export", MARKER], ["authority", data["authority"]]] +
           [[k, review.get(k)] for k in ("code", "title", "approved_on", "approved_by", "description", "ref_pattern")],
           [16, 80])
    book.save(target)


def review_workbook(data: dict) -> bytes:
    out = io.BytesIO()
    write_review_workbook(data, out)
    return out.getvalue()


def is_export_workbook(content: bytes) -> bool:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True)
    except Exception:  # noqa: BLE001 (not a workbook at all: the spreadsheet reader will say so)
        return False
    try:
        if "Review" not in book.sheetnames:
            return False
        return any(row[:2] == ("export", MARKER) for row in book["Review"].iter_rows(values_only=True))
    finally:
        book.close()


def read_export_workbook(content: bytes) -> dict:
    from openpyxl import load_workbook

    """The plan data of a workbook made by review_workbook (as edited by a person)."""
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    # Our own workbook keeps each text in a text cell, so a text starting "=" comes back exactly;
    # a formula someone typed in is refused (it holds what to calculate, not the value seen).
    formulas = formula_cells(book)
    if formulas:
        book.close()
        raise ValueError(f"{', '.join(formulas[:5])} hold{'s' if len(formulas) == 1 else ''} a formula; "
                         "type the values instead (Paste Special > Values)")

    def rows(name):
        it = book[name].iter_rows(values_only=True)
        header = next(it)
        return [dict(zip(header, ["" if v is None else v for v in row], strict=False)) for row in it if any(v not in (None, "") for v in row)]

    def text(v):
        # Spaces a person typed around a value go; a tab or line break that begins the text is part
        # of it (the export wrote it), so the round trip stays exact.
        return "" if v is None else (v.isoformat()[:10] if hasattr(v, "isoformat") else str(v).rstrip().strip(" "))

    review_fields = {r["Field"]: r["Value"] for r in rows("Review")}
    themes: dict[str, dict] = {}
    for r in rows("Themes"):
        theme = themes.setdefault(text(r["Code"]), {"code": text(r["Code"]), "name": text(r["Name"]), "subthemes": []})
        if text(r["Sub-issue code"]):
            theme["subthemes"].append({"code": text(r["Sub-issue code"]), "name": text(r["Sub-issue name"])})
    names = {t["name"]: code for code, t in themes.items()}
    recs = {int(r["Number"]): {"number": int(r["Number"]), "text": text(r["Text"]),
                               "status_text": text(r["Status"]) or None, "variations": []}
            for r in rows("Recommendations")}
    for r in rows("Recommendations"):
        if "Response" in r:  # workbooks exported before responses were kept have no such column
            recs[int(r["Number"])].update(response=parse_response(text(r["Response"])),
                                          response_on=text(r.get("Response date")) or None)
    for r in rows("Variations"):
        recs[int(r["Recommendation"])]["variations"].append(
            {"label": text(r["Label"]), "text": text(r["Text"]), "status_text": text(r["Status"]) or None})
    actions: dict[str, dict] = {}
    for r in rows("Measures"):
        ref = text(r["Ref-Id"])
        theme_code = names.get(text(r["Central issue"]), text(r["Central issue"]))
        sub = text(r["Sub-issue"]).split(")")[0] if text(r["Sub-issue"]) else None
        action = actions.setdefault(ref, {
            "ref": ref, "title": text(r["Title"]), "theme": theme_code, "subtheme": sub,
            "owner": ({"name": text(r["Owner"]), "business_unit": text(r["Business unit"])} if text(r["Owner"]) else None),
            "target_date": text(r["Target date"]) or None, "comment": text(r["Comment"]) or None,
            "recommendations": [int(n) for n in text(r["Recommendations"]).replace(",", " ").split() if n.isdigit()],
            "measures": []})
        if text(r["Measure number"]) == "":  # the action's own progress (see the module's docstring)
            action["progress"] = {"text": text(r["Measured output"]), "status": text(r["Status"]) or None,
                                  "depends_on": text(r["Depends on"]) or None}
            continue
        action["measures"].append({"number": int(r["Measure number"]), "text": text(r["Detail"]),
                                   "measured_output": text(r["Measured output"]),
                                   "status": text(r["Status"]) or None, "depends_on": text(r["Depends on"]) or None})
    projects = [{"code": text(r["Code"]), "name": text(r["Name"]), "description": text(r["Description"]) or None,
                 "status": text(r["Status"]), "expected_on": text(r["Expected"]) or None,
                 "aliases": json.loads(text(r["Aliases"]) or "[]")} for r in rows("Projects")]
    book.close()
    return {"authority": text(review_fields.get("authority")),
            "review": {k: (text(review_fields.get(k)) or None) for k in
                       ("code", "title", "approved_on", "approved_by", "description", "ref_pattern")},
            "projects": projects, "themes": list(themes.values()),
            "recommendations": [recs[n] for n in sorted(recs)], "actions": list(actions.values())}
