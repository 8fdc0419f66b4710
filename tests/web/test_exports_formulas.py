"""The attack: plan texts that a spreadsheet would run as formulas (OWASP "CSV injection").

Hostile texts are put into the plan, then every CSV and XLSX the product offers is downloaded,
on the web and from the command line. The lists of downloads are found, not typed in: every GET
route ending .csv/.xlsx or taking a <fmt>, every command with a --format offering csv or xlsx, and
every module that writes a spreadsheet. A new export joins the checks by itself, or fails them
until this file is taught its sample values.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
from pathlib import Path

import click
import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from tests.conftest import ROOT, Client, make_app
from tests.files import csv_bytes
from tracker import create_app
from tracker.exports.cells import formula_cells
from tracker.exports.plan_json import export_all
from tracker.exports.plan_xlsx import review_workbook
from tracker.extensions import db
from tracker.imports.operations import apply_import, plan_file
from tracker.imports.spreadsheet import guess_mapping
from tracker.models import Assessment, Owner, Review
from tracker.reports import builders
from tracker.reports.covering_operations import save_covering
from tracker.reports.operations import create_report

OUTPUT = '=HYPERLINK("http://127.0.0.1/x","Click")'
OWNER = "@SUM(1+1)"
REC_STATUS = "+ agreed by Cabinet on 3 December"
VARIATION_STATUS = "- withdrawn by the committee"
THEME = "-Environment first"
TAB = "\tstarts with a tab"
CR = "\rstarts with a carriage return"
QUOTED = "'=already starts with an apostrophe"
EVIDENCE = "=1+1 evidence"
SITE = "@Customer Contact Centre"
CONTACT = "=Contact officer"
HOSTILE = (OUTPUT, OWNER, REC_STATUS, VARIATION_STATUS, THEME, TAB, CR, QUOTED, EVIDENCE, SITE, CONTACT)
FORMULA_START = tuple("=+-@\t\r")
SPREADSHEETS = ("csv", "xlsx")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def make_hostile(app) -> dict:
    """Write the hostile texts into review CC and its CSE assessment; returns ids the downloads need."""
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        first, second, third = review.actions[0], review.actions[1], review.actions[2]
        first.measures[0].measured_output = OUTPUT
        first.owner = Owner(authority_id=review.authority_id, name=OWNER, business_unit="")
        second.measures[0].text = TAB
        second.comment = CR
        third.title = QUOTED
        review.themes[0].name = THEME
        recommendation = next(r for r in review.recommendations if r.variations)
        recommendation.status_text = REC_STATUS
        recommendation.variations[0].status_text = VARIATION_STATUS
        assessment = db.session.scalar(select(Assessment).where(Assessment.review_id == review.id)
                                       .order_by(Assessment.assessed_on.desc(), Assessment.id))
        assessment.site = SITE
        assessment.ratings[0].evidence = EVIDENCE
        report = create_report(review, committee="Overview and Scrutiny", meeting_on=dt.date(2026, 12, 3))
        # The covering report's own texts (its contact officer) are in its CSV and sheets.
        save_covering(report, review, reference="CS 01/03", contact_officer=CONTACT, extension="x7250", texts={})
        db.session.commit()
        ids = {"report_id": report.id, "assessment_id": assessment.id}
        db.session.remove()
    return ids


@pytest.fixture(scope="module")
def hostile():
    """One app for the module: the downloads only read, and seeding takes a while on this machine."""
    app = make_app()
    ids = make_hostile(app)
    yield app, ids
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# --- what a download holds --------------------------------------------------------------------------

def csv_fields(content: bytes) -> list[str]:
    return [field for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")) for field in row]


def check_csv(content: bytes, where: str) -> None:
    fields = csv_fields(content)
    dangerous = [f for f in fields if f.startswith(FORMULA_START) and not NUMBER.fullmatch(f)]
    assert not dangerous, f"{where}: fields that start a formula: {dangerous[:5]}"
    # The apostrophe marks exactly the texts that need it, and the rest is written as it is.
    marked = {"'" + text for text in HOSTILE if text.startswith(("'",) + FORMULA_START)}
    found = marked & set(fields)
    assert found, f"{where}: none of the hostile texts is in the file, so this check proves nothing"
    assert not {"'" + text for text in found} & set(fields), f"{where}: a text was marked twice"


def check_xlsx(content: bytes, where: str) -> None:
    book = load_workbook(io.BytesIO(content))
    assert formula_cells(book) == [], f"{where}: formula cells {formula_cells(book)[:5]}"
    texts = {cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str)}
    found = set(HOSTILE) & texts
    assert found, f"{where}: none of the hostile texts is in the workbook, so this check proves nothing"
    # Each text exactly as written: no apostrophe added, nothing trimmed.
    altered = [t for t in HOSTILE if ({"'" + t, t.strip(), t.lstrip("'")} - {t}) & texts]
    assert not altered, f"{where}: texts changed on the way into the workbook: {altered}"


def check_download(content: bytes, fmt: str, where: str) -> None:
    (check_csv if fmt == "csv" else check_xlsx)(content, where)


# --- every download on the web ----------------------------------------------------------------------

def _url_map_app():
    return create_app("test")


def spreadsheet_rules(app) -> list:
    """Each GET route that can answer with a CSV or XLSX file."""
    return sorted((r for r in app.url_map.iter_rules() if "GET" in r.methods
                   and (r.rule.endswith(tuple(f".{f}" for f in SPREADSHEETS)) or "fmt" in r.arguments)),
                  key=lambda r: r.rule)


# Query strings that give another file from the same route.
VARIANTS = {"reports.download": ["", "?owners=1"]}


def sample_urls(app, rule, ids: dict) -> list[str]:
    values = {}
    for name in sorted(rule.arguments):
        if name == "code":
            values[name] = ["CSE"] if rule.endpoint.startswith("standards.") else ["CC"]
        elif name == "fmt":
            values[name] = list(SPREADSHEETS)
        elif name == "part":
            values[name] = list(builders.PARTS)
        elif name in ids:
            values[name] = [ids[name]]
        else:
            pytest.fail(f"{rule.rule}: teach {__name__} a sample value for <{name}>")
    urls = []
    with app.test_request_context():
        from flask import url_for
        for combination in itertools.product(*values.values()):
            url = url_for(rule.endpoint, **dict(zip(values, combination, strict=False)))
            urls += [url + query for query in VARIANTS.get(rule.endpoint, [""])]
    return urls


@pytest.mark.parametrize("rule", [r.rule for r in spreadsheet_rules(_url_map_app())])
def test_no_web_download_holds_a_formula(hostile, rule):
    app, ids = hostile
    found = next(r for r in spreadsheet_rules(app) if r.rule == rule)
    client = Client(app, "admin")
    spreadsheets = 0
    for url in sample_urls(app, found, ids):
        response = client.get(url)
        assert response.status_code in (200, 404), f"{url}: {response.status_code}"
        kind = response.headers.get("Content-Type", "")
        fmt = "csv" if kind.startswith("text/csv") else "xlsx" if "spreadsheetml" in kind else None
        if response.status_code == 200 and fmt:
            check_download(response.data, fmt, url)
            spreadsheets += 1
    assert spreadsheets, f"{rule} gave no CSV or XLSX file"


# --- every download on the command line -------------------------------------------------------------

def spreadsheet_commands(group: click.Group, prefix=()) -> list[tuple[tuple[str, ...], click.Command]]:
    """(command path, command) for each command whose --format offers csv or xlsx."""
    found = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += spreadsheet_commands(command, prefix + (name,))
            continue
        fmt = next((p for p in command.params if p.name == "fmt"), None)
        if fmt is not None and set(getattr(fmt.type, "choices", [])) & set(SPREADSHEETS):
            found.append((prefix + (name,), command))
    return found


def command_runs(command: click.Command, path: tuple[str, ...], output: Path) -> list[tuple[list[str], str]]:
    """(arguments, format) for each file the command can write as CSV or XLSX."""
    choices, fixed, flags = [], [], [[]]
    for param in command.params:
        if param.name == "fmt":
            continue
        if isinstance(param, click.Argument):
            choices.append(list(param.type.choices))
        elif param.name in ("review_code", "reviews"):
            fixed += [param.opts[0], "CC"]
        elif param.name == "output":
            fixed += [param.opts[0], "{output}"]
        elif getattr(param, "is_flag", False):
            flags = [[], [param.opts[0]]]
        elif param.required:
            pytest.fail(f"{' '.join(path)}: teach {__name__} a sample value for {param.opts[0]}")
    fmt_param = next(p for p in command.params if p.name == "fmt")
    runs = []
    for fmt in [f for f in SPREADSHEETS if f in fmt_param.type.choices]:
        for arguments in itertools.product(*choices):
            for flag in flags:
                name = output / f"{'-'.join(path + arguments + tuple(flag))}.{fmt}"
                args = list(path) + list(arguments) + ["--format", fmt] + \
                    [str(name) if a == "{output}" else a for a in fixed] + flag
                runs.append((args, fmt))
    return runs


@pytest.mark.parametrize("path", [" ".join(p) for p, _ in spreadsheet_commands(_url_map_app().cli)])
def test_no_command_line_file_holds_a_formula(hostile, path, tmp_path):
    app, _ = hostile
    command = dict((" ".join(p), c) for p, c in spreadsheet_commands(app.cli))[path]
    runs = command_runs(command, tuple(path.split()), tmp_path)
    assert runs, f"flask {path}: no CSV or XLSX run"
    for args, fmt in runs:
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 0, f"flask {' '.join(args)}: {result.output}"
        written = Path(args[args.index("--output") + 1])
        check_download(written.read_bytes(), fmt, f"flask {' '.join(args)}")


def test_every_module_that_writes_a_spreadsheet_uses_the_cells_module():
    """A new writer (csv.writer, to_csv, openpyxl or pandas Excel) must go through tracker/exports/cells.py."""
    writes = re.compile(r"\bto_csv\(|csv\.writer\(|DictWriter\(|to_excel\(|\bWorkbook\(|ExcelWriter\(")
    writers = {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
               for path in (ROOT / "tracker").rglob("*.py") if writes.search(path.read_text(encoding="utf-8"))}
    assert {"tracker/exports/plan_xlsx.py", "tracker/reports/renderers/csv.py",
            "tracker/reports/renderers/xlsx.py"} <= set(writers)
    unprotected = [name for name, text in writers.items() if not re.search(r"from \.+(exports\.)?cells import", text)]
    assert not unprotected, f"these modules write spreadsheets without tracker/exports/cells.py: {unprotected}"


# --- the round trip ---------------------------------------------------------------------------------

def plan_texts(data: dict) -> list:
    """Every text of a review's plan data, where it stands."""
    texts = []

    def walk(value, where):
        if isinstance(value, str):
            texts.append((where, value))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]")
    walk(data, "")
    return texts


