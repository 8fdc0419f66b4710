"""Files a council would upload, built in the test: spreadsheets (xlsx, csv) from rows, and the small
trackers several import tests share."""
from __future__ import annotations

import io

from docx import Document

from tests.files import csv_bytes, xlsx  # noqa: F401  (the tests' one file builder; imported from here too)

# A tracker of review SC with one row per measure: two actions, three measures.
ONE_ROW_PER_MEASURE = [
    ["Ref", "Action title", "Service", "Measure no", "Measure", "Progress", "Status", "Lead officer", "Due date"],
    ["SC1", "Publish service standards", "Revenues", 1, "Draft the standards", "Complete", "Completed", "A. Jones", "2024-03-31"],
    ["SC1", "Publish service standards", "Revenues", 2, "Consult customers", "Survey out in May", "In progress", "A. Jones", "2024-03-31"],
    ["SC2", "Single phone number", "Contact Centre", 1, "Procure telephony", "Awaiting decision of Cabinet", "", "B. Khan", "30/09/2024"],
]


# The council's own headings; the id column has none; theme headings merged across the table.
HOUSING_HEADINGS = ["", "Improvement action", "Responsible officer", "Timescale", "Progress update", "RAG"]
HOUSING = [
    ("Tenancy services",),
    ("HS1", "Introduce online tenancy sign-up", "A. Jones", "March 2026", "Online form live since January", "Green"),
    ("HS2", "Review the allocations policy", "B. Khan", "Ongoing", "Draft policy out for consultation", "Amber"),
    ("Repairs",),
    ("HS3", "Cut the time to fix urgent repairs", "C. Patel", "31/12/2025", "Complete – 95% fixed within 24 hours",
     "Complete"),
]


def housing_word() -> bytes:
    """The housing plan as a Word document: a RAG key table first, then the plan under its own headings."""
    document = Document()
    document.add_paragraph("Housing Services Improvement Plan: progress at 31 March 2025")
    key = document.add_table(rows=2, cols=2)  # a RAG key: a table, but not the tracker
    for row, values in zip(key.rows, [["Green", "On track"], ["Amber", "At risk"]], strict=False):
        for cell, value in zip(row.cells, values, strict=False):
            cell.text = value
    document.add_paragraph("Appendix 1: the plan")
    table = document.add_table(rows=len(HOUSING) + 1, cols=len(HOUSING_HEADINGS))
    for cell, value in zip(table.rows[0].cells, HOUSING_HEADINGS, strict=False):
        cell.text = value
    for row, values in zip(table.rows[1:], HOUSING, strict=False):
        if len(values) == 1:
            merged = row.cells[0].merge(row.cells[-1])  # a theme heading across the table
            merged.text = values[0]
            continue
        for cell, value in zip(row.cells, values, strict=False):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
