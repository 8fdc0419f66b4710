"""Committee reports: fidelity of every format to the seed, publishing, and "what changed since"."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.conftest import ROOT, Page
from tests.web.forms_pages import date_boxes, has_target, legends, summary_links
from tests.web.plans import set_measure_output
from tracker.domain.status import CATEGORY_LABELS
from tracker.extensions import db
from tracker.models import Action, Change, CommitteeReport, Measure
from tracker.reports import builders
from tracker.reports.renderers import render
from tracker.reports.renderers.csv import read_tables

SEED = yaml.safe_load((ROOT / "seeds" / "reviews" / "cc.yaml").read_text(encoding="utf-8"))
needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


def squash(text: str) -> str:
    """Text with every space and line break removed: line wrapping in a PDF cannot hide a changed word."""
    return re.sub(r"\s+", "", text)


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


def build(app, part, **kw):
    with app.app_context():
        return builders.build(part, builders.load_review("CC"), **kw)


@needs_pdftotext
def test_appendix_b_pdf_has_every_ref_measure_and_output_in_source_order(app, tmp_path):
    with app.app_context():
        text = pdf_text(render(builders.build("appendix-b", builders.load_review("CC")), "pdf"), tmp_path)
    assert re.findall(r"CC-\d\d-[A-Z]+-\d\d", text) == [a["ref"] for a in SEED["actions"]]
    flat = squash(text)
    position = 0
    for action in SEED["actions"]:
        for piece in [action["ref"], action["title"]] + [m["text"] for m in action["measures"]]:
            found = flat.find(squash(piece), position)
            assert found >= 0, f"{action['ref']}: {piece!r} missing or out of order"
            position = found
        for m in action["measures"]:
            assert squash(m["measured_output"]) in flat, f"{action['ref']} output {m['number']}"
    assert "APPENDIXB" in flat and "ActionPlan-MasterList" in flat
    assert "Page1of" in flat


@needs_pdftotext
def test_appendix_a_pdf_has_all_recommendations_variations_and_status(app, tmp_path):
    with app.app_context():
        flat = squash(pdf_text(render(builders.build("appendix-a", builders.load_review("CC")), "pdf"), tmp_path))
    for rec in SEED["recommendations"]:
        assert squash(rec["text"]) in flat and squash("Status:" + rec["status_text"]) in flat
        for v in rec.get("variations", []):
            assert squash(f"{v['label']}. {v['text']}") in flat


def test_appendix_b_docx_has_real_tables_with_measures_beside_outputs(app):
    document = Document(io.BytesIO(render(build(app, "appendix-b"), "docx")))
    rows = [row for table in document.tables for row in table.rows]
    body = [r for r in rows if re.fullmatch(r"CC-\d\d-[A-Z]+-\d\d", r.cells[0].text)]
    assert [r.cells[0].text for r in body] == [a["ref"] for a in SEED["actions"]]
    for row, action in zip(body, SEED["actions"], strict=False):
        detail = [p.text for p in row.cells[1].paragraphs]
        outputs = [p.text for p in row.cells[2].paragraphs]
        assert detail == [action["title"]] + [f"{m['number']}) {m['text']}" for m in action["measures"]]
        assert outputs == [f"{m['number']}) {m['measured_output']}" for m in action["measures"]]
    assert [c.text for c in document.tables[0].rows[0].cells] == ["Ref-Id", "Detail", "Measured Output", "Comment"]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["APPENDIX B", "Action Plan - Master List", "Environment"]
    assert "i) Central point of contact" in headings


def test_appendix_a_docx_carries_recommendations_and_variations(app):
    document = Document(io.BytesIO(render(build(app, "appendix-a"), "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    for rec in SEED["recommendations"]:
        # squash: a commentary on variations is laid out one variation a line (test_committee_pack.py)
        assert f"{rec['number']}) {rec['text']}" in text and squash(f"Status: {rec['status_text']}") in squash(text)
        for v in rec.get("variations", []):
            assert f"{v['label']}. {v['text']}" in text


def test_xlsx_and_csv_have_one_row_per_measure_with_its_status(app):
    report = build(app, "appendix-b")
    rows = list(csv.DictReader(io.StringIO(render(report, "csv").decode("utf-8-sig"))))
    assert len(rows) == 116
    first = SEED["actions"][0]
    assert (rows[0]["Central issue"], rows[0]["Ref-Id"], rows[0]["Title"], rows[0]["No."]) == (
        "Environment", "CC-01-ENV-01", first["title"], "1")
    assert rows[0]["Detail"] == first["measures"][0]["text"]
    assert rows[0]["Measured Output"] == "One new road sign has been installed."
    with app.app_context():
        statuses = {(ref, n): status for ref, n, status in db.session.execute(
            select(Action.ref, Measure.number, Measure.status).join(Measure.action))}
    assert all(r["Status"] == CATEGORY_LABELS[statuses[(r["Ref-Id"], int(r["No."]))]] for r in rows)
    waiting = [r for r in rows if r["Ref-Id"] == "CC-03-ENV-03" and r["No."] == "4"]
    assert waiting[0]["Waits on"] == "Customer Contact Centre project"
    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    assert book.sheetnames == ["Appendix B"] and book["Appendix B"].max_row == 117


def test_workbook_has_the_summary_tables_and_a_sheet_per_appendix(app, client_for):
    manager = client_for("manager")
    response = manager.post("/reports", token_from="/reports", data={"committee": "O&S", "meeting_on": "2026-12-03"})
    report_id = response.headers["Location"].rsplit("/", 1)[1]
    response = manager.get(f"/reports/{report_id}/workbook.xlsx")
    assert response.status_code == 200 and "all-parts-2026-12-03-draft.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[0] == "Covering report" and "Status by central issue" in book.sheetnames
    assert book.sheetnames[-2:] == ["Appendix A", "Appendix B"]
    appendix_a = list(book["Appendix A"].iter_rows(values_only=True))
    assert appendix_a[0] == ("Recommendation", "Variation", "Text", "Status")
    assert len(appendix_a) == 1 + 15 + 9  # every recommendation, and rec. 15's variations i-ix
    counts = list(book["Status by central issue"].iter_rows(values_only=True))
    assert counts[-1][0] == "Total" and counts[-1][-1] == 116  # a number, not text


def test_summary_counts_are_honest_and_chart_is_in_every_format(app):
    report = build(app, "summary")
    with app.app_context():
        complete = db.session.scalar(select(db.func.count()).where(Measure.status == "complete"))
    paragraph = next(b["text"] for b in report["blocks"] if b["type"] == "paragraph" and "are complete" in b["text"])
    assert paragraph.startswith(f"{complete} of 116 measures are complete")
    assert "not counted as complete" in paragraph
    with app.app_context():
        html = render(report, "html").decode()
    assert "<svg" in html and 'role="img"' in html
    document = Document(io.BytesIO(render(report, "docx")))
    assert len(document.inline_shapes) == 1  # the chart as a picture




def test_publish_freezes_and_next_summary_lists_exactly_the_later_changes(app, client_for):
    manager = client_for("manager")
    set_measure_output(app, ref="CC-01-ENV-01", number=2, text="Complete")
    set_measure_output(app, ref="CC-06-ENV-06", number=1, text="Complete")
    set_measure_output(app, ref="CC-10-ENV-10", number=1, text="Market testing under way")
    response = manager.post("/reports", token_from="/reports", data={"committee": "Overview and Scrutiny Committee",
                                                                     "meeting_on": "2026-12-03"})
    assert response.status_code == 303
    first = int(response.headers["Location"].rsplit("/", 1)[1])
    assert manager.post(f"/reports/{first}/publish", token_from=f"/reports/{first}").status_code == 303
    frozen_b = manager.get(f"/reports/{first}/appendix-b.csv").data
    set_measure_output(app, ref="CC-20-ENV-20", number=1, text="Complete")
    set_measure_output(app, ref="CC-34-OWN-06", number=1, text="Outcome of CCC Project")
    assert manager.get(f"/reports/{first}/appendix-b.csv").data == frozen_b  # published: unchanged for ever
    response = manager.post("/reports", token_from="/reports", data={"committee": "Overview and Scrutiny Committee",
                                                                     "meeting_on": "2027-03-04"})
    second = int(response.headers["Location"].rsplit("/", 1)[1])
    summary = manager.get(f"/reports/{second}/summary.csv").data.decode("utf-8-sig")
    # The summary says what the covering report says (tracker/reports/since.py): completed once,
    # other changes of status apart, each with the item's own words.
    completed = read_tables(summary)["Completed"]
    assert [(r["Ref-Id"], r["Was"]) for r in completed] == [("CC-20-ENV-20", "Not started")]
    changes = read_tables(summary)["Other changes of status"]
    assert [(r["Ref-Id"], r["Was"], r["Now"]) for r in changes] == [("CC-34-OWN-06", "Not started", "Dependent")]
    assert "1) Institute formal arrangement for considering suggestions and comments" in changes[0]["Item"]
    page = manager.get(f"/reports/{second}?part=summary").get_data(as_text=True)
    assert "Compared with the report to Overview and Scrutiny Committee, 3 December 2026" in page


def test_committee_sees_published_reports_only_and_cannot_publish(app, client_for):
    manager, committee = client_for("manager"), client_for("committee")
    response = manager.post("/reports", token_from="/reports", data={"committee": "O&S", "meeting_on": "2026-12-03"})
    draft = int(response.headers["Location"].rsplit("/", 1)[1])
    assert committee.get(f"/reports/{draft}").status_code == 403
    assert committee.get(f"/reports/{draft}/appendix-b.pdf").status_code == 403
    assert "O&S" not in committee.page("/reports").text
    assert committee.post(f"/reports/{draft}/publish", token_from="/reports").status_code == 403
    assert committee.post("/reports", token_from="/reports", data={"committee": "X", "meeting_on": "2026-01-01"}).status_code == 403
    manager.post(f"/reports/{draft}/publish", token_from=f"/reports/{draft}")
    assert committee.get(f"/reports/{draft}/appendix-a.docx").status_code == 200
    assert "O&S, 3 December 2026" in committee.page("/reports").text


def test_bad_meeting_details_are_refused_and_kept(client_for):
    manager = client_for("manager")
    response = manager.post("/reports", token_from="/reports", data={"committee": "O&S", "meeting_on": "next week"})
    assert response.status_code == 400
    assert summary_links(response) == {"#meeting_on-day": "Meeting date must be a real date, for example 31/3/2027"}
    assert date_boxes(response, "meeting_on") == ["next week", "", ""]
    assert Page(response).one('input[name="committee"]')["value"] == "O&S"
    response = manager.post("/reports", token_from="/reports", data={"committee": "O&S", "meeting_on": ["", "", ""]})
    assert response.status_code == 400
    assert summary_links(response) == {"#meeting_on-day": "Enter the meeting date, for example 3 12 2026"}
    response = manager.post("/reports", token_from="/reports", data={"committee": "O" * 201, "meeting_on": "2026-12-03"})
    assert response.status_code == 400 and "200 characters or fewer" in " ".join(Page(response).errors)


def test_report_command_writes_each_part_and_format(app, tmp_path):
    runner = app.test_cli_runner()
    for part in builders.PARTS:
        for fmt in ("html", "docx", "xlsx", "csv"):
            out = tmp_path / f"{part}.{fmt}"
            result = runner.invoke(args=["report", part, "--review", "CC", "--format", fmt, "--output", str(out)])
            assert result.exit_code == 0, result.output
            assert out.stat().st_size > 0
    result = runner.invoke(args=["report", "summary", "--review", "CC", "--format", "csv", "--output",
                                 str(tmp_path / "x.csv"), "--since", "999"])
    assert result.exit_code != 0 and "is not a published report" in result.output
    result = runner.invoke(args=["report", "appendix-b", "--review", "NOPE", "--format", "csv", "--output",
                                 str(tmp_path / "x.csv")])
    assert result.exit_code != 0 and "no review with code NOPE" in result.output


def test_report_pages_query_count_does_not_grow(app, client_for, count_queries):
    from tests.web.plans import bulk_review
    from tracker.imports.plan_data import apply_plan
    manager = client_for("manager")

    def measure(n):
        with app.app_context():
            apply_plan(bulk_review(n))
            db.session.commit()
        response = manager.post("/reports?review=BK", token_from="/reports",
                                data={"committee": "O&S", "meeting_on": "2026-12-03"})
        report_id = response.headers["Location"].rsplit("/", 1)[1]
        with count_queries() as statements:
            assert manager.get(f"/reports/{report_id}/appendix-b.html").status_code == 200
        return len(statements)

    assert measure(5) == measure(40)


def test_appendix_b_with_owner_and_target_date_columns(app, client_for):
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.ref == "CC-01-ENV-01"))
        import datetime as dt

        from tracker.plan.operations import assign_owner, find_or_create_owner, set_target_date
        assign_owner([action], find_or_create_owner(action.review.authority_id, "Jane Smith", "Property"))
        set_target_date(action, dt.date(2004, 3, 31))
        db.session.commit()
    manager = client_for("manager")
    response = manager.post("/reports", token_from="/reports", data={"committee": "O&S", "meeting_on": "2026-12-03"})
    report_id = response.headers["Location"].rsplit("/", 1)[1]
    manager.post(f"/reports/{report_id}/publish", token_from=f"/reports/{report_id}")
    rows = list(csv.DictReader(io.StringIO(
        manager.get(f"/reports/{report_id}/appendix-b.csv?owners=1").data.decode("utf-8-sig"))))
    assert (rows[0]["Owner"], rows[0]["Target date"]) == ("Jane Smith (Property)", "2004-03-31")
    plain = manager.get(f"/reports/{report_id}/appendix-b.csv").data.decode("utf-8-sig")
    assert "Owner" not in plain.splitlines()[0]


def _create(manager, committee="Overview and Scrutiny Committee", meeting_on="2026-12-03") -> int:
    response = manager.post("/reports", token_from="/reports", data={"committee": committee, "meeting_on": meeting_on})
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


@needs_pdftotext
def test_every_page_footer_names_the_meeting_and_a_committee_name_cannot_break_out(app, client_for, tmp_path):
    manager = client_for("manager")
    report_id = _create(manager, committee='O&S <Scrutiny> "Panel"')
    html = manager.get(f"/reports/{report_id}/appendix-a.html").get_data(as_text=True)
    assert html.count("</style>") == 1 and "<Scrutiny>" not in html
    text = pdf_text(manager.get(f"/reports/{report_id}/appendix-a.pdf").data, tmp_path)
    pages = text.split("\f")[:-1]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert 'O&S <Scrutiny> "Panel", 3 December 2026' in page and f"Page {number} of {len(pages)}" in page
    document = Document(io.BytesIO(manager.get(f"/reports/{report_id}/appendix-b.docx").data))
    footer = document.sections[0].footer.paragraphs[0]
    assert 'O&S <Scrutiny> "Panel", 3 December 2026' in footer.text
    assert [f.get(qn("w:instr")) for f in footer._p.iter(qn("w:fldSimple"))] == ["PAGE", "NUMPAGES"]
    header_row = document.tables[0].rows[0]._tr
    assert header_row.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None  # repeated on every page


def test_variations_print_their_own_status_only_when_the_recommendation_has_none(app):
    report = build(app, "appendix-a")
    items = next(b["items"] for b in report["blocks"] if b["type"] == "list")
    assert [item[2] for item in items] == [""] * 9  # rec. 15's commentary covers i-ix, as in the paper
    with app.app_context():
        from tracker.models import Recommendation
        db.session.scalar(select(Recommendation).where(Recommendation.number == 15)).status_text = None
        db.session.commit()
    report = build(app, "appendix-a")
    items = next(b["items"] for b in report["blocks"] if b["type"] == "list")
    assert items[7][2] == "Still to start"
    with app.app_context():
        html = render(report, "html").decode()
    assert "<strong>Status:</strong> Still to start" in html and "See each variation above." in html
    sheet = report["sheets"][0]["rows"]
    assert sheet[-2][:2] == [15, "viii"] and sheet[-2][3] == "Still to start"


def test_creating_and_publishing_are_in_the_change_record(app, client_for):
    manager = client_for("manager")
    report_id = _create(manager)
    manager.post(f"/reports/{report_id}/publish", token_from=f"/reports/{report_id}")
    with app.app_context():
        changes = db.session.scalars(select(Change).where(Change.entity_type == "committee_report")
                                     .order_by(Change.id)).all()
        assert [(c.entity_id, c.field, c.after, c.user_name) for c in changes] == [
            (report_id, "created", "Overview and Scrutiny Committee, 3 December 2026", "Manager User"),
            (report_id, "status", "published", "Manager User")]
        report = db.session.get(CommitteeReport, report_id)
        assert report.published_by == "Manager User" and set(report.snapshot["parts"]) == {
            "covering", "summary", "appendix-a", "appendix-b", "appendix-b+owners"}
    again = manager.post(f"/reports/{report_id}/publish", token_from=f"/reports/{report_id}")
    assert again.status_code == 303
    assert "already published" in manager.page(f"/reports/{report_id}").text


def test_new_and_revised_target_dates_since_the_last_report_keep_the_original(app, client_for):
    import datetime as dt

    from tracker.plan.operations import set_target_date

    def set_date(ref, day, reason=None):
        with app.app_context():
            set_target_date(db.session.scalar(select(Action).where(Action.ref == ref)), day, reason=reason)
            db.session.commit()

    def table(report_id, name):
        text = manager.get(f"/reports/{report_id}/summary.csv").data.decode("utf-8-sig")
        return read_tables(text)[name]

    manager = client_for("manager")
    set_date("CC-02-ENV-02", dt.date(2004, 3, 31))
    first = _create(manager)
    manager.post(f"/reports/{first}/publish", token_from=f"/reports/{first}")
    set_date("CC-02-ENV-02", dt.date(2004, 9, 30), reason="Space review not finished")
    set_date("CC-05-ENV-05", dt.date(2004, 6, 30))
    second = _create(manager, meeting_on="2027-03-04")
    assert [(r["Ref-Id"], r["Original"], r["Was"], r["Now"], r["Reason"])
            for r in table(second, "Target dates set or moved")] == [
        ("CC-02-ENV-02", "31 March 2004", "31 March 2004", "30 September 2004", "Space review not finished"),
        ("CC-05-ENV-05", "30 June 2004", "Not set", "30 June 2004", "")]
    assert [r["Ref-Id"] for r in table(second, "Overdue actions")] == ["CC-02-ENV-02", "CC-05-ENV-05"]
    b = manager.get(f"/reports/{second}/appendix-b.csv?owners=1").data.decode("utf-8-sig")
    revised = next(r for r in csv.DictReader(io.StringIO(b)) if r["Ref-Id"] == "CC-02-ENV-02")
    assert (revised["Target date"], revised["Original target date"]) == ("2004-09-30", "2004-03-31")
    assert "30 September 2004 (originally 31 March 2004)" in manager.page(f"/reports/{second}/appendix-b.html?owners=1").text


def test_a_published_file_is_rendered_once_and_a_draft_every_time(app, client_for, monkeypatch):
    from tracker.reports import views
    calls = []
    real = views.render
    monkeypatch.setattr(views, "render", lambda data, fmt: calls.append(fmt) or real(data, fmt))
    manager = client_for("manager")
    report_id = _create(manager)
    for _ in range(2):
        assert manager.get(f"/reports/{report_id}/summary.csv").status_code == 200
    assert calls == ["csv", "csv"]  # a draft shows the plan as it is now
    manager.post(f"/reports/{report_id}/publish", token_from=f"/reports/{report_id}")
    first = manager.get(f"/reports/{report_id}/summary.csv").data
    set_measure_output(app, ref="CC-20-ENV-20", number=1, text="Complete")
    assert manager.get(f"/reports/{report_id}/summary.csv").data == first
    assert calls == ["csv", "csv", "csv"]


def _report_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CommitteeReport))


@pytest.mark.parametrize("typed", ["31/3/2027", "31 March 2027", "2027-03-31", ["31", "3", "2027"],
                                   ["31", "march", "2027"]])
def test_the_meeting_date_is_read_as_people_type_it(app, client_for, typed):
    manager = client_for("manager")
    response = manager.post("/reports", token_from="/reports", data={"committee": "O&S", "meeting_on": typed})
    assert response.status_code == 303
    with app.app_context():
        report = db.session.get(CommitteeReport, int(response.headers["Location"].rsplit("/", 1)[1]))
        assert report.meeting_on == dt.date(2027, 3, 31)


@pytest.mark.parametrize("typed, message", [
    (["31", "2", "2027"], "Meeting date must be a real date, for example 31 3 2027"),
    (["31", "", "2027"], "Meeting date must include a month"),
    (["99999999999999999999", "1", "2027"], "Meeting date must be a real date, for example 31 3 2027"),
])
def test_an_impossible_meeting_date_is_refused_and_changes_nothing(app, client_for, typed, message):
    manager = client_for("manager")
    before = _report_count(app)
    response = manager.post("/reports", token_from="/reports", data={"committee": "Scrutiny", "meeting_on": typed})
    assert response.status_code == 400
    assert summary_links(response) == {"#meeting_on-day": message} and has_target(response, "#meeting_on-day")
    assert date_boxes(response, "meeting_on") == typed  # the boxes show what was typed
    assert "Meeting date" in legends(response)
    page = Page(response)
    assert page.one('input[name="committee"]')["value"] == "Scrutiny"
    assert len(page.select(".govuk-error-summary")) == 1 and len(page.errors) == 1
    assert _report_count(app) == before


def test_a_committee_name_refused_by_the_operation_links_to_its_field(app, client_for):
    response = client_for("manager").post("/reports", token_from="/reports",
                                          data={"committee": "", "meeting_on": ["3", "12", "2026"]})
    assert response.status_code == 400
    assert summary_links(response) == {"#committee": "Enter the committee's name, for example Overview and Scrutiny "
                                                     "Committee"}
    assert date_boxes(response, "meeting_on") == ["3", "12", "2026"]
