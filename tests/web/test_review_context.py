"""Which review a page shows is decided at the web layer; the default is the main review, not the
alphabetically first, and queries take plain arguments."""
from __future__ import annotations

import re

import yaml
from sqlalchemy import select

from tests.conftest import ROOT
from tracker.extensions import db
from tracker.imports.plan_data import apply_plan
from tracker.models import Change, Review


def second_review(code: str = "A1", owner: str = "Zed Other", project: str = "OTH") -> dict:
    """A small review of the same council, with its own owner and a measure waiting on its own project."""
    data = yaml.safe_load((ROOT / "seeds" / "reviews" / "cc.yaml").read_text(encoding="utf-8"))
    data["review"].update(code=code, title=f"Review {code}", ref_pattern=code + r"-{theme}-\d{2}")
    data["projects"] = [{"code": project, "name": "Other review's project", "status": "in_progress",
                         "aliases": [project]}]
    data["themes"] = [{"code": "ENV", "name": "Environment", "subthemes": []}]
    data["recommendations"] = []
    data["actions"] = [{"ref": f"{code}-ENV-01", "title": "Something else", "theme": "ENV", "subtheme": None,
                        "owner": owner, "comment": None,
                        "measures": [{"number": 1, "text": "Do it", "measured_output": "Waiting on it",
                                      "depends_on": project}]}]
    return data


def import_review(app, data) -> None:
    with app.app_context():
        apply_plan(data)
        db.session.commit()


def heading(client, url: str) -> str:
    """The page's main heading, as a reader sees it."""
    return client.page(url).text_of("h1.govuk-heading-l")


def test_the_seeded_review_is_the_main_one(app):
    with app.app_context():
        assert db.session.scalars(select(Review.code).where(Review.is_main.is_(True))).all() == ["CC"]


def test_importing_a_review_coded_a1_does_not_change_where_people_land(app, client_for):
    import_review(app, second_review("A1"))
    assert heading(client_for("committee"), "/") == "Best Value Review of Customer Contact"
    actions = client_for("manager").page("/actions").texts("td.app-ref a")
    assert "CC-01-ENV-01" in actions and "A1-ENV-01" not in actions


def test_without_a_main_review_the_earliest_created_is_the_default(app, client_for):
    with app.app_context():
        db.session.scalar(select(Review).where(Review.code == "CC")).is_main = False
        db.session.commit()
    import_review(app, second_review("A1"))
    assert heading(client_for("committee"), "/") == "Best Value Review of Customer Contact"


def test_a_chosen_review_is_remembered_and_an_unknown_one_is_404(app, client_for):
    import_review(app, second_review("A1"))
    user = client_for("committee")
    assert heading(user, "/?review=A1") == "Review A1"
    assert "A1-ENV-01" in user.page("/actions").texts("td.app-ref a")  # remembered in the session
    assert user.get("/actions?review=NOPE").status_code == 404
    assert "A1-ENV-01" in user.page("/actions").texts("td.app-ref a")  # the bad code changed nothing


def test_a_manager_makes_another_review_the_main_one(app, client_for):
    import_review(app, second_review("A1"))
    manager = client_for("manager")
    assert "Make A1 the main review" in manager.page("/?review=A1").text
    response = manager.post("/reviews/main", {"code": "A1"}, token_from="/?review=A1")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalars(select(Review.code).where(Review.is_main.is_(True))).all() == ["A1"]
        assert db.session.scalar(select(Change).where(Change.field == "is_main")).after == "True"
    assert heading(client_for("liaison"), "/") == "Review A1"


def test_making_a_review_main_is_refused_to_others_and_for_unknown_codes(app, client_for):
    import_review(app, second_review("A1"))
    liaison = client_for("liaison")
    assert "Make A1 the main review" not in liaison.get("/?review=A1").get_data(as_text=True)
    assert liaison.post("/reviews/main", {"code": "A1"}, token_from="/").status_code == 403
    manager = client_for("manager")
    assert manager.post("/reviews/main", {"code": "NOPE"}, token_from="/").status_code == 400
    with app.app_context():
        assert db.session.scalars(select(Review.code).where(Review.is_main.is_(True))).all() == ["CC"]


def test_the_filters_list_only_this_reviews_owners_and_projects(app, client_for):
    import_review(app, second_review("A1", owner="Zed Other", project="OTH"))
    manager = client_for("manager")
    cc = manager.get("/actions?review=CC").get_data(as_text=True)
    assert "Zed Other" not in cc
    assert "Other review&#39;s project" not in cc and 'value="OTH"' not in cc
    a1 = manager.get("/actions?review=A1").get_data(as_text=True)
    assert "Zed Other" in a1 and 'value="OTH"' in a1


def test_the_queries_module_reads_no_request():
    source = (ROOT / "tracker" / "plan" / "queries.py").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(from\s+flask\b|import\s+flask\b)", source, re.M), \
        "tracker/plan/queries.py must take plain arguments, not read the request"
    for name in ("request", "session[", "abort(", "current_app"):
        assert name not in source
