"""tracker/exports/cells.py: which CSV fields get the apostrophe, and that import takes exactly it off."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from tracker.exports.cells import csv_cell, csv_frame, csv_import_text, formula_cells, text_cell, text_only
from tracker.reports.renderers.csv import render_csv
from tracker.reports.renderers.xlsx import render_workbook


@pytest.mark.parametrize("text, written", [
    ("=1+1", "'=1+1"), ("+44 1228 817000", "'+44 1228 817000"), ("-2 signs left", "'-2 signs left"),
    ("@SUM(1+1)", "'@SUM(1+1)"), ("\tTabbed", "'\tTabbed"), ("\rCR", "'\rCR"),
    # A text that begins with apostrophes before a formula character gets one more, so import can
    # take exactly one off; any other text is written as it is.
    ("'=1+1", "''=1+1"), ("''-x", "'''-x"), ("'quoted", "'quoted"), ("it's = fine", "it's = fine"),
    ("", ""), (" =1+1", " =1+1"),
])
def test_csv_texts_are_marked_only_when_they_would_start_a_formula(text, written):
    assert csv_cell(text) == written
    assert csv_import_text(written) == text


@pytest.mark.parametrize("value", [-5, -2.5, 0, 3, None, dt.date(2026, 12, 3)])
def test_numbers_and_dates_are_not_texts_and_stay_as_they_are(value):
    assert csv_cell(value) is value


def test_a_csv_report_marks_texts_and_headings_but_not_negative_numbers():
    report = {"sheets": [{"name": "S", "columns": ["Ref", "-Change"], "rows": [["=HYPERLINK(1)", -5], ["ok", 3]]}]}
    rows = list(csv.reader(io.StringIO(render_csv(report).decode("utf-8-sig"), newline="")))
    assert rows == [["Ref", "'-Change"], ["'=HYPERLINK(1)", "-5"], ["ok", "3"]]
    frame = csv_frame(pd.DataFrame([["@x", 1], ["y", None]], columns=["a", "b"], dtype=object))
    assert frame.to_csv(index=False) == "a,b\n'@x,1\ny,\n"  # whole numbers stay whole beside a gap


def test_an_xlsx_report_keeps_texts_numbers_and_dates_and_holds_no_formula():
    report = {"sheets": [{"name": "S", "columns": ["Text", "Number", "Date"], "dates": ["Date"],
                          "rows": [["=HYPERLINK(\"http://127.0.0.1/x\",\"Click\")", -5, "2026-12-03"]]}]}
    book = load_workbook(io.BytesIO(render_workbook([report])))
    text, number, date = book["S"][2]
    assert formula_cells(book) == []
    assert (text.data_type, text.value) == ("s", "=HYPERLINK(\"http://127.0.0.1/x\",\"Click\")")
    assert (number.data_type, number.value) == ("n", -5)
    assert date.is_date and date.value.date() == dt.date(2026, 12, 3)


def test_text_cell_and_text_only_turn_openpyxl_formulas_into_texts():
    book = Workbook()
    sheet = book.active
    text_cell(sheet["A1"], "=1+1")
    sheet["A2"] = "=2+2"
    sheet["A3"] = 7
    assert formula_cells(book) == ["Sheet!A2"]
    text_only(book)
    out = io.BytesIO()
    book.save(out)
    again = load_workbook(io.BytesIO(out.getvalue()))
    assert formula_cells(again) == []
    assert [c.value for c in again.active["A"]] == ["=1+1", "=2+2", 7]
