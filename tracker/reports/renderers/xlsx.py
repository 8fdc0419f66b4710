"""Excel: a sheet per appendix (one row per measure, or per recommendation and variation) and one
per summary table, so the figures can be sorted and filtered without retyping."""
from __future__ import annotations

import io
from typing import TYPE_CHECKING

from ...exports.cells import text_only
from ..builders import sheets_of

if TYPE_CHECKING:
    import pandas as pd


def frames(report: dict) -> list[tuple[str, pd.DataFrame, list[str]]]:
    """(sheet name, rows, names of the columns holding ISO dates) for each sheet of a report."""
    import pandas as pd  # on use: pandas takes most of a second to import and pages never need it

    return [(sheet["name"], pd.DataFrame(sheet["rows"], columns=sheet["columns"]), sheet.get("dates") or [])
            for sheet in sheets_of(report)]


def _sheet_name(name: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique within the workbook.
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.casefold() in used:
        candidate = f"{base[:28]} {n}"
        n += 1
    used.add(candidate.casefold())
    return candidate


def render_xlsx(report: dict) -> bytes:
    return render_workbook([report])


def render_workbook(reports: list[dict]) -> bytes:
    """Several parts in one workbook: what a clerk wants to file with the agenda pack."""
    import pandas as pd

    out = io.BytesIO()
    used: set[str] = set()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        written = False
        for report in reports:
            for name, frame, dates in frames(report):
                for column in dates:
                    # ISO text in the data; real dates in Excel so they sort and filter as dates.
                    frame[column] = pd.to_datetime(frame[column], errors="coerce")
                name = _sheet_name(name, used)
                frame.to_excel(writer, sheet_name=name, index=False)
                _tidy(writer.sheets[name], dates, list(frame.columns))
                written = True
        if not written:
            pd.DataFrame().to_excel(writer, sheet_name="Report", index=False)
        text_only(writer.book)  # pandas writes a text starting "=" as a formula; keep it the text
    return out.getvalue()


def _tidy(sheet, dates: list[str], columns: list[str]) -> None:
    from openpyxl.styles import Alignment

    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(sheet.columns):
        width = max(len(str(c.value or "")) for c in column[:200])
        sheet.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60)
        if columns[index] in dates:
            for cell in column[1:]:
                cell.number_format = "d mmmm yyyy"  # no time of day
        elif width > 60:  # long text wraps in its cell instead of running across the sheet
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