def test_the_hostile_plan_comes_back_exactly_from_its_xlsx_export(hostile, empty_app):
    app, _ = hostile
    with app.app_context():
        original = export_all(["CC"])["reviews"][0]
    content = Client(app, "admin").get("/exports/CC.xlsx").data
    assert formula_cells(load_workbook(io.BytesIO(content))) == []
    with empty_app.app_context():
        plan = plan_file(content, "cc-export.xlsx", "CC")
        assert plan.ok, plan.problems
        apply_import(plan)
        again = export_all(["CC"])["reviews"][0]
    assert {text for _, text in plan_texts(original)} >= {OUTPUT, OWNER, REC_STATUS, VARIATION_STATUS, THEME, TAB,
                                                          CR, QUOTED}
    assert plan_texts(again) == plan_texts(original)
    assert json.dumps(again, sort_keys=True) == json.dumps(original, sort_keys=True)


def test_the_hostile_texts_come_back_exactly_from_the_appendix_b_csv(hostile):
    """Appendix B as CSV (with owners) is a tracker the spreadsheet import reads. Its texts come back
    without the apostrophe the export added. (That import tidies spaces, tabs and line breaks in
    every text, by design, so the tab and CR texts are checked through the XLSX round trip.)"""
    app, ids = hostile
    content = Client(app, "admin").get(f"/reports/{ids['report_id']}/appendix-b.csv?owners=1").data
    assert "'" + OUTPUT in csv_fields(content)
    with app.app_context():
        # Its sub-issue column holds labels ("i) ..."), not codes: left out, as a person would choose.
        headings = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        mapping = {k: v for k, v in guess_mapping(headings).items() if k != "subtheme"}
        plan = plan_file(content, "appendix-b.csv", "CC", mapping=mapping)
        assert plan.ok, plan.problems
        held = export_all(["CC"])["reviews"][0]
        db.session.rollback()
    data = plan.conversion.data
    first, third = data["actions"][0], data["actions"][2]
    assert first["measures"][0]["measured_output"] == OUTPUT
    assert first["owner"]["name"] == OWNER
    assert third["title"] == QUOTED
    assert THEME in {t["name"] for t in data["themes"]}
    assert first["theme"] == held["actions"][0]["theme"]  # the theme was found by its name
    # Read back against the plan they came from, those actions would not change at all.
    assert {first["ref"], third["ref"]} <= set(plan.preview.unchanged), plan.preview.update


