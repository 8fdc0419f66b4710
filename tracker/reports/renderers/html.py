"""The standalone, printable HTML of a report (also what WeasyPrint turns into the PDF)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app
from markupsafe import Markup

from ...charts import stacked_bars

CSS = Path(__file__).resolve().parents[3] / "static" / "css" / "report.css"


@lru_cache(maxsize=1)
def report_css() -> str:
    return CSS.read_text(encoding="utf-8")


def chart_svg(block: dict) -> Markup:
    return Markup(stacked_bars([(label, counts) for label, counts in block["rows"]], title=block["title"], width=680))


def render_html(report: dict) -> str:
    # The CSS is inlined so a downloaded file prints the same when opened from disk.
    # Straight from the Jinja environment: no request is needed (the CLI renders reports too).
    template = current_app.jinja_env.get_template("reports/print.html")
    return template.render(report=report, css=Markup(report_css()), chart_svg=chart_svg)
