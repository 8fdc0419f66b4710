"""Spreadsheet layouts seen in real council trackers: a cover sheet, a title above the table, merged
cells, theme headings as rows, other list numbering, semicolon CSVs and blank progress cells."""
from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import select

from tracker.extensions import db
from tracker.imports.operations import apply_import, plan_file, plan_spreadsheet
from tracker.imports.spreadsheet import locate_header, split_numbered
from tracker.models import Action, Measure, Review


def tracker_workbook() -> bytes:
    book = Workbook()
    cover = book.active
    cover.title = "Read me"
    cover.append(["How to update this tracker"])
    cover.append(["Type your progress in column E and choose a status."])
    sheet = book.create_sheet("Action plan")
    sheet.append(["Customer Access Strategy – action plan progress, March 2025"])
    sheet.append(["Key: Complete / In progress / Not started"])
    sheet.append([])
    sheet.append(["Ref", "Action", "Measure", "Lead officer", "Progress", "Status", "Progress"])
    sheet.append(["Access to services"])
    sheet.merge_cells("A5:G5")  # a theme heading across the table
    sheet.append(["CA1", "Single telephone number", "Publish one number", "J. Patel", "Number live since May",
                  "Complete", "x"])
    sheet.append([None, None, "Route calls by service", None, None, "", ""])  # progress not yet written
    sheet.merge_cells("A6:A7")  # the ref id and title span the action's two measure rows
    sheet.merge_cells("B6:B7")
    sheet.merge_cells("D6:D7")
    sheet.append(["Digital by choice"])
    sheet.merge_cells("A8:G8")
    sheet.append(["CA2", "Online forms", "1. Put the top ten forms online\n2. Retire the paper forms",
                  "K. Lee", "1. Six forms live\n2. To start", "", ""])
    sheet.append(["CA3", "Web chat", "• Pilot web chat\n• Review the pilot", "K. Lee",
                  "• Pilot ran in June\n• Review on hold pending budget", "", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def measures(code):
    rows = db.session.execute(select(Action.ref, Measure.number, Measure.text, Measure.measured_output, Measure.status)
                              .join(Measure.action).join(Review).where(Review.code == code)
                              .order_by(Action.position, Measure.number)).all()
    return [tuple(r) for r in rows]


def test_a_real_tracker_layout_is_read_without_rework(app):
    with app.app_context():
        plan = plan_spreadsheet(tracker_workbook(), "tracker.xlsx", "CA")
        assert plan.problems == [], plan.problems
        assert plan.notes[:2] == ["Read the sheet 'Action plan': its headings look most like an action plan.",
                                  "The column headings are on row 4; the rows above them were left out."]
        # "Six forms live" and "Pilot ran in June" say something no rule reads: the person is told.
        assert plan.notes[2] == "The new review's themes: Access to services, Digital by choice."
        assert plan.notes[3].startswith("2 measures (CA2 measure 1, CA3 measure 1) have progress text that no "
                                        "status rule recognises")
        assert plan.mapping["measured_output"] == "Progress" and "Progress (2)" in plan.headers
        apply_import(plan)
        review = db.session.scalar(select(Review).where(Review.code == "CA"))
        assert [t.name for t in review.themes] == ["Access to services", "Digital by choice"]
        assert measures("CA") == [
            ("CA1", 1, "Publish one number", "Number live since May", "complete"),
            ("CA1", 2, "Route calls by service", "", "not_started"),
            ("CA2", 1, "Put the top ten forms online", "Six forms live", "not_started"),
            ("CA2", 2, "Retire the paper forms", "To start", "not_started"),
            ("CA3", 1, "Pilot web chat", "Pilot ran in June", "not_started"),
            ("CA3", 2, "Review the pilot", "Review on hold pending budget", "on_hold"),
        ]
        ca1 = db.session.scalar(select(Action).where(Action.ref == "CA1"))
        assert ca1.owner.name == "J. Patel" and ca1.theme.name == "Access to services"
        ca3 = db.session.scalar(select(Action).where(Action.ref == "CA3"))
        assert [(m.number, m.text, m.measured_output) for m in ca3.measures] == [
            (1, "Pilot web chat", "Pilot ran in June"), (2, "Review the pilot", "Review on hold pending budget")]
        assert ca3.theme.name == "Digital by choice" and ca3.measures[1].status == "on_hold"


def test_problems_name_the_row_the_user_sees_below_a_title(app):
    with app.app_context():
        plan = plan_spreadsheet(b"Quarterly update\n\nRef,Title,Measure,Progress\nQ1,,Do it,Done\n", "q.csv", "QU")
        assert [str(p) for p in plan.problems] == ["row 4: Q1: no title"]


def test_a_semicolon_csv_is_read(app):
    content = "Ref;Title;Measure;Progress\nS1;Signs;New signs at the entrance;Complete\n".encode("cp1252")
    with app.app_context():
        plan = plan_spreadsheet(content, "signs.csv", "SG")
        assert plan.problems == [] and plan.preview.create == ["S1"]


def test_a_blank_progress_cell_keeps_what_a_measure_already_says(app):
    rows = "Ref-Id,Title,Central Issue,Detail,Measured Output,Status\n" \
           "CC-01-ENV-01,Directional signage,Environment,x,,Complete\n"
    with app.app_context():
        before = db.session.scalar(select(Measure.measured_output).join(Action)
                                   .where(Action.ref == "CC-01-ENV-01", Measure.number == 1))
        plan = plan_spreadsheet(rows.encode(), "cc.csv", "CC")
        assert plan.problems == []
        [(ref, changes)] = plan.preview.update
        assert ref == "CC-01-ENV-01" and not any("output" in c for c in changes)
        apply_import(plan)
        m = db.session.scalar(select(Measure).join(Action).where(Action.ref == "CC-01-ENV-01", Measure.number == 1))
        assert m.measured_output == before and before and m.status == "complete"


def test_a_heading_row_that_is_not_a_theme_of_the_review_is_reported_once(app):
    rows = "Ref-Id,Title,Detail,Measured Output\nLeisure\n" \
           "CC-01-ENV-01,Directional signage,x,Complete\nCC-02-ENV-02,Cleaning,y,Complete\n"
    with app.app_context():
        plan = plan_spreadsheet(rows.encode(), "cc.csv", "CC")
        messages = [str(p) for p in plan.problems]
        assert messages[0].startswith("row 2: Heading 'Leisure' is not one of this review's themes")
        assert sum("Leisure" in m for m in messages) == 1


def test_list_numbering_styles_in_one_cell():
    assert split_numbered("(1) Draft (2) Consult") == [(1, "Draft"), (2, "Consult")]
    assert split_numbered("1. Draft the policy\n2. Consult on it") == [(1, "Draft the policy"), (2, "Consult on it")]
    assert split_numbered("- one\n- two\n- three") == [(1, "one"), (2, "two"), (3, "three")]
    assert split_numbered("2.5 million leaflets printed") == [(1, "2.5 million leaflets printed")]
    assert split_numbered("Phase 1. Then phase 2.") == [(1, "Phase 1. Then phase 2.")]


def test_the_heading_row_is_the_one_that_names_fields():
    rows = [["Action plan 2025"], [""], ["Ref", "Title", "Measure", "Progress"], ["A1", "Thing", "Do", "Done"]]
    assert locate_header(rows)[0] == 2
    assert locate_header([["x", "y"], ["1", "2"]])[0] == 0  # nothing named: the first row, as before


def word_appendix() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("Appendix 2: Customer Access Strategy action plan")
    document.add_paragraph("Access to services")
    first = document.add_table(rows=3, cols=4)
    for row, values in zip(first.rows, [["Ref", "Action", "Measure", "Progress"],
                                        ["CA1", "Single telephone number", "Publish one number", "Complete"],
                                        ["", "", "Route calls by service", "To start"]], strict=False):
        for cell, value in zip(row.cells, values, strict=False):
            cell.text = value
    first.cell(1, 0).merge(first.cell(2, 0))  # the ref id and title span both measure rows
    first.cell(1, 1).merge(first.cell(2, 1))
    first.cell(1, 0).text, first.cell(1, 1).text = "CA1", "Single telephone number"
    document.add_paragraph("Digital by choice")
    second = document.add_table(rows=2, cols=4)
    for row, values in zip(second.rows, [["Ref", "Action", "Measure", "Progress"],
                                         ["CA2", "Online forms", "Put forms online", "Outcome of CCC Project"]], strict=False):
        for cell, value in zip(row.cells, values, strict=False):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_appendix_laid_out_as_a_tracker_table_imports(app):
    with app.app_context():
        plan = plan_file(word_appendix(), "appendix.docx", "CA")
        assert plan.problems == [], plan.problems
        assert plan.notes[0].startswith("Read table 1 of the Word document, and the 1 table after it with the same "
                                        "columns, as the tracker (headings: Ref, Action, Measure, Progress)")
        apply_import(plan)
        review = db.session.scalar(select(Review).where(Review.code == "CA"))
        assert [t.name for t in review.themes] == ["Access to services", "Digital by choice"]
        assert measures("CA") == [
            ("CA1", 1, "Publish one number", "Complete", "complete"),
            ("CA1", 2, "Route calls by service", "To start", "not_started"),
            ("CA2", 1, "Put forms online", "Outcome of CCC Project", "dependent"),
        ]


def test_ref_ids_that_carry_a_theme_letter_give_the_new_themes_their_codes(app):
    rows = "Ref,Theme,Title,Measure,Progress\nA1,Access,Phone,Do,Complete\nA2,Access,Web,Do,Complete\n" \
           "B1,Buildings,Signs,Do,Complete\n"
    with app.app_context():
        plan = plan_spreadsheet(rows.encode(), "x.csv", "AB")
        assert plan.ok, plan.problems
        data = plan.conversion.data
        assert data["review"]["ref_pattern"] == r"{theme}\d+"
        assert [(t["code"], t["name"]) for t in data["themes"]] == [("A", "Access"), ("B", "Buildings")]
        # Letters that do not follow the themes are just letters: no false "names theme" errors.
        crossed = rows.replace("A2,Access", "B2,Access")
        plan = plan_spreadsheet(crossed.encode(), "x.csv", "AB")
        assert plan.ok, plan.problems
        assert plan.conversion.data["review"]["ref_pattern"] == r"[A-Za-z]+\d+"
