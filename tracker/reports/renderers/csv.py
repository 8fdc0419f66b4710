"""CSV: the same rows as the Excel sheets. A part with several tables (the summary, the covering
report) becomes one file with the tables one under another, each introduced by a line naming it
and its own column headings, and a blank line after it, as a spreadsheet user would lay them out:
never side by side, where each table's rows would sit under the other tables' empty columns."""
from __future__ import annotations

import csv
import io

from ...exports.cells import csv_cell
from ..builders import sheets_of


def _cell(value):
    # None and pandas' gaps are empty; whole numbers stay whole (no "3.0").
    return "" if value is None or value != value else csv_cell(value)


def render_csv(report: dict) -> bytes:
    sheets = sheets_of(report)
    out = io.StringIO()
    # CRLF rows (RFC 4180): Python's csv module quotes a field holding a bare CR only when CR is
    # part of the line ending, and an unquoted CR would end the row in the reader's eyes.
    writer = csv.writer(out, lineterminator="\r\n")
    for n, sheet in enumerate(sheets):
        if len(sheets) > 1:
            if n:
                writer.writerow([])
            writer.writerow([csv_cell(sheet["name"])])
        # csv_cell: a text that would start a formula gets a leading apostrophe (OWASP CSV injection).
        writer.writerow([csv_cell(c) for c in sheet["columns"]])
        writer.writerows([[_cell(v) for v in row] for row in sheet["rows"]])
    # utf-8-sig: Excel opens a CSV with a byte-order mark as UTF-8 (curly quotes, dashes).
    return out.getvalue().encode("utf-8-sig")


def read_tables(text: str) -> dict[str, list[dict]]:
    """The tables of a CSV written by ``render_csv`` for several tables, by name: for tests and
    for anyone reading the file back."""
    tables, name, header = {}, None, None
    for row in csv.reader(io.StringIO(text)):
        if not row:
            name, header = None, None
        elif name is None:
            name = row[0]
            tables[name] = []
        elif header is None:
            header = row
        else:
            tables[name].append(dict(zip(header, row, strict=False)))
    return tables
