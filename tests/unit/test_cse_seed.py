"""The Customer Service Excellence seed (seeds/standards/cse.yaml) is complete and word for word
as in its source text (../shared/seeds/003_*.txt), apart from whitespace."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "standards" / "cse.yaml"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"

EXPECTED_SUBCRITERIA = {
    "1": ["1.1", "1.2", "1.3"],
    "2": ["2.1", "2.2"],
    "3": ["3.1", "3.2", "3.3", "3.4"],
    "4": ["4.1", "4.2", "4.3"],
    "5": ["5.1", "5.2", "5.3"],
}
ELEMENTS_PER_SUBCRITERION = {
    "1.1": 3, "1.2": 3, "1.3": 5, "2.1": 6, "2.2": 5, "3.1": 2, "3.2": 4, "3.3": 3, "3.4": 3,
    "4.1": 3, "4.2": 4, "4.3": 6, "5.1": 2, "5.2": 5, "5.3": 3,
}
EXPECTED_CODES = [f"{sub}.{i}" for sub, n in ELEMENTS_PER_SUBCRITERION.items() for i in range(1, n + 1)]


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def standard() -> dict:
    return yaml.safe_load(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def source() -> str:
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"source texts not available: {SHARED_SEEDS} is absent")
    found = sorted(SHARED_SEEDS.glob("003_*.txt"))
    if not found:
        pytest.skip(f"source text 003_*.txt not found in {SHARED_SEEDS}")
    return collapse(found[0].read_text(encoding="utf-8"))


def all_elements(standard: dict) -> list[dict]:
    return [e for c in standard["criteria"] for s in c["subcriteria"] for e in s["elements"]]


def test_header(standard):
    assert standard["code"] == "CSE"
    assert standard["name"] == "Customer Service Excellence"
    assert standard["source"]


def test_counts(standard):
    criteria = standard["criteria"]
    assert len(criteria) == 5
    assert sum(len(c["subcriteria"]) for c in criteria) == 15
    assert len(all_elements(standard)) == 57


def test_numbers_and_codes_are_strings_in_order(standard):
    assert [c["number"] for c in standard["criteria"]] == list(EXPECTED_SUBCRITERIA)
    for c in standard["criteria"]:
        assert isinstance(c["number"], str)
        assert c["title"] and c["description"]
        assert [s["number"] for s in c["subcriteria"]] == EXPECTED_SUBCRITERIA[c["number"]]
        for s in c["subcriteria"]:
            assert isinstance(s["number"], str) and s["title"]
            for e in s["elements"]:
                assert isinstance(e["code"], str)
                assert e["code"].startswith(s["number"] + "."), e["code"]
    codes = [e["code"] for e in all_elements(standard)]
    assert len(set(codes)) == len(codes)
    assert codes == EXPECTED_CODES


def test_elements_are_verbatim(standard, source):
    for e in all_elements(standard):
        assert e["text"].strip() and e["guidance"].strip(), e["code"]
        for field in ("text", "guidance"):
            assert e[field] == collapse(e[field]), f"{e['code']} {field}: stray whitespace"
            assert collapse(e[field]) in source, f"{e['code']} {field} not found in the source"
        # the element's whole row: code, text and guidance in sequence
        row = collapse(f"{e['code']} {e['text']} {e['guidance']}")
        assert row in source, f"{e['code']}: text and guidance are not one row of the source"


def test_titles_and_descriptions_are_verbatim(standard, source):
    for c in standard["criteria"]:
        assert collapse(c["title"]) in source, c["number"]
        for paragraph in c["description"].split("\n\n"):
            assert collapse(paragraph) in source, f"criterion {c['number']} description"
        for s in c["subcriteria"]:
            assert collapse(s["title"]) in source, s["number"]
