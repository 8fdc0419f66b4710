"""An upload read once, within limits, into plain data that is kept instead of the file.

``read_upload`` runs in a bounded child process (bounded.py) after the checks in limits.py, and
returns JSON-ready data: a sheet's cells ("table"), a whole plan from an exported workbook
("plan"), or a parsed committee paper ("paper"). ``plan_read`` turns that data into the preview
with the database as it is now; the preview and the confirm read the kept data and never parse
the file again. A file refused as a whole raises UploadRefused with a message for the officer.
"""
from __future__ import annotations

import copy
from dataclasses import asdict

import pandas as pd
from sqlalchemy import select

from .bounded import run_bounded
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
        from .spreadsheet import read_table
        return _table(read_table(content, filename))
    except SpreadsheetRefused as exc:
        raise UploadRefused(str(exc), 400) from exc


def _read_workbook(content: bytes, filename: str) -> dict:
    from ..exports.plan_xlsx import is_export_workbook, read_export_workbook
    from .spreadsheet import read_table

    if is_export_workbook(content):
        try:
            data = read_export_workbook(content)
        except (KeyError, ValueError, TypeError) as exc:
            raise UploadRefused(f"The exported workbook was changed in a way that cannot be read back: {exc}",
                                400) from exc
        check_pattern(data.get("review", {}).get("ref_pattern"))
        return {"kind": "plan", "data": data}
    return _table(read_table(content, filename))


def _read_docx(content: bytes, review_code: str, ref_pattern: str | None) -> dict:
    from .paper import docx_text, docx_tracker_rows
    from .spreadsheet import frame_from_rows

    if (review_code or "").strip():
        try:
            rows = docx_tracker_rows(content)
        except Exception:  # a damaged file: the paper reader below says so
            rows = None
        if rows:
            note = ("Read the Word table with the headings " + ", ".join(h for h in rows[0] if h) +
                    ": row numbers count its rows from the heading row, across tables that repeat it.")
            return _table(frame_from_rows(rows), [note])
    try:
        text = docx_text(content)
    except Exception as exc:  # python-docx raises several kinds for a damaged file
        raise UploadRefused(f"{NOT_A_PAPER} ({exc})", 400) from exc
    return _paper(text, ref_pattern, cells=True)


def _read_pdf(content: bytes, review_code: str, ref_pattern: str | None, limits: Limits) -> dict:
    from .pdf import PdfUnreadable, pdf_text, pdf_tracker_rows, read_pdf
    from .spreadsheet import frame_from_rows

    check_pdf_pages(content, limits)
    try:
        flow, pages = read_pdf(content)
    except PdfUnreadable as exc:
        raise UploadRefused(str(exc), 400) from exc
    if not any(kind == "table" or payload for kind, payload in flow):
        raise UploadRefused("No text could be read from the PDF: it may be a scanned image. Ask for the Word "
                            "version, or a PDF saved from Word", 400)
    rows = pdf_tracker_rows(flow)
    if rows and (review_code or "").strip():
        note = ("Read the table in the PDF with the headings " + ", ".join(h for h in rows[0] if h) +
                ": row numbers count its rows from the heading row, across pages.")
        return _table(frame_from_rows(rows), [note])
    note = (f"Read the text of the {pages}-page PDF, table cells in order; lines repeated on most pages "
            "(running headers and footers) were left out. Check the preview against the paper.")
    # Cell text ends at its cell; a PDF of plain text has only page-wrapped lines to join.
    return _paper(pdf_text(flow), ref_pattern, cells=any(kind == "table" for kind, _ in flow), notes=[note])


def _table(frame: pd.DataFrame, notes: list[str] | None = None) -> dict:
    return {"kind": "table", "columns": [str(c) for c in frame.columns], "index": [int(i) for i in frame.index],
            "rows": frame.astype(str).values.tolist(), "attrs": dict(frame.attrs), "notes": list(notes or [])}


def _paper(text: str, ref_pattern: str | None, *, cells: bool, notes: list[str] | None = None) -> dict:
    from .paper_text import parse_committee_paper

    paper = parse_committee_paper(text, ref_pattern, cells=cells)
    return {"kind": "paper", "paper": asdict(paper), "notes": list(notes or [])}


def _frame_from(parsed: dict) -> pd.DataFrame:
    frame = pd.DataFrame(parsed["rows"], columns=parsed["columns"], dtype=str)
    frame.index = parsed["index"]
    frame.attrs.update(parsed["attrs"])
    return frame


def _paper_from(data: dict):
    from .paper_text import (ParsedAction, ParsedMeasure, ParsedPaper, ParsedRecommendation, ParsedVariation,
                             ParseProblem)

    return ParsedPaper(
        recommendations=[ParsedRecommendation(**{**r, "variations": [ParsedVariation(**v) for v in r["variations"]]})
                         for r in data["recommendations"]],
        actions=[ParsedAction(**{**a, "measures": [ParsedMeasure(**m) for m in a["measures"]]})
                 for a in data["actions"]],
        problems=[ParseProblem(**p) for p in data["problems"]])


def plan_read(parsed: dict, review_code: str, mapping=None, status_map=None):
    """The preview of kept data against the plan as it is now (no file is read here)."""
    from .operations import ImportPlan, plan_data_import, plan_frame
    from .paper import plan_parsed_paper

    review_code = (review_code or "").strip()
    if parsed["kind"] == "plan":
        return plan_data_import(copy.deepcopy(parsed["data"]), review_code)
    if not review_code:
        return ImportPlan([], {}, None, None, [RowProblem(None, "Enter the code of the review to import into")])
    if parsed["kind"] == "table":
        return plan_frame(_frame_from(parsed), review_code, mapping, status_map, notes=parsed["notes"])
    return plan_parsed_paper(_paper_from(parsed["paper"]), review_code, parsed["notes"])