# --- a formula in an imported file ------------------------------------------------------------------

HEADER = ["Ref-Id", "Title", "Detail", "Measured output"]


def xlsx_bytes(rows, *, as_text: bool = False) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    if as_text:
        for row in book.active.iter_rows():
            for cell in row:
                cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("name, make", [
    ("raw.csv", lambda rows: csv_bytes(rows)),
    ("formula.xlsx", lambda rows: xlsx_bytes(rows)),
    ("text.xlsx", lambda rows: xlsx_bytes(rows, as_text=True)),
])
def test_a_raw_formula_is_refused_alike_in_csv_and_xlsx(hostile, name, make):
    """=1+1 in a CSV, in an XLSX formula cell and in an XLSX text cell: the same refusal, naming
    the row and column, and the review is unchanged."""
    app, _ = hostile
    rows = [HEADER, ["CC-01-ENV-01", "Road signs", "=1+1", "Done"]]
    with app.app_context():
        before = export_all(["CC"])
        plan = plan_file(make(rows), name, "CC")
        assert not plan.ok
        assert [str(p) for p in plan.problems] == [str(plan.problems[0])]
        message = str(plan.problems[0])
        assert "Row 2, column C (Detail)" in message and "formula" in message and "=1+1" in message
        assert export_all(["CC"]) == before


