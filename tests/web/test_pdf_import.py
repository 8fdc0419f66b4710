"""Committee papers and trackers that arrive as PDF: tables and text read back word for word."""
from __future__ import annotations

import html

import pytest
from sqlalchemy import select
from weasyprint import HTML

from tests.conftest import SHARED_SEEDS
from tests.web.papers import assert_same_as_seeded, import_into_empty_review, seeded_plan
from tracker.extensions import db
from tracker.imports.operations import apply_import, plan_file
from tracker.models import Action, Measure, Review

SOURCE = SHARED_SEEDS / "004_3f0832b40f0a09ed.txt"


def test_the_seeds_own_appendix_pdfs_import_back_to_the_seeded_plan(app, empty_app, tmp_path):
    runner = app.test_cli_runner()
    for part in ("appendix-a", "appendix-b"):
        result = runner.invoke(args=["report", part, "--review", "CC", "--format", "pdf",
                                     "--output", str(tmp_path / f"{part}.pdf")])
        assert result.exit_code == 0, result.output
    # The plan, then the recommendations into it.
    imported, plans = import_into_empty_review(empty_app, [((tmp_path / f"{part}.pdf").read_bytes(), f"{part}.pdf")
                                                           for part in ("appendix-b", "appendix-a")])
    assert all(plan.notes[0].startswith("Read the text of the") for plan in plans)
    assert_same_as_seeded(imported, seeded_plan(app))


@pytest.mark.skipif(not SOURCE.exists(), reason="shared/seeds is not beside the repository")
def test_a_paper_printed_as_plain_text_pdf_imports_like_its_text(app, empty_app):
    """No tables: page-wrapped lines, and status words such as "1) To start" on every page,
    which must not be taken for running footers."""
    source = SOURCE.read_text(encoding="utf-8")
    content = _pdf(f"<pre style='white-space: pre-wrap; font: 9pt sans-serif'>{html.escape(source)}</pre>")
    imported, _ = import_into_empty_review(empty_app, [(content, "paper.pdf")])
    assert_same_as_seeded(imported, seeded_plan(app))


def _pdf(html: str) -> bytes:
    style = "<style>@page { size: A4; margin: 2cm } table { border-collapse: collapse; width: 100% } " \
            "td, th { border: 1px solid black; padding: 4px; vertical-align: top }</style>"
    return HTML(string=style + html).write_pdf()


def test_a_tracker_table_in_a_pdf_is_read_like_a_sheet(app):
    rows = "".join(f"<tr><td>AP{n}</td><td>Action {n}</td><td>1) Survey users 2) Report the results</td>"
                   f"<td>1) Complete 2) To start</td></tr>" for n in range(1, 40))
    content = _pdf("<h1>Access Strategy: progress</h1><h2>Access to services</h2>"
                   "<table><thead><tr><th>Ref</th><th>Action</th><th>Measures</th><th>Progress</th></tr></thead>"
                   f"<tbody>{rows}</tbody></table>"
                   "<h2>Digital by choice</h2><table><thead><tr><th>Ref</th><th>Action</th><th>Measures</th>"
                   "<th>Progress</th></tr></thead><tbody><tr><td>AP40</td><td>Web chat</td><td>Pilot web chat</td>"
                   "<td>Outcome of CCC Project</td></tr></tbody></table>")
    with app.app_context():
        plan = plan_file(content, "tracker.pdf", "AP")
        assert plan.ok, plan.problems
        assert plan.notes[0].startswith("Read the table on page 1 of the PDF, and the 3 tables after it with the "
                                        "same columns (a table carried over pages), as the tracker (headings: Ref, "
                                        "Action, Measures, Progress)")
        apply_import(plan)
        review = db.session.scalar(select(Review).where(Review.code == "AP"))
        assert [t.name for t in review.themes] == ["Access to services", "Digital by choice"]
        refs = db.session.scalars(select(Action.ref).where(Action.review_id == review.id)
                                  .order_by(Action.position)).all()
        assert refs == [f"AP{n}" for n in range(1, 41)]  # the table ran over a page: nothing lost
        m = db.session.scalar(select(Measure).join(Action).where(Action.ref == "AP39", Measure.number == 2))
        assert (m.text, m.measured_output, m.status) == ("Report the results", "To start", "not_started")


def test_pdfs_that_cannot_be_read_say_why(app):
    with app.app_context():
        broken = plan_file(b"%PDF-1.4 this is not really a pdf", "broken.pdf", "CC")
        scanned = plan_file(_pdf("<div style='width: 5cm; height: 5cm; background: #888'></div>"), "scan.pdf", "CC")
    assert not broken.ok and "The file is not a readable PDF: it may be damaged" in str(broken.problems[0])
    assert not scanned.ok and "No text could be read from the PDF" in str(scanned.problems[0])


def test_a_problem_in_a_pdf_paper_names_its_page(app):
    """A paper read as text (no tracker table): the line number of extracted text means nothing to
    the person, the page does."""
    first = "<p>APPENDIX B</p><p>Environment</p>" + "<p>Background text.</p>" * 10
    second = "<p>CC-90-ENV-90</p><p>New signage</p><p>1) Road signs</p><p>2) Finger posts</p><p>1) Complete</p>"
    content = _pdf(f"<div style='page-break-after: always'>{first}</div>{second}")
    with app.app_context():
        plan = plan_file(content, "paper.pdf", "CC")
    assert [str(p).split(";")[0] for p in plan.problems] == ["page 2: CC-90-ENV-90: measure 2 has no measured output"]
