"""The standalone, printable HTML of a report (also what WeasyPrint turns into the PDF)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app
from markupsafe import Markup

from ...charts import stacked_bars
from ...css_escape import css_string

CSS = Path(__file__).resolve().parents[3] / "static" / "css" / "report.css"


@lru_cache(maxsize=1)
def report_css() -> str:
    return CSS.read_text(encoding="utf-8")


def chart_svg(block: dict) -> Markup:
    return Markup(stacked_bars([(label, counts) for label, counts in block["rows"]], title=block["title"], width=680))


def footer_text(report: dict) -> str:
    meeting = report["meeting"].get("label") or "Draft, not yet published"
    return f"{report['review']['authority']} – {meeting} – {report['title']}"


def footer_css(report: dict) -> str:
    """The one per-report rule: the meeting and its date at the foot of every printed page."""
    return "@page { @bottom-left { content: " + css_string(footer_text(report)) + "; } }"


def render_html(report: dict, *, inline_css: bool = True, paper: bool = False) -> str:
    """``inline_css``: a downloaded file must print the same when opened from disk, so it carries its
    CSS; the PDF renderer passes the stylesheet files to WeasyPrint instead. ``paper``: the lean
    table markup WeasyPrint lays out (see _blocks.html), for the PDF only."""
    # Straight from the Jinja environment: no request is needed (the CLI renders reports too).
    template = current_app.jinja_env.get_template("reports/print.html")
    css = Markup(report_css() + "\n" + footer_css(report)) if inline_css else None
    return template.render(report=report, css=css, chart_svg=chart_svg, paper=paper)
