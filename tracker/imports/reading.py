"""An upload read once, within limits, into plain data that is kept instead of the file.

``read_upload`` runs in a bounded child process (bounded.py) after the checks in limits.py, and
returns JSON-ready data: a tracker's cells from a sheet or a Word or PDF table, before the heading
row is chosen ("table", grid.py), a whole plan from an exported workbook ("plan"), or a parsed
committee paper ("paper"). ``plan_read`` turns that data into the preview
with the database as it is now; the preview and the confirm read the kept data and never parse
the file again. A file refused as a whole raises UploadRefused with a message for the officer.
"""
from __future__ import annotations

import copy
from dataclasses import asdict

from sqlalchemy import select

from .bounded import run_bounded
from .grid import Grid, GridRefused
from .limits import Limits, UploadRefused, check_pattern, check_pdf_pages, check_size, check_zip
from .spreadsheet import RowProblem, SpreadsheetRefused

NOT_A_PAPER = "The file cannot be read as a committee paper; save it again from Word and upload that"


def review_pattern(review_code: str) -> str | None:
    """The review's ref pattern, looked up before the child starts: the child has no database."""
    from ..extensions import db
    from ..models import Review

    code = (review_code or "").strip()
    return db.session.scalar(select(Review.ref_pattern).where(Review.code == code)) if code else None


def read_upload_bounded(content: bytes, filename: str, review_code: str, limits: Limits | None = None) -> dict:
    limits = limits or Limits.current()
    check_size(content, limits)
    return run_bounded(read_upload, content, filename, review_code, review_pattern(review_code), limits,
                       limits=limits)


def read_upload(content: bytes, filename: str, review_code: str, ref_pattern: str | None, limits: Limits) -> dict:
    """The file's content as plain data. Runs in the child: no database, only the file."""
    name = filename.lower()
    check_size(content, limits)
    try:
        if name.endswith((".xlsx", ".docx")):
            check_zip(content, limits, sheets=name.endswith(".xlsx"))
        if name.endswith(".xlsx"):
            return _read_workbook(content, filename)
        if name.endswith(".docx"):
            return _read_docx(content, review_code, ref_pattern)
        if name.endswith(".pdf"):
            return _read_pdf(content, review_code, ref_pattern, limits)
        if name.endswith(".txt"):
            from .paper import read_text
            return _paper(read_text(content, filename), ref_pattern, cells=False)
        from .spreadsheet import read_grid
        return _table(read_grid(content, filename))
    except (SpreadsheetRefused, GridRefused) as exc:
        raise UploadRefused(str(exc), 400) from exc


def _read_workbook(content: bytes, filename: str) -> dict:
    from ..exports.plan_xlsx import is_export_workbook, read_export_workbook
    from .spreadsheet import read_grid

    if is_export_workbook(content):
        try:
            data = read_export_workbook(content)
        except (KeyError, ValueError, TypeError) as exc:
            raise UploadRefused(f"The exported workbook was changed in a way that cannot be read back: {exc}",
                                400) from exc
        check_pattern(data.get("review", {}).get("ref_pattern"))
        return {"kind": "plan", "data": data}
    return _table(read_grid(content, filename))


def _read_docx(content: bytes, review_code: str, ref_pattern: str | None) -> dict:
    from .paper import docx_text
    from .tables import choose_table, docx_tables

    if (review_code or "").strip():
        try:
            chosen = choose_table(docx_tables(content), "word")
        except Exception:  # noqa: BLE001 - a damaged file: the paper reader below says so
            chosen = None
        if chosen:
            grid, note = chosen
            return _table(grid, [note])
    try:
        text = docx_text(content)
    except Exception as exc:  # python-docx raises several kinds for a damaged file
        raise UploadRefused(f"{NOT_A_PAPER} ({exc})", 400) from exc
    return _paper(text, ref_pattern, cells=True)


