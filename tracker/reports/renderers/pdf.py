"""PDF through WeasyPrint, from the same HTML as the download, with report.css as its stylesheet."""
from __future__ import annotations

from functools import lru_cache

from weasyprint import CSS, HTML

from .html import CSS as CSS_PATH
from .html import footer_css, render_html


@lru_cache(maxsize=1)
def _stylesheet() -> CSS:
    # Parsed once per process: the same file serves every report.
    return CSS(filename=str(CSS_PATH))


def render_pdf(report: dict) -> bytes:
    html = HTML(string=render_html(report, inline_css=False), base_url=str(CSS_PATH.parent))
    return html.write_pdf(stylesheets=[_stylesheet(), CSS(string=footer_css(report))])