def test_the_text_form_of_a_formula_is_read_as_text_in_csv(hostile):
    """'=1+1 in a CSV is the text =1+1 (what our CSV exports write for it)."""
    app, _ = hostile
    rows = [HEADER, ["CC-01-ENV-01", "Road signs", "'=1+1", "'-2 signs left"]]
    with app.app_context():
        plan = plan_file(csv_bytes(rows), "text.csv", "CC")
        db.session.rollback()
    assert plan.ok, plan.problems
    data = plan.conversion.data
    measure = data["actions"][0]["measures"][0]
    assert (measure["text"], measure["measured_output"]) == ("=1+1", "-2 signs left")


def test_a_formula_typed_into_an_exported_workbook_is_refused_and_changes_nothing(hostile):
    app, _ = hostile
    with app.app_context():
        before = export_all(["CC"])
        book = load_workbook(io.BytesIO(review_workbook(before["reviews"][0])))
        book["Measures"]["G2"] = "=1+1"
        out = io.BytesIO()
        book.save(out)
        plan = plan_file(out.getvalue(), "cc-export.xlsx", "CC")
        assert not plan.ok and "Measures!G2 holds a formula" in str(plan.problems[0])
        assert export_all(["CC"]) == before


@pytest.mark.parametrize("name, make", [("raw.csv", csv_bytes), ("formula.xlsx", xlsx_bytes)])
def test_uploading_or_importing_a_formula_is_refused_on_the_page_and_the_command_line(hostile, name, make, tmp_path):
    app, _ = hostile
    content = make([HEADER, ["CC-01-ENV-01", "Road signs", "=1+1", "Done"]])
    with app.app_context():
        before = export_all(["CC"])
    manager = Client(app, "manager")
    response = manager.post("/imports", token_from="/imports", data={
        "review": "CC", "file": (io.BytesIO(content), name)}, content_type="multipart/form-data")
    # Refused at the upload itself (the file is read once, there): no preview to confirm.
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Row 2, column C (Detail)" in page and "formula" in page
    path = tmp_path / name
    path.write_bytes(content)
    result = app.test_cli_runner().invoke(args=["import", str(path), "--review", "CC"])
    assert result.exit_code != 0 and "Row 2, column C (Detail)" in result.output
    with app.app_context():
        assert export_all(["CC"]) == before
