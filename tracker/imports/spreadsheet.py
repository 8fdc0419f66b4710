"""Spreadsheet import (XLSX and CSV): read safely, guess the column mapping, turn rows into plan data.

Councils keep trackers in many shapes: one row per measure, or one row per action with
"1) ... 2) ..." numbered measures in one cell. Both become the plan data that apply_plan takes.
Every problem is reported with its spreadsheet row number and what to fix; nothing is guessed
silently (an unknown status word is offered for mapping, not forced into a category).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field

import pandas as pd

from ..domain import status as status_rules
from ..refused import Refused
from ..exports.cells import csv_import_rows, first_formula
from ..domain.refs import check_ref, infer_pattern, theme_in_ref
from . import limits
from .limits import Limits

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000
FIELDS = {
    "ref": "Ref id", "title": "Title", "theme": "Theme (central issue)", "subtheme": "Sub-theme",
    "measure_number": "Measure number", "measure": "Measure text (detail)",
    "measured_output": "Measured output / progress", "status": "Status", "owner": "Owner",
    "business_unit": "Business unit", "target_date": "Target date", "recommendation": "Recommendation number",
    "comment": "Comment",
}
REQUIRED = ("ref", "title", "measure")
# Header words that name each field, most specific first.
SYNONYMS = {
    "ref": ["ref-id", "ref id", "refid", "reference", "ref", "action ref", "action id", "id", "no.", "number"],
    "title": ["title", "action title", "action", "heading", "short description"],
    "theme": ["central issue", "theme", "category", "area", "workstream", "service"],
    "subtheme": ["sub-issue", "sub issue", "sub-theme", "subtheme", "sub theme"],
    "measure_number": ["measure number", "measure no", "measure no.", "point", "step"],
    "measure": ["detail", "measure", "measures", "action detail", "description", "what we will do", "task"],
    "measured_output": ["measured output", "progress", "update", "outcome", "output", "position", "latest update",
                        "progress to date"],
    "status": ["status", "rag", "state", "progress status"],
    "owner": ["owner", "lead officer", "responsible officer", "lead", "responsible", "officer"],
    "business_unit": ["business unit", "directorate", "department", "team"],
    "target_date": ["target date", "due date", "deadline", "target", "by when", "date due", "completion date"],
    "recommendation": ["recommendation", "rec", "recommendation number", "rec no"],
    "comment": ["comment", "comments", "notes", "note", "remarks"],
}
NUMBERED = re.compile(r"(?:(?<=\s)|^)(\d{1,2})\)\s*")
# Other ways people number a list in a cell: "(1) ..." anywhere, "1. ..." or a bullet at a line's start.
BRACKETED = re.compile(r"(?:(?<=\s)|^)\((\d{1,2})\)\s*")
DOTTED = re.compile(r"(?m)^[ \t]*(\d{1,2})\.(?!\d)[ \t]*")
BULLET = re.compile(r"(?m)^[ \t]*[•·▪◦*\-–][ \t]+")
HEADER_SEARCH_ROWS = 20


class SpreadsheetRefused(Refused):
    """The file as a whole cannot be read: too big, wrong type, formulas or macros."""


@dataclass(frozen=True)
class RowProblem:
    row: int | None
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}" if self.row else self.message


@dataclass
class Conversion:
    data: dict | None
    problems: list[RowProblem] = field(default_factory=list)
    unknown_statuses: dict[str, list[int]] = field(default_factory=dict)


def read_table(content: bytes, filename: str) -> pd.DataFrame:
    """The sheet as text cells. Refuses what could hide data or run code."""
    name = filename.lower()
    if len(content) > MAX_BYTES:
        raise SpreadsheetRefused(f"The file is {len(content) // 1024} KB; the limit is {MAX_BYTES // 1024 // 1024} MB")
    if name.endswith((".xlsm", ".xlsb", ".xls")):
        raise SpreadsheetRefused("Macro-enabled and old-format workbooks (.xlsm, .xlsb, .xls) are refused; "
                                 "save the sheet as .xlsx or .csv")
    if name.endswith(".xlsx"):
        return _read_xlsx(content)
    if name.endswith(".csv"):
        return _read_csv(content)
    raise SpreadsheetRefused("Upload an Excel workbook (.xlsx) or a CSV file (.csv)")


def _read_xlsx(content: bytes) -> pd.DataFrame:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if any(n.lower().endswith("vbaproject.bin") for n in archive.namelist()):
                raise SpreadsheetRefused("The workbook contains macros; save it as a plain .xlsx and upload that")
        # Not read-only: merged cells are only known to a fully loaded sheet (the size limit keeps it small).
        workbook = load_workbook(io.BytesIO(content), data_only=False)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        if isinstance(exc, SpreadsheetRefused):
            raise
        raise SpreadsheetRefused("The file is not a readable .xlsx workbook") from exc
    sheets = [s for s in workbook.worksheets if s.sheet_state == "visible"] or workbook.worksheets
    tables = []
    for sheet in sheets:
        if sheet.max_row > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise SpreadsheetRefused(f"Sheet {sheet.title!r} has more than {MAX_ROWS} rows; split it")
        # The sheet's real extent, once loaded: a <dimension> checked before loading can lie.
        limits.check_extent(sheet.max_row, sheet.max_column, Limits.current())
        rows = [["" if v is None else (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else str(v))
                 for v in row] for row in sheet.iter_rows(values_only=True)]
        formulas = {(c.row, c.column) for row in sheet.iter_rows() for c in row if c.data_type == "f"}
        # A merged cell shows one value across its range; every cell under it means that value
        # (a ref id merged down an action's measure rows, a theme heading merged across the row).
        for merged in sheet.merged_cells.ranges:
            value = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(rows) else ""
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                    rows[r][c] = value
        header_index, score = locate_header(rows)
        tables.append((score, sheet.title, rows, header_index, formulas))
    workbook.close()
    # The sheet whose headings look most like a plan: trackers often open with a notes or cover sheet.
    score, title, rows, header_index, formulas = max(tables, key=lambda t: t[0])
    refusal = first_formula(rows, header_index, formulas=formulas, sheet=title)
    if refusal:
        raise SpreadsheetRefused(refusal)
    frame = frame_from_rows(rows, header_index)
    frame.attrs["sheet"] = title if len(sheets) > 1 else None
    return frame


def _read_csv(content: bytes) -> pd.DataFrame:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise SpreadsheetRefused("The CSV file's text encoding is not UTF-8 or Windows-1252")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # one column, or too little text to tell: commas
    # One row past the limit is enough to refuse: never hold a million rows to count them.
    rows = list(itertools.islice(csv.reader(io.StringIO(text), dialect), MAX_ROWS + HEADER_SEARCH_ROWS + 1))
    if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise SpreadsheetRefused(f"The file has more than {MAX_ROWS} rows; split it")
    # A formula is refused as in a workbook; the apostrophe our CSV exports put before text that
    # would start one is taken off again (tracker/exports/cells.py).
    texts = csv_import_rows(rows)
    header_index = locate_header(texts)[0]
    refusal = first_formula(rows, header_index, csv=True)
    if refusal:
        raise SpreadsheetRefused(refusal)
    return frame_from_rows(texts, header_index)


def locate_header(rows: list[list[str]]) -> tuple[int, int]:
    """(index, score) of the heading row. Council trackers often open with a title, a date, a RAG key
    or blank rows above the table, so the headings are the early row that names most fields."""
    best, best_score = None, 0
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = list(dict.fromkeys(c.strip() for c in row if c and c.strip()))
        if len(cells) < 2:
            continue
        score = _header_score(cells)
        if score > best_score:
            best, best_score = index, score
    if best is None:
        best = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), 0)
    return best, best_score


def tables_as_sheet(tables: list[tuple[str, list[list[str]]]], *,
                    split_by_pages: bool = False) -> list[list[str]] | None:
    """The rows of a document's tracker table (Word, PDF) as sheet rows; None when no table's
    headings name a tracker's columns (ref, title, measure).

    ``tables`` are (the heading line before it, its rows). Later tables that repeat the headings
    (a table split by theme or by page) are read as one, each heading before them becoming a
    heading row, as in a spreadsheet. ``split_by_pages``: a PDF, where a page may also cut a table
    without repeating its headings, or cut a row in two (its second half has no ref id)."""
    header, body, headed = None, [], 0
    for heading, rows in tables:
        if not rows:
            continue
        index, _ = locate_header(rows)
        names = rows[index]
        mapping = guess_mapping(names)
        if header is None and all(mapping.get(f) for f in REQUIRED):
            header = names
        elif header is None:
            continue
        elif names != header:
            if not split_by_pages or len(rows[0]) != len(header):
                continue
            index = -1  # a table the page cut without its headings: every row is body
        if heading and len(heading) < 80 and "theme" not in mapping and index >= 0:
            body.append([heading] + [""] * (len(header) - 1))
            headed += 1
        new_rows = [r for r in rows[index + 1:] if r != header]
        if split_by_pages and new_rows and body:
            ref_at = header.index(guess_mapping(header)["ref"])
            if not new_rows[0][ref_at].strip() and len(body[-1]) == len(new_rows[0]):
                body[-1] = [" ".join(p for p in (a.strip(), b.strip()) if p) for a, b in zip(body[-1], new_rows[0])]
                new_rows = new_rows[1:]
        body += new_rows
    if header is None:
        return None
    if headed == 1 and body and body[0][0] and not any(body[0][1:]):
        body = body[1:]  # one table: the line above it is the paper's title, not a theme
    return [header] + body


def _header_score(cells: list[str]) -> int:
    """Two points for each field a cell names exactly, one for a heading that only contains a name."""
    mapping = guess_mapping([c for c in cells if len(c) <= 60])
    return sum(2 if re.sub(r"\s+", " ", column.strip().lower()) in SYNONYMS[name] else 1
               for name, column in mapping.items())


def frame_from_rows(rows: list[list[str]], header_index: int = 0) -> pd.DataFrame:
    if not rows or not any(c.strip() for c in rows[header_index]):
        raise SpreadsheetRefused("The sheet is empty: it needs a row of column headings and a row per action "
                                 "or measure")
    width = max(len(r) for r in rows)
    header: list[str] = []
    for i, h in enumerate(rows[header_index] + [""] * (width - len(rows[header_index]))):
        name = re.sub(r"\s+", " ", h or "").strip() or f"Column {i + 1}"
        # Two columns with one heading (often a heading merged across both) stay apart.
        base, n = name, 2
        while name in header:
            name, n = f"{base} ({n})", n + 1
        header.append(name)
    body = [r + [""] * (width - len(r)) for r in rows[header_index + 1:]]
    frame = pd.DataFrame(body, columns=header, dtype=str).fillna("")
    # Spreadsheet row numbers, so every problem names the row the user sees.
    frame.index = range(header_index + 2, header_index + 2 + len(body))
    frame.attrs["header_row"] = header_index + 1
    return frame


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """field -> column, from header names; each column used once, exact names before partial ones."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    plain = {h: re.sub(r"\s+", " ", h.strip().lower()) for h in headers}
    for exact in (True, False):
        for name, words in SYNONYMS.items():
            if name in mapping:
                continue
            for word in words:
                match = next((h for h in headers if h not in used and (
                    plain[h] == word if exact else (len(word) > 3 and word in plain[h]))), None)
                if match:
                    mapping[name] = match
                    used.add(match)
                    break
    return mapping


