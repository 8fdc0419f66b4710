"""The PDF is laid out from lean table markup: WeasyPrint's time and memory go by the number of
elements and text runs, so on paper a cell is one run of text with a line per numbered item,
while the HTML download and the pages keep their lists (and the labels phones show)."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup

from tracker.reports import builders
from tracker.reports.renderers.html import render_html


def _appendix_b(app, *, paper: bool) -> BeautifulSoup:
    with app.app_context():
        report = builders.build("appendix-b", builders.load_review("CC"))
        return BeautifulSoup(render_html(report, inline_css=False, paper=paper), "html.parser")


def test_on_paper_a_row_is_its_cells_and_each_title_only(app):
    page = _appendix_b(app, paper=True)
    rows = page.select("table.report-paper tbody tr")
    assert len(rows) == 87
    for row in rows:
        inside = [tag.name for tag in row.find_all(True)]
        assert set(inside) <= {"th", "td", "p"} and len(inside) <= 6, inside
        assert not row.find(attrs={"data-label": True})
    first = rows[0].find_all("td")
    assert first[0].p["class"] == ["report-action-title"]
    assert first[0].p.get_text().startswith("External Location")  # the action's title, then its measures
    lines = "".join(t for t in first[0].contents if isinstance(t, str)).split("\n")
    assert len(lines) >= 1 and all(re.match(r"\d+\) \S", line) for line in lines), lines
    outputs = [row.find_all("td")[1].get_text() for row in rows]
    assert any(re.search(r"\n2\) \S", text) for text in outputs), "an action of several measures: a line each"


def test_the_download_keeps_its_lists_and_labels(app):
    page = _appendix_b(app, paper=False)
    assert not page.select("table.report-paper")
    assert page.select("table.report-table td[data-label] ol.report-numbered li span.report-n")