def _read_pdf(content: bytes, review_code: str, ref_pattern: str | None, limits: Limits) -> dict:
    from .pdf import PdfUnreadable, pdf_lines, read_pdf
    from .tables import choose_table, pdf_tables

    check_pdf_pages(content, limits)
    try:
        flow, pages = read_pdf(content)
    except PdfUnreadable as exc:
        raise UploadRefused(str(exc), 400) from exc
    if not any(kind == "table" or payload for kind, payload, _ in flow):
        raise UploadRefused("No text could be read from the PDF: it may be a scanned image. Ask for the Word "
                            "version, or a PDF saved from Word", 400)
    chosen = choose_table(pdf_tables(flow), "pdf") if (review_code or "").strip() else None
    if chosen:
        grid, note = chosen
        return _table(grid, [note])
    note = (f"Read the text of the {pages}-page PDF, table cells in order; lines repeated on most pages "
            "(running headers and footers) were left out. Check the preview against the paper.")
    lines = pdf_lines(flow)
    # Cell text ends at its cell; a PDF of plain text has only page-wrapped lines to join.
    parsed = _paper("\n".join(line for line, _ in lines), ref_pattern,
                    cells=any(kind == "table" for kind, _, _ in flow), notes=[note])
    parsed["pages"] = [page for _, page in lines]  # a problem's line, as the page the person can find
    return parsed


def _table(grid, notes: list[str] | None = None) -> dict:
    return {"kind": "table", "grid": grid.to_json(), "notes": list(notes or [])}


def _paper(text: str, ref_pattern: str | None, *, cells: bool, notes: list[str] | None = None) -> dict:
    from .paper_text import parse_committee_paper

    paper = parse_committee_paper(text, ref_pattern, cells=cells)
    return {"kind": "paper", "paper": asdict(paper), "notes": list(notes or [])}


def _paper_from(data: dict):
    from .paper_text import (
        ParsedAction,
        ParsedMeasure,
        ParsedPaper,
        ParsedRecommendation,
        ParsedVariation,
        ParseProblem,
    )

    return ParsedPaper(
        recommendations=[ParsedRecommendation(**{**r, "variations": [ParsedVariation(**v) for v in r["variations"]]})
                         for r in data["recommendations"]],
        actions=[ParsedAction(**{**a, "measures": [ParsedMeasure(**m) for m in a["measures"]]})
                 for a in data["actions"]],
        problems=[ParseProblem(**p) for p in data["problems"]])


def plan_read(parsed: dict, review_code: str, mapping=None, status_map=None, header_row: int | None = None,
              overrides=None):
    """The preview of kept data against the plan as it is now (no file is read here).

    ``mapping``: the whole column mapping (None: guessed); ``overrides``: the person's column
    choices (field -> column, "" for none), laid over the guess one at a time;
    ``header_row``: the row holding the headings, as the file numbers it (guessed when None)."""
    from .operations import ImportPlan, plan_data_import, plan_grid
    from .paper import plan_parsed_paper

    review_code = (review_code or "").strip()
    if parsed["kind"] == "plan":
        return plan_data_import(copy.deepcopy(parsed["data"]), review_code)
    if not review_code:
        return ImportPlan([], {}, None, None, [RowProblem(None, "Enter the code of the review to import into")])
    if parsed["kind"] == "table":
        return plan_grid(Grid.from_json(parsed["grid"]), review_code, mapping, status_map, notes=parsed["notes"],
                         header_row=header_row, overrides=overrides)
    plan = plan_parsed_paper(_paper_from(parsed["paper"]), review_code, parsed["notes"])
    pages = parsed.get("pages")
    if pages:
        plan.problems = [RowProblem(p.row, p.message, _page_of(p.row, pages)) for p in plan.problems]
    return plan


def _page_of(line: int | None, pages: list[int]) -> str | None:
    if not line or line > len(pages):
        return None
    return f"page {pages[line - 1]}"