def split_numbered(text: str) -> list[tuple[int, str]]:
    """'1) a 2) b' -> [(1, 'a'), (2, 'b')]; also '(1) a (2) b', '1. a' and bulleted lines; text with
    no numbers is one item numbered 1."""
    text = (text or "").strip()
    if not text:
        return []
    for pattern in (NUMBERED, BRACKETED, DOTTED):
        parts = pattern.split(text)
        if len(parts) >= 3 and not parts[0].strip():
            return [(int(parts[i]), re.sub(r"\s+", " ", parts[i + 1]).strip()) for i in range(1, len(parts), 2)]
    parts = BULLET.split(text)
    if len(parts) >= 3 and not parts[0].strip():
        return [(n, re.sub(r"\s+", " ", part).strip()) for n, part in enumerate(parts[1:], start=1)]
    return [(1, re.sub(r"\s+", " ", text))]


def parse_date(value: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    value = value[:10] if re.match(r"\d{4}-\d{2}-\d{2}", value) else value
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y", "%B %Y", "%b %Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def convert(frame: pd.DataFrame, mapping: dict[str, str], *, existing: dict | None, review_code: str,
            authority: str, status_map: dict[str, str] | None = None) -> Conversion:
    """Rows -> plan data for apply_plan. ``existing`` is the review's current data (or None for a new review)."""
    status_map = {k.strip().lower(): v for k, v in (status_map or {}).items() if v}
    problems: list[RowProblem] = []
    unknown: dict[str, list[int]] = {}
    missing = [FIELDS[f] for f in REQUIRED if not mapping.get(f)]
    if missing:
        return Conversion(None, [RowProblem(None, f"Choose the column for: {', '.join(missing)}")])
    for name, column in mapping.items():
        if column and column not in frame.columns:
            return Conversion(None, [RowProblem(None, f"There is no column {column!r} in the file")])

    def cell(row, name):
        column = mapping.get(name)
        return str(row[column]).strip() if column else ""

    themes = {t["code"]: t for t in (existing or {}).get("themes", [])}
    by_name = {t["name"].lower(): code for code, t in themes.items()}
    new_themes: dict[str, dict] = {}
    actions: dict[str, dict] = {}
    order: list[str] = []
    heading_theme = None
    held_outputs = {a["ref"]: {m["number"]: m["measured_output"] for m in a.get("measures", [])}
                    for a in (existing or {}).get("actions", [])}
    for row_number, row in frame.iterrows():
        if not any(str(v).strip() for v in row.values):
            continue
        heading = _section_heading(row)
        if heading is not None:
            # A row holding only a heading ("Access to services", often merged across the table)
            # names the theme of the rows under it that do not give their own.
            heading_theme = heading
            if _theme_code(heading, themes, by_name, new_themes, existing is None) is None:
                problems.append(RowProblem(row_number, f"Heading {heading!r} is not one of this review's themes "
                                                       f"({', '.join(t['name'] for t in themes.values())}); "
                                                       "correct it, or give each row its theme"))
                heading_theme = None
            continue
        ref = cell(row, "ref")
        if not ref:
            problems.append(RowProblem(row_number, "No ref id; every row needs the ref id of its action"))
            continue
        theme_text = cell(row, "theme") or heading_theme or ""
        theme_code = _theme_code(theme_text, themes, by_name, new_themes, existing is None)
        if theme_text and theme_code is None:
            problems.append(RowProblem(row_number, f"Theme {theme_text!r} is not one of this review's themes "
                                                   f"({', '.join(t['name'] for t in themes.values())}); "
                                                   "correct it or add the theme first"))
            continue
        action = actions.get(ref)
        if action is None:
            action = actions[ref] = {"ref": ref, "title": cell(row, "title"), "theme": theme_code,
                                     "subtheme": cell(row, "subtheme") or None, "measures": [], "_row": row_number}
            order.append(ref)
            if not action["title"]:
                problems.append(RowProblem(row_number, f"{ref}: no title"))
        for name in ("owner", "comment"):
            if cell(row, name):
                action[name] = cell(row, name) if name == "comment" else {
                    "name": cell(row, "owner"), "business_unit": cell(row, "business_unit")}
        if cell(row, "target_date"):
            try:
                action["target_date"] = parse_date(cell(row, "target_date")).isoformat()
            except ValueError:
                problems.append(RowProblem(row_number, f"{cell(row, 'target_date')!r} is not a date; "
                                                       "write it as YYYY-MM-DD or DD/MM/YYYY"))
        if cell(row, "recommendation"):
            numbers = re.findall(r"\d+", cell(row, "recommendation"))
            action.setdefault("recommendations", [])
            action["recommendations"] += [int(n) for n in numbers if int(n) not in action["recommendations"]]
        _add_measures(action, row_number, cell(row, "measure_number"), cell(row, "measure"),
                      cell(row, "measured_output"), cell(row, "status"), status_map, unknown, problems,
                      bool(mapping.get("measured_output")), held_outputs.get(ref, {}))
    for word, rows in unknown.items():
        problems.append(RowProblem(rows[0], f"Status {word!r} (rows {', '.join(map(str, rows))}) maps to no "
                                            "category; choose one for it"))
    pattern = (existing or {}).get("review", {}).get("ref_pattern") or infer_pattern(order)
    if existing is None:
        pattern = _align_theme_codes(pattern, order, actions, new_themes)
    all_themes = list((existing or {}).get("themes", [])) + list(new_themes.values())
    if not all_themes:
        all_themes = [{"code": "GEN", "name": "General", "subthemes": []}]
    for ref in order:
        action = actions[ref]
        if action["theme"] is None:
            # Without a theme the action is put under the only theme there is, never a guessed one.
            from_ref = theme_in_ref(ref, pattern)
            if from_ref and from_ref in {t["code"] for t in all_themes}:
                action["theme"] = from_ref
            elif len(all_themes) == 1:
                action["theme"] = all_themes[0]["code"]
            else:
                problems.append(RowProblem(action["_row"], f"{ref}: no theme; give the central issue "
                                                           f"({', '.join(t['name'] for t in all_themes)})"))
                continue
        subthemes = {str(st["code"]) for t in all_themes if t["code"] == action["theme"] for st in t.get("subthemes", [])}
        if action["subtheme"] and action["subtheme"] not in subthemes:
            names = {st["name"].lower(): str(st["code"]) for t in all_themes if t["code"] == action["theme"]
                     for st in t.get("subthemes", [])}
            if action["subtheme"].lower() in names:
                action["subtheme"] = names[action["subtheme"].lower()]
            else:
                problems.append(RowProblem(action["_row"], f"{ref}: sub-theme {action['subtheme']!r} is not one "
                                                           f"of theme {action['theme']}'s sub-themes"))
        check = check_ref(ref, pattern, action["theme"])
        if not check.ok:
            problems.append(RowProblem(action["_row"], f"{check.message}; correct the ref id"))
    data = dict(existing) if existing else {
        "authority": authority, "review": {"code": review_code, "title": f"Review {review_code}",
                                           "ref_pattern": pattern}, "projects": [], "recommendations": []}
    data["themes"] = all_themes
    recs = {r["number"] for r in data.get("recommendations", [])}
    for ref in order:
        wanted = actions[ref].get("recommendations", [])
        unknown_recs = [n for n in wanted if n not in recs]
        if unknown_recs:
            problems.append(RowProblem(actions[ref]["_row"], f"{ref}: recommendation "
                                                             f"{', '.join(map(str, unknown_recs))} is not in this review"))
    for ref in order:
        actions[ref].pop("_row", None)
    data["actions"] = [actions[ref] for ref in order]
    return Conversion(data if not problems else None, problems, unknown)


def _align_theme_codes(pattern: str, order: list[str], actions: dict, new_themes: dict) -> str:
    """A new review whose ref ids carry a letter code ("A1", "ACC01") that varies with the theme
    column: the codes in the ref ids become the themes' codes ("Access" is A), so the ids check
    against their themes. Codes that do not line up one to one with the themes are only letters."""
    if "{theme}" not in pattern:
        return pattern
    pairs = {(theme_in_ref(ref, pattern), actions[ref]["theme"]) for ref in order if actions[ref]["theme"]}
    in_ref = {}
    for ref_code, theme in pairs:
        in_ref.setdefault(theme, set()).add(ref_code)
    one_to_one = all(len(codes) == 1 for codes in in_ref.values()) and \
        len({c for codes in in_ref.values() for c in codes}) == len(in_ref)
    if not pairs or not one_to_one:
        return pattern.replace("{theme}", "[A-Za-z]+")
    renamed = {theme: codes.pop() for theme, codes in in_ref.items()}
    for theme, code in renamed.items():
        new_themes[theme]["code"] = code
    rebuilt = {t["code"]: t for t in new_themes.values()}
    new_themes.clear()
    new_themes.update(rebuilt)
    for ref in order:
        actions[ref]["theme"] = renamed.get(actions[ref]["theme"], actions[ref]["theme"])
    return pattern


REF_LIKE = re.compile(r"(?=.*\d)[A-Za-z0-9][A-Za-z0-9 ./\-]{0,19}")


def _section_heading(row: pd.Series) -> str | None:
    """The heading text when the row's first cell holds a heading and no other cell says anything else."""
    values = [str(v).strip() for v in row.values]
    first = values[0] if values else ""
    if not first or any(v and v != first for v in values) or REF_LIKE.fullmatch(first):
        return None
    return re.sub(r"\s+", " ", first).rstrip(":").strip() or None


def _theme_code(text, themes, by_name, new_themes, is_new_review):
    if not text:
        return None
    if text in themes:
        return text
    if text.lower() in by_name:
        return by_name[text.lower()]
    if not is_new_review:
        return None
    code = re.sub(r"[^A-Z]", "", text.upper())[:4] or "GEN"
    for existing_code, theme in new_themes.items():
        if theme["name"].lower() == text.lower():
            return existing_code
    base, n = code, 2
    while code in new_themes:
        code, n = f"{base}{n}", n + 1
    new_themes[code] = {"code": code, "name": text, "subthemes": []}
    return code


def _add_measures(action, row_number, number_text, measure_text, output_text, status_text, status_map,
                  unknown, problems, output_mapped, held):
    measures = split_numbered(measure_text)
    outputs = dict(split_numbered(output_text))
    if number_text:
        if not number_text.isdigit() or int(number_text) < 1:
            problems.append(RowProblem(row_number, f"Measure number {number_text!r} is not a whole number from 1"))
            return
        measures = [(int(number_text), re.sub(r"\s+", " ", measure_text))] if measure_text else []
        outputs = {int(number_text): re.sub(r"\s+", " ", output_text)} if output_text else {}
    elif len(measures) == 1 and len(outputs) <= 1:
        # One measure on the row: its own number on the action's first row, else the next one in
        # file order (one row per measure without a number column); its output is the row's.
        n = action["measures"][-1]["number"] + 1 if action["measures"] else measures[0][0]
        measures, outputs = [(n, measures[0][1])], {n: o for o in outputs.values()}
    if output_mapped and not output_text.strip():
        # A blank progress cell says nothing has been written yet: the measure has not started, or
        # (for a measure already held) keeps the output it has. Without a progress column at all,
        # each measure is asked for one below, so a missed column is never read as "no progress".
        outputs = {n: None for n, _ in measures}
        blank = True
    else:
        blank = False
    if not measures:
        problems.append(RowProblem(row_number, f"{action['ref']}: no measure text"))
        return
    for number in set(outputs) - {n for n, _ in measures}:
        problems.append(RowProblem(row_number, f"{action['ref']}: output {number} has no measure {number}"))
    category = None
    if status_text:
        category = status_map.get(status_text.lower()) or status_rules.parse_category(status_text)
        if category is None:
            unknown.setdefault(status_text, []).append(row_number)
    for number, text in measures:
        if any(m["number"] == number for m in action["measures"]):
            problems.append(RowProblem(row_number, f"{action['ref']}: measure {number} appears twice"))
            continue
        output = outputs.get(number)
        if blank:
            output = held.get(number, "")
        elif output is None:
            problems.append(RowProblem(row_number, f"{action['ref']}: measure {number} has no measured output; "
                                                   "give one (it may be 'To start')"))
            continue
        measure = {"number": number, "text": text, "measured_output": output}
        if category:
            measure["status"] = category
        action["measures"].append(measure)
