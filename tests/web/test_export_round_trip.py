"""An export, split into seed files, loads back with `flask seed --dir` into an empty database and
exports identically; through the command line, as an operator would do it."""
from __future__ import annotations

import json

import yaml
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Action, Element
from tracker.models.standards import action_element
from tracker.standards.operations import link_action


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def export_json(app, path):
    result = run(app, "export", "--format", "json", "--output", str(path))
    assert result.exit_code == 0, result.output
    return json.loads(path.read_text(encoding="utf-8"))


def test_export_split_seed_export_is_identical(app, empty_app, tmp_path):
    # A reason edited on the page for one element, and a link made with none: both must survive.
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.ref == "CC-01-ENV-01"))
        element = db.session.scalar(select(Element).where(Element.code == "5.3.3"))
        assert link_action(action, element, why=None)
        linked = db.session.scalar(select(Action).join(action_element).where(action_element.c.why.is_not(None))
                                   .order_by(Action.position).limit(1))
        first = linked.elements[0]
        assert link_action(linked, first, why="Edited on the page: the charter names the team.")
        db.session.commit()
    before = export_json(app, tmp_path / "before.json")
    assert before["mappings"] and before["assessments"]

    split = tmp_path / "seeds"
    result = run(app, "export", "--format", "json", "--split", str(split))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in split.iterdir()) == ["assessments", "mappings", "reviews", "standards"]
    # The seed's own shape: one YAML file per review, standard, mapping and assessment.
    review_file = yaml.safe_load((split / "reviews" / "CC.yaml").read_text(encoding="utf-8"))
    assert review_file["review"]["code"] == "CC"

    result = run(empty_app, "seed", "--dir", str(split))
    assert result.exit_code == 0, result.output
    assert "Warning: CC-01-ENV-01" in result.output  # the link with no reason is named, and loaded

    after = export_json(empty_app, tmp_path / "after.json")
    assert after == before


def test_the_why_is_exported_with_each_mapping(app, tmp_path):
    data = export_json(app, tmp_path / "plan.json")
    (cc,) = [m for m in data["mappings"] if m["review"] == "CC"]
    seeded = yaml.safe_load(next((app.config["SEEDS_DIR"] / "mappings").glob("*.yaml")).read_text(encoding="utf-8"))
    for ref, entry in seeded["mappings"].items():
        assert cc["mappings"][ref]["why"] == " ".join(entry["why"].split())
        assert "why_by_element" not in cc["mappings"][ref]


def test_split_refuses_a_folder_that_holds_files(app, tmp_path):
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    result = run(app, "export", "--format", "json", "--split", str(tmp_path))
    assert result.exit_code != 0 and "not empty" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
