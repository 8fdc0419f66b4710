"""A recommendation's status is rolled up from the actions that deliver it, by rules stated in
words, and can be set by hand only with a reason, shown beside what the roll-up says."""
from __future__ import annotations

from sqlalchemy import select

from tests.web.versions import version_in_form
from tracker.extensions import db
from tracker.models import Action, Change, Recommendation
from tracker.plan.operations import link_recommendation
from tracker.plan.queries import RECOMMENDATION_LOAD, recommendation_status


def status_of(app, number):
    with app.app_context():
        rec = db.session.scalar(select(Recommendation).where(Recommendation.number == number)
                                .options(*RECOMMENDATION_LOAD))
        return recommendation_status(rec)


def test_status_is_rolled_up_from_the_linked_actions_measures(app, client_for):
    st = status_of(app, 1)  # delivered by four actions in the seed
    with app.app_context():
        rec = db.session.scalar(select(Recommendation).where(Recommendation.number == 1))
        measures = [m.status for a in rec.actions for m in a.measures]
    assert not st.overridden and st.reason.startswith("From the measures of the 4 actions that deliver it: ")
    assert f"of {len(measures)} " in st.reason  # the numerator and denominator are stated
    page = client_for("committee").get("/recommendations/1").get_data(as_text=True)
    assert st.reason.replace("'", "&#39;") in page
    none = status_of(app, 15)
    assert (none.category, none.reason) == (None, "No actions are linked to it, so its status cannot be rolled up")


def test_set_by_hand_needs_a_reason_and_shows_the_roll_up_beside_it(app, client_for):
    derived = status_of(app, 1)
    manager = client_for("manager")
    version = lambda: version_in_form(manager, "/recommendations/1", "/recommendations/1/status")  # noqa: E731
    refused = manager.post("/recommendations/1/status", token_from="/recommendations/1",
                           data={"status_override": "complete", "status_override_reason": "  ", "version": version()})
    assert refused.status_code == 400 and "Say why the status is set by hand" in refused.get_data(as_text=True)
    assert not status_of(app, 1).overridden
    bad = manager.post("/recommendations/1/status", token_from="/recommendations/1",
                       data={"status_override": "finished", "status_override_reason": "Because",
                             "version": version()})
    assert bad.status_code == 400 and "Because</textarea>" in bad.get_data(as_text=True)  # typed text kept
    done = manager.post("/recommendations/1/status", token_from="/recommendations/1", data={
        "status_override": "complete", "status_override_reason": "The unit exists; its remaining actions are CCC's",
        "version": version()})
    assert done.status_code == 303
    st = status_of(app, 1)
    assert (st.category, st.overridden, st.reason) == (
        "complete", True, "Set by hand: The unit exists; its remaining actions are CCC's")
    assert st.derived.category == derived.category
    page = manager.get("/recommendations/1").get_data(as_text=True)
    assert "Rolled up from its actions it would be" in page
    with app.app_context():
        change = db.session.scalar(select(Change).where(Change.field == "status_override"))
        assert (change.before, change.after) == (None, "complete")
    manager.post("/recommendations/1/status", token_from="/recommendations/1",
                 data={"status_override": "", "version": version()})
    assert status_of(app, 1) == derived


def test_a_committee_member_cannot_set_it(app, client_for):
    response = client_for("committee").post("/recommendations/1/status", token_from="/recommendations/1",
                                            data={"status_override": "complete", "status_override_reason": "x"})
    assert response.status_code == 403 and not status_of(app, 1).overridden


def test_the_list_rolls_up_every_recommendation_in_a_fixed_number_of_queries(app, client_for, count_queries):
    app.config["PAGE_STORE_MB"] = 0  # the statements of drawing the page, every time
    reader = client_for("committee")
    reader.get("/recommendations")
    with count_queries() as before:
        page = reader.page("/recommendations")
    assert page.texts("strong").count("Status:") == 15
    with app.app_context():
        rec = db.session.scalar(select(Recommendation).where(Recommendation.number == 15))
        for action in db.session.scalars(select(Action).limit(30)):
            link_recommendation(rec, action)
        db.session.commit()
    with count_queries() as after:
        reader.get("/recommendations")
    assert len(after) == len(before)
