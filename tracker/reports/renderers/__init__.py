"""Each format renders the same report data: html, pdf, docx, xlsx, csv."""
from __future__ import annotations

FORMATS = {
    "html": ("text/html; charset=utf-8", "html"),
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv; charset=utf-8", "csv"),
}


def render(report: dict, fmt: str) -> bytes:
    # Imported on use: WeasyPrint and python-docx take a while to load and most requests need neither.
    if fmt == "html":
        from .html import render_html
        return render_html(report).encode("utf-8")
    if fmt == "pdf":
        from .pdf import render_pdf
        return render_pdf(report)
    if fmt == "docx":
        from .docx import render_docx
        return render_docx(report)
    if fmt == "xlsx":
        from .xlsx import render_xlsx
        return render_xlsx(report)
    if fmt == "csv":
        from .csv import render_csv
        return render_csv(report)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
