"""Files as councils publish their trackers, built for tests: workbooks with merged headings, Word
tables with merged section rows, PDFs printed from HTML, CSVs and pasted text."""
from __future__ import annotations

import csv
import html
import io

from docx import Document
from openpyxl import Workbook

Row = list[str]


def xlsx(rows: list[Row], merges: list[str] = (), title: str | None = None) -> bytes:
    """A workbook of one sheet; ``merges`` are ranges as Excel writes them ("A1:C1"), the value in
    their first cell (a grouped heading over sub-headings, a section heading across the table)."""
    book = Workbook()
    sheet = book.active
    if title:
        sheet.title = title
    for row in rows:
        sheet.append(row)
    for merged in merges:
        sheet.merge_cells(merged)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[Row]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def docx(rows: list[Row], before: list[str] = (), after: list[str] = ()) -> bytes:
    """A Word document: paragraphs, then the table (a row of one value is a heading merged across
    the table; a cell with line breaks keeps them as paragraphs), then paragraphs."""
    document = Document()
    for text in before:
        document.add_paragraph(text)
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for row, values in zip(table.rows, rows, strict=True):
        if len(values) == 1:
            merged = row.cells[0].merge(row.cells[-1])
            merged.text = values[0]
            continue
        for cell, value in zip(row.cells, values, strict=False):
            lines = str(value).split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    for text in after:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def html_pdf(markup: str) -> bytes:
    """``markup`` printed as a landscape A4 PDF with ruled table cells, as committee papers print."""
    from weasyprint import HTML

    style = ("<style>@page { size: A4 landscape; margin: 1.5cm } table { border-collapse: collapse; width: 100% } "
             "td, th { border: 1px solid black; padding: 4px; vertical-align: top; font: 9pt sans-serif }</style>")
    return HTML(string=style + markup).write_pdf()


def pdf(rows: list[Row], before: list[str] = (), header_rows: int = 1) -> bytes:
    """A landscape PDF of the table as a committee paper prints it (a row of one value spans it)."""
    width = max(len(r) for r in rows)

    def cells(row: Row, tag: str) -> str:
        if len(row) == 1:
            return f"<{tag} colspan='{width}'><strong>{html.escape(row[0])}</strong></{tag}>"
        return "".join(f"<{tag}>{html.escape(str(v)).replace(chr(10), '<br>')}</{tag}>" for v in row)

    head = "".join(f"<tr>{cells(r, 'th')}</tr>" for r in rows[:header_rows])
    body = "".join(f"<tr>{cells(r, 'td')}</tr>" for r in rows[header_rows:])
    paragraphs = "".join(f"<p>{html.escape(t)}</p>" for t in before)
    return html_pdf(f"{paragraphs}<table><thead>{head}</thead><tbody>{body}</tbody></table>")


def pasted(rows: list[Row]) -> bytes:
    """A table copied from Word or Excel and pasted as text: tabs between the cells."""
    return "\n".join("\t".join(str(c).replace("\n", " ") for c in row) for row in rows).encode("utf-8")
