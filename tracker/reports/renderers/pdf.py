"""PDF through WeasyPrint, from the same HTML as the download, with report.css as its stylesheet."""
from __future__ import annotations

from functools import lru_cache

from ...pdf_safety import html_to_pdf, stylesheet
from .html import CSS as CSS_PATH
from .html import footer_css, render_html


@lru_cache(maxsize=1)
def _stylesheet():
    # Parsed once per process: the same file serves every report.
    return stylesheet(filename=CSS_PATH)


def render_pdf(report: dict) -> bytes:
    # Through pdf_safety: only static files are fetched, whatever URL a report's text carries.
    return html_to_pdf(render_html(report, inline_css=False, paper=True), base_url=CSS_PATH.parent,
                       stylesheets=[_stylesheet(), stylesheet(string=footer_css(report))])
