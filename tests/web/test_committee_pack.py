"""The committee pack: the covering report with Appendix A and Appendix B as one PDF and one Word
document, in the council's own Word template when it has one; Appendix A laid out as the source."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Action, CoveringSettings
from tracker.reports import builders
from tracker.reports.renderers import render
from tracker.reports.renderers.csv import read_tables

needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")

# The covering report's sections in the seed paper's order (../shared/seeds/004_*.txt), then its appendices.
SEED_SECTIONS = ["Summary", "Recommendations", "Contact Officer", "Background", "Next Steps", "Consultation",
                 "Recommendations", "Reasons for Recommendations", "Implications", "Staffing/Resources", "Financial",
                 "Legal", "Corporate", "Risk Management", "Equality Issues", "Environmental", "Crime and Disorder",
                 "Appendix A to report CS 01/03", "Key Recommendations", "Appendix B to report CS 01/03",
                 "Action Plan - Master List"]
VARIATIONS = ["i. Leisuretime", "ii. Housing", "iii. Carlisle Works", "iv. Tullie House", "v. Tourist Information",
              "vi. The Enterprise Centre", "vii. The Brampton Business", "viii. The out of hours",
              "ix. The possibility of running"]


def _report(manager, meeting_on: str = "2026-12-03") -> int:
    response = manager.post("/reports", token_from="/reports",
                            data={"committee": "Overview and Scrutiny Committee", "meeting_on": meeting_on})
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _with_reference(manager, report_id: int, reference: str = "CS 01/03") -> None:
    form = manager.page(f"/reports/{report_id}/covering").form(f"/reports/{report_id}/covering")
    response = manager.http.post(f"/reports/{report_id}/covering", data={
        **form, "reference": reference, "contact_officer": "John Nutley", "extension": "x7250"})
    assert response.status_code == 303


def _pdf_pages(content: bytes, tmp_path) -> list[str]:
    path = tmp_path / "pack.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def _in_order(text: str, pieces: list[str]) -> None:
    position = 0
    for piece in pieces:
        found = text.find(piece, position)
        assert found >= 0, f"{piece!r} missing or out of order"
        position = found + len(piece)


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


@needs_pdftotext
def test_the_seed_pack_pdf_has_every_section_in_order_numbered_pages_and_both_appendices(app, client_for, tmp_path):
    manager = client_for("manager")
    report_id = _report(manager)
    _with_reference(manager, report_id)
    response = manager.get(f"/reports/{report_id}/pack.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "pack-2026-12-03-draft.pdf" in response.headers["Content-Disposition"]
    pages = _pdf_pages(response.data, tmp_path)
    lines = [line for page in pages for line in _lines(page)]
    headings = [line for line in lines if line in SEED_SECTIONS or line.split(" – ")[0] in SEED_SECTIONS]
    _in_order("\n".join(headings), SEED_SECTIONS)
    # Page numbers run through the whole pack: "Page n of N" on every page, n = 1 ... N.
    numbers = [re.search(r"Page (\d+) of (\d+)", page).groups() for page in pages]
    assert numbers == [(str(n), str(len(pages))) for n in range(1, len(pages) + 1)]
    text = "\n".join(lines)
    assert text.count("CC-01-ENV-01") >= 1 and "CC-87-ORG-32" in text  # Appendix B, to its last action
    assert "Status: Complete. A separate customer service unit has been created" in text  # Appendix A
    # Each appendix starts on a page of its own.
    first_lines = [_lines(page)[0] for page in pages if _lines(page)]
    assert "Appendix A to report CS 01/03" in first_lines and "Appendix B to report CS 01/03" in first_lines


@needs_pdftotext
def test_appendix_a_lays_out_recommendation_15s_variations_and_numbers_once(app, tmp_path):
    with app.app_context():
        report = builders.build("appendix-a", builders.load_review("CC"))
        pdf = render(report, "pdf")
    lines = [line for page in _pdf_pages(pdf, tmp_path) for line in _lines(page)]
    starts = [next(i for i, line in enumerate(lines) if line.startswith(v)) for v in VARIATIONS]
    assert starts == sorted(starts) and len(set(starts)) == 9  # each variation starts a line of its own
    # The commentary on the variations: one variation a line, as the source paper prints it.
    status = next(i for i, line in enumerate(lines) if line.startswith("Status: i-vii) For those Units"))
    assert any(line == "viii) Still to start" for line in lines[status:])
    assert any(line.startswith("ix) The location of the Shopmobility service") for line in lines[status:])
    # Numbered once: "1) That a separate unit ...", never "Recommendation 1" and then "1)".
    assert not [line for line in lines if re.fullmatch(r"Recommendation \d+", line)]
    assert lines[lines.index("Recommendation") + 1].startswith("1) That a separate unit be created")
    document = Document(io.BytesIO(render(report, "docx")))
    paragraphs = [p.text for p in document.paragraphs]
    for variation in VARIATIONS:
        assert sum(p.startswith(variation) for p in paragraphs) == 1
    assert "viii) Still to start" in paragraphs


def test_the_word_pack_is_one_document_with_page_numbers_and_appendix_headings(app, client_for):
    manager = client_for("manager")
    report_id = _report(manager)
    _with_reference(manager, report_id)
    response = manager.get(f"/reports/{report_id}/pack.docx?owners=1")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    _in_order("\n".join(headings), [h for h in SEED_SECTIONS if h not in (
        "Staffing/Resources", "Financial", "Legal", "Corporate", "Risk Management", "Equality Issues",
        "Environmental", "Crime and Disorder")] + ["Appendix C to report CS 01/03"])
    body = document.element.body.xml
    assert body.count('w:type="page"') == 3  # before Appendix A, B and C
    footer = document.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    texts = [p.text for p in document.paragraphs]
    assert "Implications" in texts and any(t.startswith("Staffing/Resources – None") for t in texts)
    owners_table = document.tables[-1]
    assert [c.text for c in owners_table.rows[0].cells][-2:] == ["Owner", "Target date"]


def _template(tmp_path, suffix: str = ".docx") -> bytes:
    """A council's template: its own body style, header text and sample text to be replaced."""
    document = Document()
    style = document.styles.add_style("Council Body Text", WD_STYLE_TYPE.PARAGRAPH)
    style.font.name, style.font.size = "Georgia", Pt(11)
    document.styles["Normal"].font.name = "Georgia"
    document.sections[0].header.paragraphs[0].text = "Carlisle City Council – Committee Report (council template)"
    document.add_paragraph("Type the report here.", style="Council Body Text")
    path = tmp_path / f"template{suffix}"
    document.save(path)
    content = path.read_bytes()
    if suffix == ".dotx":
        content = _retyped(content, b"document.main+xml", b"template.main+xml")
    return content


