"""Exports: JSON and XLSX of a whole review; an XLSX export imports back into an empty database unchanged."""
from __future__ import annotations

import io
import json

from openpyxl import load_workbook

from tracker.exports.plan_json import export_all
from tracker.exports.plan_xlsx import review_workbook
from tracker.imports.operations import apply_import, plan_file


def test_xlsx_export_is_readable_one_sheet_per_table(app):
    with app.app_context():
        data = export_all(["CC"])["reviews"][0]
    book = load_workbook(io.BytesIO(review_workbook(data)))
    assert book.sheetnames == ["Measures", "Recommendations", "Variations", "Themes", "Projects", "Review"]
    rows = list(book["Measures"].iter_rows(values_only=True))
    assert rows[0][:7] == ("Ref-Id", "Title", "Central issue", "Sub-issue", "Measure number", "Detail", "Measured output")
    assert len(rows) == 117 and rows[1][0] == "CC-01-ENV-01" and rows[1][6] == "One new road sign has been installed."
    assert len(list(book["Variations"].iter_rows())) == 10


def test_xlsx_round_trip_into_an_empty_database_gives_the_same_plan(app, empty_app):
    with app.app_context():
        original = export_all(["CC"])["reviews"][0]
    content = review_workbook(original)
    with empty_app.app_context():
        plan = plan_file(content, "cc-export.xlsx", "CC")
        assert plan.ok, plan.problems
        apply_import(plan)
        again = export_all(["CC"])["reviews"][0]
    assert json.dumps(again, sort_keys=True) == json.dumps(original, sort_keys=True)


def test_json_export_loads_back_with_seed_shape(app, empty_app, tmp_path):
    """Reviews, standards, CSE mappings and assessments: the same shapes as the seed files, so
    an export loads into an empty database and exports again unchanged."""
    result = app.test_cli_runner().invoke(args=["export", "--output", str(tmp_path / "plan.json")])
    assert result.exit_code == 0
    data = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    with empty_app.app_context():
        from tracker.extensions import db
        from tracker.imports.plan_data import apply_plan
        from tracker.imports.standard_data import apply_standard
        for standard in data["standards"]:
            apply_standard(standard)
        apply_plan(data["reviews"][0])
        from tracker.imports.mapping_data import apply_assessment, apply_mapping
        for mapping in data["mappings"]:
            apply_mapping(mapping)
        for assessment in data["assessments"]:
            apply_assessment(assessment)
        db.session.commit()
        assert export_all() == data
    assert len(data["mappings"][0]["mappings"]) == 87
    assert data["mappings"][0]["mappings"]["CC-01-ENV-01"]["elements"] == ["3.1.1"]
    assert data["mappings"][0]["mappings"]["CC-01-ENV-01"]["why"].startswith("Road signs, finger posts")
    assert [(a["site"], a["review"]) for a in data["assessments"]] == [
        ("Customer Contact Centre", "CC"), ("Revenues and Benefits", "CC"), ("Tourist Information Centre", "CC")]


def test_download_exports_from_the_ui(client_for):
    client = client_for("committee")
    response = client.get("/exports/CC.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.data)).sheetnames[0] == "Measures"
    response = client.get("/exports/CC.json")
    assert response.status_code == 200 and response.get_json()["reviews"][0]["review"]["code"] == "CC"
    assert client.get("/exports/NOPE.json").status_code == 404


def test_cli_exports_a_review_as_xlsx(app, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export", "--format", "xlsx", "--review", "CC", "--output", str(tmp_path / "cc.xlsx")])
    assert result.exit_code == 0, result.output
    assert load_workbook(tmp_path / "cc.xlsx")["Measures"].max_row == 117
    result = runner.invoke(args=["export", "--format", "xlsx"])
    assert result.exit_code != 0 and "--format xlsx writes one review" in result.output
