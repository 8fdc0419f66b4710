"""Spreadsheet cells that never become formulas (OWASP "CSV injection").

Plan texts are typed by many people (progress text, owner names, status commentary) and some of
them start with a character a spreadsheet reads as the start of a formula: ``=``, ``+``, ``-``,
``@``, and tab or carriage return, which Excel skips before looking for one. Every CSV and XLSX
this app writes goes through this module, so a text is only ever shown, never run:

* CSV has no cell types: a text whose first character (after any apostrophes) is one of those
  gets one leading apostrophe, the marker spreadsheets take for "this is text". Numbers and dates
  are left alone, so a real -5 stays a number. Import (``csv_import_text``) removes exactly that
  apostrophe again, which is why a text that itself begins ``'=`` is given one more: export then
  import gives back the text as it was.
* XLSX has cell types: every text is stored as a text cell (openpyxl makes a formula of any
  string starting ``=`` unless told otherwise), so a person reads the text exactly as written and
  the workbook holds no formula at all.

Import (tracker/imports/spreadsheet.py) treats ``=`` alike in both formats: a CSV field, an XLSX
text cell or an XLSX formula cell beginning with ``=`` is refused, naming its row and column, and
nothing is imported (``first_formula``). The CSV text form ``'=...`` is read as the text ``=...``.
Other leading characters (``+``, ``-``, ``@``) are everyday text there ("- done", "+44 ...").
A workbook exported from here (tracker/exports/plan_xlsx.py) is read by its cell types instead:
text cells exactly as written, any formula cell refused.
"""
from __future__ import annotations

import re

FORMULA_START = "=+-@\t\r"
_START = "[" + re.escape(FORMULA_START) + "]"
# A text whose first character after any apostrophes starts a formula: the apostrophes are part
# of the text, so one more marks it (and import takes exactly one off again).
_NEEDS_MARK = re.compile("'*" + _START)
_MARKED = re.compile("'(?='*" + _START + ")")


def csv_cell(value):
    """A value as a CSV field may safely hold it: texts that would start a formula get one
    leading apostrophe; everything that is not text (numbers, dates, None) is unchanged."""
    if isinstance(value, str) and _NEEDS_MARK.match(value):
        return "'" + value
    return value


def csv_frame(frame):
    """A pandas DataFrame (headings and cells) ready for ``to_csv``."""
    import pandas as pd

    # Built as object cells: DataFrame.map would let pandas re-infer each column, and a column of
    # whole numbers with gaps (tables of a summary side by side) would come out as 1.0, 2.0.
    return pd.DataFrame([[csv_cell(v) for v in row] for row in frame.itertuples(index=False)],
                        columns=[csv_cell(c) for c in frame.columns], dtype=object)


def csv_import_text(text: str) -> str:
    """The text a CSV field holds: without the one apostrophe ``csv_cell`` adds."""
    return text[1:] if isinstance(text, str) and _MARKED.match(text) else text


def text_cell(cell, value):
    """Assign ``value`` to an openpyxl cell; a text stays text, whatever it starts with."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def text_only(workbook) -> None:
    """Turn every formula openpyxl made from a text back into that text, in every sheet; call it
    just before saving a workbook built by pandas or by ``sheet.append``. The value is the text
    that was written, so what the reader sees is unchanged."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    if not isinstance(cell.value, str):  # an ArrayFormula or DataTableFormula object
                        raise ValueError(f"{sheet.title}!{cell.coordinate} holds a formula object; "
                                         "exports write values only")
                    cell.data_type = "s"


def formula_cells(workbook) -> list[str]:
    """'Sheet!A1' of each formula cell of a loaded workbook (none, in anything we write)."""
    return [f"{sheet.title}!{cell.coordinate}" for sheet in workbook.worksheets
            for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


def formula_refusal(value, *, is_formula: bool = False) -> str | None:
    """Why an imported cell is refused, or None. A formula is never imported: the file would hold
    what to calculate, not the value a person saw. In CSV a leading ``=`` is a formula (its text
    form is ``'=``); in XLSX the cell says whether it is one, and a text cell starting ``=`` is
    refused too so that the same characters mean the same thing in both formats."""
    if is_formula:
        return "holds a formula"
    if isinstance(value, str) and value.startswith("="):
        return "starts with = (a formula)"
    return None


def first_formula(rows: list[list[str]], header_index: int, *, formulas=frozenset(),
                  sheet: str | None = None, csv: bool = False) -> str | None:
    """The message refusing the first formula in a sheet's rows (as read, before ``csv_import_rows``),
    naming its row and column; None when there is none. ``formulas``: the (row, column), from 1,
    of each cell an XLSX file marks as a formula."""
    from openpyxl.utils import get_column_letter

    header = rows[header_index] if header_index < len(rows) else []
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            why = formula_refusal(value, is_formula=(r, c) in formulas)
            if why is None:
                continue
            heading = (header[c - 1] or "").strip() if c <= len(header) and r != header_index + 1 else ""
            where = f"Row {r}, column {get_column_letter(c)}" + (f" ({heading})" if heading else "") + \
                (f" of sheet {sheet!r}" if sheet else "")
            if csv:
                fix = "write the value itself, or start the cell with '= if the text really begins with ="
            elif (r, c) in formulas:
                fix = "paste the values only (Paste Special > Values)"
            else:
                fix = "reword it so that it does not begin with ="
            return f"{where} {why}: {str(value)[:40]}. A formula is never imported: {fix}, and upload again"
    return None


def csv_import_rows(rows: list[list[str]]) -> list[list[str]]:
    """A CSV's fields as the texts they stand for (see ``csv_import_text``)."""
    return [[csv_import_text(v) for v in row] for row in rows]