def _retyped(content: bytes, old: bytes, new: bytes, extra: tuple[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item.filename, data.replace(old, new) if item.filename == "[Content_Types].xml" else data)
        if extra:
            target.writestr(*extra)
    return out.getvalue()


def _upload(admin, name: str, content: bytes):
    page = admin.page("/reports/word-template")
    return admin.http.post("/reports/word-template", data={"csrf_token": page.csrf_token,
                                                            "file": (io.BytesIO(content), name)},
                           content_type="multipart/form-data")


@pytest.mark.parametrize("suffix", [".dotx", ".docx"])
def test_the_word_pack_is_built_on_the_councils_uploaded_template(app, client_for, tmp_path, suffix):
    admin, manager = client_for("admin"), client_for("manager")
    assert _upload(admin, f"Council report{suffix}", _template(tmp_path, suffix)).status_code == 303
    assert f"Council report{suffix}" in admin.page("/reports/word-template").text_of('[data-testid="current-template"]')
    report_id = _report(manager)
    document = Document(io.BytesIO(manager.get(f"/reports/{report_id}/pack.docx").data))
    assert "Council Body Text" in [s.name for s in document.styles]
    assert document.styles["Normal"].font.name == "Georgia"  # the council's styles are kept, not overridden
    header = " ".join(p.text for p in document.sections[0].header.paragraphs)
    assert "Carlisle City Council – Committee Report (council template)" in header
    texts = [p.text for p in document.paragraphs]
    assert "Type the report here." not in texts  # the template's sample body is replaced by the report
    assert "Summary" in texts and "Key Recommendations" in texts and "Action Plan - Master List" in texts
    assert 'w:instr="PAGE"' in document.sections[0].footer._element.xml
    # Without a template again: the built-in style.
    remove = admin.page("/reports/word-template").form("/reports/word-template")
    remove["remove-submit"] = "Stop using the council's template"  # the button pressed, as a browser sends it
    assert admin.http.post("/reports/word-template", data=remove).status_code == 303
    plain = Document(io.BytesIO(manager.get(f"/reports/{report_id}/pack.docx").data))
    assert "Council Body Text" not in [s.name for s in plain.styles]


def test_a_template_with_macros_or_not_word_is_refused(app, client_for, tmp_path):
    admin = client_for("admin")
    good = _template(tmp_path)
    refusals = [
        ("Council report.docm", good, "holds macros"),
        ("Council report.docx", _retyped(good, b"document.main+xml", b"document.macroEnabled.main+xml",
                                         ("word/vbaProject.bin", b"\0" * 64)), "holds macros"),
        ("Council report.docx", b"not a zip at all", "damaged"),
        ("Council report.pdf", b"%PDF-1.4", "Word document (.docx) or Word template (.dotx)"),
    ]
    for name, content, message in refusals:
        response = _upload(admin, name, content)
        assert response.status_code in (400, 413), name
        assert message in response.get_data(as_text=True), name
    with app.app_context():
        assert db.session.scalar(select(CoveringSettings.word_template)) is None
    assert client_for("manager").get("/reports/word-template").status_code == 403


def test_report_pack_command_writes_the_plan_now_or_a_saved_report(app, client_for, tmp_path):
    runner = app.test_cli_runner()
    for fmt in ("pdf", "docx"):
        out = tmp_path / f"pack.{fmt}"
        result = runner.invoke(args=["report", "pack", "--review", "CC", "--format", fmt, "--output", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 10000
    manager = client_for("manager")
    report_id = _report(manager)
    _with_reference(manager, report_id, "CS 07/26")
    manager.post(f"/reports/{report_id}/publish", token_from=f"/reports/{report_id}/publish")
    out = tmp_path / "saved.docx"
    result = runner.invoke(args=["report", "pack", "--review", "CC", "--format", "docx", "--output", str(out),
                                 "--report", str(report_id)])
    assert result.exit_code == 0, result.output
    headings = [p.text for p in Document(out).paragraphs if p.style.name.startswith("Heading")]
    assert "Appendix A to report CS 07/26" in headings
    result = runner.invoke(args=["report", "pack", "--review", "CC", "--format", "pdf", "--output", str(out),
                                 "--report", "999"])
    assert result.exit_code != 0 and "is not a report of review CC" in result.output


def test_appendix_b_comment_column_carries_the_actions_comment(app):
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.ref == "CC-05-ENV-05"))
        action.comment = "Display standards agreed with Communications"
        db.session.commit()
        report = builders.build("appendix-b", builders.load_review("CC"))
        html = render(report, "html").decode()
    document = Document(io.BytesIO(render(report, "docx")))
    row = next(r for t in document.tables for r in t.rows if r.cells[0].text == "CC-05-ENV-05")
    assert row.cells[3].text == "Display standards agreed with Communications"
    assert '<td data-label="Comment">Display standards agreed with Communications</td>' in html


def test_the_summary_csv_puts_its_tables_one_under_another(app):
    with app.app_context():
        content = render(builders.build("summary", builders.load_review("CC")), "csv").decode("utf-8-sig")
    tables = read_tables(content)
    assert list(tables)[:2] == ["Status by central issue", "Waiting on projects"]
    assert tables["Status by central issue"][-1]["All central issues"] == "116"
    assert tables["Waiting on projects"][0]["Project"] == "Customer Contact Centre project"
    # One under another: each table's rows hold its own columns only, never another table's beside them.
    for name, rows in tables.items():
        assert all(len(row) == len(rows[0]) for row in rows), name
    assert len(content.splitlines()[1].split(",")) == len(tables["Status by central issue"][0])


def test_amendments_for_the_committee_to_endorse_come_from_the_plans_history(app, client_for):
    import datetime as dt

    from tracker.plan.operations import set_target_date, update_measure
    from tracker.plan.structure_ops import edit_action, edit_measure_text

    def action(ref):
        return db.session.scalar(select(Action).where(Action.ref == ref))

    manager = client_for("manager")
    with app.app_context():
        set_target_date(action("CC-41-PERF-02"), dt.date(2004, 3, 31))
        db.session.commit()
    first = _report(manager)
    # Before any report: the items already closed without being done are put to the committee.
    first_tables = read_tables(manager.get(f"/reports/{first}/covering.csv").data.decode("utf-8-sig"))
    assert [r["Ref-Id"] for r in first_tables["Cancelled or no longer applicable"]] == [
        "CC-18-ENV-18", "CC-21-ENV-21", "CC-78-ORG-23"]
    manager.post(f"/reports/{first}/publish", token_from=f"/reports/{first}/publish")
    with app.app_context():
        published = action("CC-41-PERF-02")
        edit_action(published, title="Publish performance indicators", detail=None, theme=published.theme,
                    note="Agreed by the Liaison Group")
        edit_measure_text(action("CC-51-COM-02").measures[0], text="Create a central digital library of published material")
        set_target_date(action("CC-41-PERF-02"), dt.date(2004, 9, 30), reason="Waits for the contact centre's figures")
        update_measure(action("CC-42-PERF-03").measures[0], category="cancelled", text="Cancelled: covered by PERF-02")
        db.session.commit()
    second = _report(manager, "2027-03-04")
    tables = read_tables(manager.get(f"/reports/{second}/covering.csv").data.decode("utf-8-sig"))
    assert [r["Ref-Id"] for r in tables["Cancelled or no longer applicable"]] == ["CC-42-PERF-03"]  # only the new one
    reworded = {r["Ref-Id"]: r for r in tables["Reworded"]}
    assert (reworded["CC-41-PERF-02"]["Was"], reworded["CC-41-PERF-02"]["Now"]) == (
        "Publish PI’s", "Publish performance indicators")
    assert "Agreed by the Liaison Group" in reworded["CC-41-PERF-02"]["Changed"]
    assert reworded["CC-51-COM-02"]["Now"] == "Create a central digital library of published material"
    [revised] = tables["Revised target dates"]
    assert (revised["Ref-Id"], revised["Was"], revised["Now"], revised["Reason"]) == (
        "CC-41-PERF-02", "31 March 2004", "30 September 2004", "Waits for the contact centre's figures")
    assert "The committee is asked to endorse these amendments to the plan." in \
        manager.page(f"/reports/{second}?part=covering").text


def test_the_word_pack_reads_like_the_pdf_footer_apart_and_tables_in_the_same_type(app):
    from docx.enum.text import WD_TAB_ALIGNMENT

    with app.app_context():
        report = builders.build("appendix-b", builders.load_review("CC"))
    document = Document(io.BytesIO(render(report, "docx")))
    footer = document.sections[0].footer.paragraphs[0]
    # The Footer style's centre stop is cleared: "Page n of N" goes to the right edge, not into the text.
    stops = {round(t.position.cm, 2): t.alignment for t in footer.paragraph_format.tab_stops}
    assert stops[8.26] == WD_TAB_ALIGNMENT.CLEAR and WD_TAB_ALIGNMENT.RIGHT in stops.values()
    # Tables in the PDF's 9 pt (a word too long for its column in a smaller type, never broken).
    row = next(r for t in document.tables for r in t.rows if r.cells[0].text == "CC-40-PERF-01")
    assert row.cells[0].paragraphs[0].runs[0].font.size.pt <= 9
    assert {run.font.size.pt for run in row.cells[1].paragraphs[0].runs} == {9}
