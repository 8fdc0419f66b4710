"""The flask commands: seed, export, users create, permissions."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from tests.conftest import ROOT, SHARED_SEEDS
from tracker.extensions import db
from tracker.models import Action, Change, Measure, Recommendation, User

SOURCE_PLAN = SHARED_SEEDS / "004_3f0832b40f0a09ed.txt"


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count(Action.id))), db.session.scalar(select(func.count(Measure.id))),
                db.session.scalar(select(func.count(Change.id))))


def test_seed_twice_changes_nothing(app):
    before = counts(app)
    result = run(app, "seed")
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated" in result.output
    assert counts(app) == before


def test_export_json_reproduces_the_source_plan_word_for_word(app, tmp_path):
    out = tmp_path / "plan.json"
    result = run(app, "export", "--format", "json", "--output", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    (review,) = data["reviews"]
    actions = review["actions"]
    assert len(actions) == 87
    assert [a["ref"] for a in actions][:2] == ["CC-01-ENV-01", "CC-02-ENV-02"]
    assert actions[-1]["ref"] == "CC-87-ORG-32"
    measures = [m for a in actions for m in a["measures"]]
    assert len(measures) == 116
    assert len(review["recommendations"]) == 15
    assert [v["label"] for v in review["recommendations"][14]["variations"]] == \
        ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"]
    (standard,) = data["standards"]
    elements = [e for c in standard["criteria"] for s in c["subcriteria"] for e in s["elements"]]
    assert len(elements) == 57 and elements[0]["code"] == "1.1.1" and elements[-1]["code"] == "5.3.3"
    if not SOURCE_PLAN.exists():
        pytest.skip("shared/seeds is not beside the repository")
    source = collapse(SOURCE_PLAN.read_text(encoding="utf-8"))
    # Every ref, title, measure and output occurs in the source, in the source's order.
    position = 0
    for action in actions:
        for text in [action["ref"], action["title"]] + [m["text"] for m in action["measures"]]:
            found = source.find(collapse(text), position)
            assert found >= 0, f"{action['ref']}: {text!r} not found in order in the source"
            position = found
        for m in action["measures"]:
            assert collapse(m["measured_output"]) in source, f"{action['ref']} output {m['number']}"
            assert m["status"] and set(m) >= {"number", "text", "measured_output", "status", "depends_on"}
    for rec in review["recommendations"]:
        assert collapse(rec["text"]) in source and collapse(rec["status_text"]) in source
    source_cse = collapse((SHARED_SEEDS / "003_44495672f9921680.txt").read_text(encoding="utf-8"))
    for element in elements:
        assert collapse(element["text"]) in source_cse


def test_export_to_stdout_and_unknown_review(app):
    result = run(app, "export", "--format", "json", "--review", "CC")
    assert result.exit_code == 0 and json.loads(result.output)["reviews"][0]["review"]["code"] == "CC"
    result = run(app, "export", "--review", "NOPE")
    assert result.exit_code != 0 and "no review with code NOPE" in result.output


def _bad_seed(tmp_path: Path, mutate) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", target)
    path = target / "reviews" / "cc.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mutate(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target


def _dup_ref(d):
    d["actions"][1]["ref"] = d["actions"][0]["ref"]


def _bad_pattern(d):
    d["actions"][0]["ref"] = "CC-1-ENV-01"


def _missing_output(d):
    d["actions"][0]["measures"][1]["measured_output"] = None


def _unknown_theme(d):
    d["actions"][0]["theme"] = "XYZ"


def _wrong_theme_in_ref(d):
    d["actions"][0]["theme"] = "OWN"


def _bad_response(d):
    d["recommendations"][0]["response"] = "welcomed"


@pytest.mark.parametrize("mutate, message", [
    (_bad_response, "response 'welcomed' must be one of"),
    (_dup_ref, "is used twice"),
    (_bad_pattern, "does not follow this review's pattern"),
    (_missing_output, "has no measured output"),
    (_unknown_theme, "unknown theme 'XYZ'"),
    (_wrong_theme_in_ref, "names theme 'ENV' but the action is under theme 'OWN'"),
], ids=["unknown-response", "duplicate-ref", "ref-breaks-pattern", "measure-without-output", "unknown-theme", "ref-names-other-theme"])
def test_bad_seed_is_refused_and_nothing_is_written(empty_app, tmp_path, mutate, message):
    seeds = _bad_seed(tmp_path, mutate)
    result = run(empty_app, "seed", "--dir", str(seeds))
    assert result.exit_code == 1
    assert "Nothing was loaded" in result.output and message in result.output
    with empty_app.app_context():
        assert db.session.scalar(select(func.count(Action.id))) == 0
        assert db.session.scalar(select(func.count(Recommendation.id))) == 0


@pytest.mark.parametrize("pattern, refs", [
    (r"SC\d+", ["SC18", "SC7"]),
    (r"R\d+", ["R1", "R2"]),
    (r"\d+\.\d+", ["1.1", "2.10"]),
    (r"\d{2} {theme} \d{2}", ["22 CTAX 01", "22 CTAX 02"]),
])
def test_other_councils_ref_patterns_load_without_code_changes(empty_app, tmp_path, pattern, refs):
    theme = "CTAX" if "{theme}" in pattern else "GEN"
    data = {"authority": "Anytown Borough Council",
            "review": {"code": "AT", "title": "Revenues review", "ref_pattern": pattern},
            "themes": [{"code": theme, "name": "Council Tax"}],
            "actions": [{"ref": ref, "title": f"Action {ref}", "theme": theme,
                         "measures": [{"number": 1, "text": "Do it", "measured_output": "Complete"}]}
                        for ref in refs]}
    seeds = tmp_path / "seeds"
    (seeds / "reviews").mkdir(parents=True)
    (seeds / "reviews" / "at.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    result = run(empty_app, "seed", "--dir", str(seeds))
    assert result.exit_code == 0, result.output
    with empty_app.app_context():
        assert sorted(db.session.scalars(select(Action.ref))) == sorted(refs)


def test_users_create_reads_password_twice_from_stdin(app):
    result = run(app, "users", "create", "--email", "new@example.gov.uk", "--name", "New Person",
                 "--role", "manager", input="maple quartz ribbon 7\nmaple quartz ribbon 7\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.email == "new@example.gov.uk")) == "manager"


@pytest.mark.parametrize("args, stdin, message", [
    (["--role", "manager"], "maple quartz ribbon 7\nmaple quartz ribbon 8\n", "do not match"),
    (["--role", "manager"], "short\nshort\n", "12 characters or more"),
    (["--role", "manager"], "qwertyuiop123\nqwertyuiop123\n", "too common"),
    (["--role", "superuser"], "maple quartz ribbon 7\nmaple quartz ribbon 7\n", "Role must be one of"),
])
def test_users_create_refuses_bad_input(app, args, stdin, message):
    result = run(app, "users", "create", "--email", "new@example.gov.uk", "--name", "New Person", *args, input=stdin)
    assert result.exit_code != 0
    assert message in result.output and "nothing was created" in result.output
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "new@example.gov.uk")) is None


def test_users_create_if_missing_leaves_an_existing_user_alone(app):
    with app.app_context():
        before = db.session.execute(select(User.name, User.role, User.password_hash)
                                    .where(User.email == "manager@example.gov.uk")).one()
    # Different case, different name, role and password: nothing of it may reach the account.
    result = run(app, "users", "create", "--email", "Manager@Example.gov.uk", "--name", "Someone Else",
                 "--role", "admin", "--if-missing", input="maple quartz ribbon 7\nmaple quartz ribbon 7\n")
    assert result.exit_code == 0, result.output
    assert "already exists, left as it is" in result.output
    assert "Error" not in result.output
    with app.app_context():
        after = db.session.execute(select(User.name, User.role, User.password_hash)
                                   .where(User.email == "manager@example.gov.uk")).one()
        assert after == before
        assert db.session.scalar(select(func.count(User.id)).where(func.lower(User.email) == "manager@example.gov.uk")) == 1


def test_users_create_if_missing_creates_a_new_user(app):
    result = run(app, "users", "create", "--email", "first@example.gov.uk", "--name", "First Admin",
                 "--role", "admin", "--if-missing", input="maple quartz ribbon 7\nmaple quartz ribbon 7\n")
    assert result.exit_code == 0, result.output
    assert "Created first@example.gov.uk (admin)" in result.output
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.email == "first@example.gov.uk")) == "admin"


def test_users_create_without_if_missing_still_refuses_a_duplicate(app):
    result = run(app, "users", "create", "--email", "manager@example.gov.uk", "--name", "Someone Else",
                 "--role", "admin", input="maple quartz ribbon 7\nmaple quartz ribbon 7\n")
    assert result.exit_code != 0
    assert "nothing was created" in result.output
