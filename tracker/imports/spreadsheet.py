"""Spreadsheet import (XLSX and CSV): read safely into the cells of a tracker (grid.py).

Councils keep trackers in many shapes: one row per measure, one row per action with "1) ... 2) ..."
numbered measures in one cell, or one row per action or recommendation with its progress. Reading
is here; which row holds the headings is grid.py's, which column holds what is columns.py's, and
turning rows into plan data is convert.py's (all shared with Word and PDF tables, tables.py).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import zipfile
from typing import TYPE_CHECKING

from ..exports.cells import csv_import_rows, first_formula
from ..refused import Refused
from . import limits
from .columns import FIELDS, SYNONYMS, guess_mapping  # noqa: F401 - the names other modules import from here
from .convert import Conversion, RowProblem, convert, split_numbered  # noqa: F401
from .grid import HEADER_SEARCH_ROWS, Grid, GridRefused, frame_at, frame_from_rows, locate_header  # noqa: F401
from .limits import Limits

if TYPE_CHECKING:  # pandas is loaded only when a table is read: app start-up stays light
    import pandas as pd

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000
REQUIRED = ("ref", "title")


class SpreadsheetRefused(Refused):
    """The file as a whole cannot be read: too big, wrong type, formulas or macros."""


def read_table(content: bytes, filename: str, header_row: int | None = None) -> pd.DataFrame:
    """The sheet as text cells, with its headings on ``header_row`` (as the sheet numbers its rows;
    guessed when None). Refuses what could hide data or run code."""
    grid = read_grid(content, filename)
    try:
        return frame_at(grid, None if header_row is None else header_row - 1)
    except GridRefused as exc:
        raise SpreadsheetRefused(str(exc)) from exc


def read_grid(content: bytes, filename: str) -> Grid:
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


def _read_xlsx(content: bytes) -> Grid:
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
                 for v in row] for row in sheet.iter_rows(min_row=1, min_col=1, values_only=True)]
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
    return Grid(rows=rows, header=header_index, sheet=title if len(sheets) > 1 else None)


def _read_csv(content: bytes) -> Grid:
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
    return Grid(rows=texts, header=header_index)


