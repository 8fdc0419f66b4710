"""CSV: the same rows as the Excel sheets. A part with several tables (the summary) becomes one
file with a "Table" column naming the table each row came from."""
from __future__ import annotations

from ...exports.cells import csv_frame
from ..builders import sheets_of


def render_csv(report: dict) -> bytes:
    import pandas as pd  # on use: pandas takes most of a second to import and pages never need it

    sheets = sheets_of(report)
    if not sheets:
        return b""
    # object dtype: a number column stays whole numbers when other tables leave it empty.
    frames = [pd.DataFrame(s["rows"], columns=s["columns"], dtype=object) for s in sheets]
    if len(frames) == 1:
        combined = frames[0]
    else:
        combined = pd.concat([f.assign(Table=s["name"]) for s, f in zip(sheets, frames)], ignore_index=True)
    # utf-8-sig: Excel opens a CSV with a byte-order mark as UTF-8 (curly quotes, dashes).
    # csv_frame: a text that would start a formula gets a leading apostrophe (OWASP CSV injection).
    # CRLF rows (RFC 4180): Python's csv module quotes a field holding a bare CR only when CR is
    # part of the line ending, and an unquoted CR would end the row in the reader's eyes.
    return csv_frame(combined).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
