"""Review codes that would break a URL, a header or a file name are refused by every way a review is made.

Codes end up in /public/CODE, ?review=CODE and download file names, so a line break, a quote, a
slash or 300 characters must never get into the database: each creation path says why and writes
nothing.
"""
from __future__ import annotations

import io
import json
import shutil

import pytest
import yaml
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.conftest import ROOT
from tests.web.files import ONE_ROW_PER_MEASURE, csv_bytes, xlsx
from tracker.downloads import content_disposition
from tracker.extensions import db
from tracker.imports.operations import plan_file
from tracker.imports.plan_data import PlanError, apply_plan
from tracker.models import Action, Review

BAD_CODES = {
    "crlf": "CC\r\nSet-Cookie: x=1",
    "quote": 'C"C',
    "slash": "CC/../admin",
    "long": "C" * 300,
    "dot-dot": "..",
    "space": "C C",
    "leading-dash": "-CC",
    "nul": "C\x00C",
}
CLI_CODES = {k: v for k, v in BAD_CODES.items() if k != "nul"}  # argv cannot carry a NUL byte

# What every refusal says.
RULE_WORDS = "letters, digits, &#39;-&#39; or &#39;_&#39;"


def _reviews(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(select(Review.code).order_by(Review.code)).all()


def _seed_review(code) -> dict:
    data = yaml.safe_load((ROOT / "seeds" / "reviews" / "cc.yaml").read_text(encoding="utf-8"))
    data["review"]["code"] = code
    return data


@pytest.mark.parametrize("code", CLI_CODES.values(), ids=CLI_CODES.keys())
def test_a_seed_file_with_a_bad_code_loads_nothing(empty_app, tmp_path, code):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "reviews" / "cc.yaml").write_text(yaml.safe_dump(_seed_review(code), allow_unicode=True),
                                               encoding="utf-8")
    result = empty_app.test_cli_runner().invoke(args=["seed", "--dir", str(seeds)])
    assert result.exit_code == 1
    assert "Nothing was loaded" in result.output and "cc.yaml: review.code:" in result.output
    assert "letters, digits, '-' or '_'" in result.output
    assert _reviews(empty_app) == []


@pytest.mark.parametrize("code", BAD_CODES.values(), ids=BAD_CODES.keys())
def test_whole_plan_data_with_a_bad_code_is_refused(empty_app, code):
    """The JSON export's shape (apply_plan), as `flask export --format json` writes it."""
    with empty_app.app_context():
        with pytest.raises(PlanError) as refused:
            apply_plan(json.loads(json.dumps(_seed_review(code), default=str)))
        message = str(refused.value)
        assert "review.code" in message and ("cannot be a review code" in message or "characters long" in message)
        db.session.rollback()
    assert _reviews(empty_app) == []


@pytest.mark.parametrize("code", BAD_CODES.values(), ids=BAD_CODES.keys())
def test_the_import_page_refuses_a_bad_code(app, client_for, code):
    manager = client_for("manager")
    before = _reviews(app)
    response = manager.post("/imports", token_from="/imports", data={
        "review": code, "file": (io.BytesIO(xlsx(ONE_ROW_PER_MEASURE)), "tracker.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    if "\x00" not in code:  # a NUL is refused earlier, for every form (test_hostile_requests)
        assert RULE_WORDS in body
    assert _reviews(app) == before


@pytest.mark.parametrize("code", CLI_CODES.values(), ids=CLI_CODES.keys())
def test_the_import_command_refuses_a_bad_code(app, tmp_path, code):
    path = tmp_path / "tracker.csv"
    path.write_bytes(csv_bytes(ONE_ROW_PER_MEASURE))
    before = _reviews(app)
    result = app.test_cli_runner().invoke(args=["import", str(path), "--review", code])
    assert result.exit_code == 1
    assert "Nothing was imported" in result.output and "letters, digits, '-' or '_'" in result.output
    assert _reviews(app) == before


@pytest.mark.parametrize("code", CLI_CODES.values(), ids=CLI_CODES.keys())  # no NUL in a worksheet
def test_an_exported_workbook_or_paper_cannot_bring_in_a_bad_code(app, client_for, code):
    """The workbook carries its own code; with no code given, that one is used, and checked."""
    workbook = client_for("manager").get("/exports/CC.xlsx").data
    book = load_workbook(io.BytesIO(workbook))
    replaced = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value == "CC":
                    cell.value = code
                    replaced += 1
    out = io.BytesIO()
    book.save(out)
    before = _reviews(app)
    with app.app_context():
        plan = plan_file(out.getvalue(), "plan.xlsx", "")
        assert not plan.ok
        if replaced:
            assert any("review code" in str(p) for p in plan.problems), plan.problems
        for typed in (code, f"  {code}  "):
            for name, content in (("plan.xlsx", workbook), ("paper.txt", b"1. Do something"),
                                  ("t.csv", csv_bytes(ONE_ROW_PER_MEASURE))):
                plan = plan_file(content, name, typed)
                assert not plan.ok and any("review code" in str(p) for p in plan.problems), (name, plan.problems)
    assert _reviews(app) == before


def test_good_codes_still_import(app):
    with app.app_context():
        for code in ("BVR-2026", "x_1", "Z" * 20):
            plan = plan_file(csv_bytes(ONE_ROW_PER_MEASURE), "t.csv", code)
            assert plan.ok, plan.problems
        assert db.session.scalar(select(func.count(Action.id))) > 0


@pytest.mark.parametrize("name", [
    'CC"; filename="evil.exe', "CC\r\nSet-Cookie: x=1.pdf", "../../etc/passwd", "Tourist – Centre ñ.pdf", "\x00",
])
def test_download_names_cannot_break_the_header(name):
    header = content_disposition(name)
    assert "\r" not in header and "\n" not in header and "\x00" not in header
    plain = header.split('filename="', 1)[1].split('"', 1)[0]
    assert plain and all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in plain)
    assert header.count('"') == 2 and "/" not in header and not plain.startswith(".")


def test_a_site_name_with_quotes_and_slashes_downloads_under_a_safe_name(app, client_for):
    from tracker.models import Assessment
    with app.app_context():
        assessment = db.session.scalar(select(Assessment).order_by(Assessment.id))
        assessment.site = 'Front "desk" / Tourist – Info'
        db.session.commit()
        number = assessment.id
    response = client_for("manager").get(f"/standards/cse/assessments/{number}/readiness.csv")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="CSE-readiness-front-desk-tourist-info-')
    assert disposition.count('"') == 2
