"""PDF through WeasyPrint, from the same HTML as the download."""
from __future__ import annotations

from weasyprint import HTML

from .html import render_html


def render_pdf(report: dict) -> bytes:
    return HTML(string=render_html(report), base_url=".").write_pdf()
