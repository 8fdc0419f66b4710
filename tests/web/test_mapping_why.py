"""Why an action is evidence for an element: stored on the link, shown beside the element on the
action's elements page, given (optionally) when mapping and changed there; refused when too long
or when the person may not map."""
from __future__ import annotations

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Action, Change, Element
from tracker.models.standards import action_element

PAGE = "/standards-mapping/CC-44-PERF-05?review=CC"
SEEDED_WHY = "Regular customer satisfaction surveys"  # seeds/mappings/cse_cc.yaml, CC-44-PERF-05


def why_of(app, ref, code):
    with app.app_context():
        return db.session.scalar(
            select(action_element.c.why).join(Action, Action.id == action_element.c.action_id)
            .join(Element, Element.id == action_element.c.element_id)
            .where(Action.ref == ref, Element.code == code))


def test_the_seeded_reason_is_shown_beside_each_element(client_for):
    html = client_for("committee").get(PAGE).get_data(as_text=True)
    assert 'data-testid="mapping-why"' in html and SEEDED_WHY in html
    assert "Say why" not in html and "Change why" not in html  # committee reads, does not edit


def test_map_with_a_reason_from_the_action_side(app, client_for):
    manager = client_for("manager")
    response = manager.post("/standards/cse/elements/4.2.3/actions?review=CC", token_from=PAGE,
                            data={"ref": "CC-87-ORG-32", "back": "picker", "q": "benchmark",
                                  "why": "  Benchmarks   the service against others. "})
    assert response.status_code == 303
    assert why_of(app, "CC-87-ORG-32", "4.2.3") == "Benchmarks the service against others."
    html = manager.get("/standards-mapping/CC-87-ORG-32?review=CC").get_data(as_text=True)
    assert "Benchmarks the service against others." in html


def test_map_without_a_reason_is_allowed(app, client_for):
    manager = client_for("manager")
    response = manager.post("/standards/cse/elements/4.2.3/actions?review=CC", token_from=PAGE,
                            data={"ref": "CC-87-ORG-32", "back": "picker"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(action_element).join(
            Element, Element.id == action_element.c.element_id).join(Action, Action.id == action_element.c.action_id)
            .where(Action.ref == "CC-87-ORG-32", Element.code == "4.2.3")) == 1
    assert why_of(app, "CC-87-ORG-32", "4.2.3") is None
    assert "Say why" in manager.get("/standards-mapping/CC-87-ORG-32?review=CC").get_data(as_text=True)


def test_change_the_reason_of_an_existing_link_is_recorded(app, client_for):
    manager = client_for("manager")
    old = why_of(app, "CC-44-PERF-05", "1.3.1")
    assert old and SEEDED_WHY in old
    response = manager.post("/standards/cse/elements/1.3.1/actions?review=CC", token_from=PAGE,
                            data={"ref": "CC-44-PERF-05", "back": "picker", "why": "Surveys every quarter."})
    assert response.status_code == 303
    assert why_of(app, "CC-44-PERF-05", "1.3.1") == "Surveys every quarter."
    with app.app_context():
        change = db.session.scalar(select(Change).where(Change.field == "standard_element_why"))
        assert change.entity_label == "CC-44-PERF-05"
        assert change.before == f"CSE 1.3.1: {old}" and change.after == "CSE 1.3.1: Surveys every quarter."
    # An empty reason never erases one already given.
    again = manager.post("/standards/cse/elements/1.3.1/actions?review=CC", token_from=PAGE,
                         data={"ref": "CC-44-PERF-05", "back": "picker", "why": "   "})
    assert again.status_code == 303
    assert why_of(app, "CC-44-PERF-05", "1.3.1") == "Surveys every quarter."


def test_a_reason_too_long_is_refused_and_nothing_changes(app, client_for):
    manager = client_for("manager")
    old = why_of(app, "CC-44-PERF-05", "1.3.1")
    response = manager.post("/standards/cse/elements/1.3.1/actions?review=CC", token_from=PAGE,
                            data={"ref": "CC-44-PERF-05", "back": "picker", "why": "x" * 2001})
    assert response.status_code == 400
    assert "2000 characters or fewer" in response.get_data(as_text=True)
    assert why_of(app, "CC-44-PERF-05", "1.3.1") == old


def test_committee_cannot_change_a_reason(app, client_for):
    committee = client_for("committee")
    old = why_of(app, "CC-44-PERF-05", "1.3.1")
    response = committee.post("/standards/cse/elements/1.3.1/actions?review=CC", token_from=PAGE,
                              data={"ref": "CC-44-PERF-05", "why": "Hijacked."})
    assert response.status_code == 403
    assert why_of(app, "CC-44-PERF-05", "1.3.1") == old


def test_map_with_a_reason_from_the_element_page(app, client_for):
    manager = client_for("manager")
    page = manager.get("/standards/cse/elements/1.3.1?review=CC&q=survey").get_data(as_text=True)
    assert 'name="why"' in page  # the element page's picker offers the reason too
    response = manager.post("/standards/cse/elements/1.3.1/actions?review=CC", token_from="/standards/cse/elements/1.3.1",
                            data={"ref": "CC-45-PERF-06", "back": "element", "why": "Acts on survey results."})
    assert response.status_code == 303
    assert why_of(app, "CC-45-PERF-06", "1.3.1") == "Acts on survey results."
