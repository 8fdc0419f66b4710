"""Files a council would upload, built in the test: spreadsheets (xlsx, csv) from rows, and the small
trackers several import tests share."""
from __future__ import annotations

import csv
import io

from openpyxl import Workbook


def xlsx(rows: list[list]) -> bytes:
    """An Excel workbook with one sheet holding ``rows``."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list]) -> bytes:
    """``rows`` as a UTF-8 CSV file."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


# A tracker of review SC with one row per measure: two actions, three measures.
ONE_ROW_PER_MEASURE = [
    ["Ref", "Action title", "Service", "Measure no", "Measure", "Progress", "Status", "Lead officer", "Due date"],
    ["SC1", "Publish service standards", "Revenues", 1, "Draft the standards", "Complete", "Completed", "A. Jones", "2024-03-31"],
    ["SC1", "Publish service standards", "Revenues", 2, "Consult customers", "Survey out in May", "In progress", "A. Jones", "2024-03-31"],
    ["SC2", "Single phone number", "Contact Centre", 1, "Procure telephony", "Awaiting decision of Cabinet", "", "B. Khan", "30/09/2024"],
]
