"""Importing a committee paper into an empty copy of the seeded review, and comparing the result
with the seed: shared by the text, Word and PDF import tests."""
from __future__ import annotations

import json

import yaml

from tests.conftest import ROOT
from tracker.exports.plan_json import export_all
from tracker.extensions import db
from tracker.imports.operations import apply_import, plan_file
from tracker.imports.plan_data import apply_plan


def seeded_plan(app) -> dict:
    with app.app_context():
        return export_all(["CC"])["reviews"][0]


def import_into_empty_review(empty_app, files: list[tuple[bytes, str]]) -> tuple[dict, list]:
    """The review, its themes and projects without actions or recommendations, then each file
    imported in turn; returns the plan as exported and each import's plan (for its notes)."""
    skeleton = yaml.safe_load((ROOT / "seeds" / "reviews" / "cc.yaml").read_text(encoding="utf-8"))
    skeleton["actions"], skeleton["recommendations"] = [], []
    plans = []
    with empty_app.app_context():
        apply_plan(skeleton)
        db.session.commit()
        for content, name in files:
            plan = plan_file(content, name, "CC")
            assert plan.ok, plan.problems
            apply_import(plan)
            plans.append(plan)
        return export_all(["CC"])["reviews"][0], plans


def assert_same_as_seeded(imported: dict, seeded: dict) -> None:
    # A paper does not say which actions deliver which recommendation (those links are the seed's
    # own proposal), nor restate each recommendation's response (the seed takes it from the
    # Executive's approval of the whole review): both are left out of the comparison.
    for plan in (seeded, imported):
        for action in plan["actions"]:
            action.pop("recommendations")
        for rec in plan["recommendations"]:
            rec.pop("response"), rec.pop("response_on")
    assert json.dumps(imported, sort_keys=True) == json.dumps(seeded, sort_keys=True)
