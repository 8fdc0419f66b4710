"""A recommendation's response (accepted / partly accepted / rejected, and when) is kept apart
from its progress: recorded, shown, exported, never mixed into the status commentary."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.web.versions import version_in_form
from tracker.domain.responses import parse_response
from tracker.extensions import db
from tracker.models import Change, Recommendation


def rec(app, number):
    with app.app_context():
        found = db.session.scalar(select(Recommendation).where(Recommendation.number == number))
        db.session.expunge(found)
        return found


def test_the_seed_response_is_shown_apart_from_progress(client_for):
    page = client_for("committee").get("/recommendations/1").get_data(as_text=True)
    assert '<p class="govuk-body" data-testid="response">Accepted, 27 November 2002</p>' in page
    assert "Complete. A separate customer service unit has been created" in page
    assert "Record the council&#39;s response" not in page  # a committee member cannot change it
    listing = client_for("committee").get("/recommendations").get_data(as_text=True)
    assert listing.count("<strong>Response:</strong> Accepted, 27 November 2002") == 15


def test_a_manager_records_a_response_and_the_history_keeps_the_old_one(app, client_for):
    before = rec(app, 4)
    manager = client_for("manager")
    response = manager.post("/recommendations/4/response", token_from="/recommendations/4", data={
        "response": "partly_accepted", "response_on": "2003-01-15", "note": "Executive minute EX.12/03",
        "version": version_in_form(manager, "/recommendations/4", "/recommendations/4/response")})
    assert response.status_code == 303
    after = rec(app, 4)
    assert (after.response, after.response_on.isoformat()) == ("partly_accepted", "2003-01-15")
    assert after.status_text == before.status_text  # progress untouched
    assert after.version == before.version + 1  # one version per row: a form built before this is stale
    page = manager.get("/recommendations/4").get_data(as_text=True)
    assert "Partly accepted, 15 January 2003" in page
    with app.app_context():
        changes = db.session.scalars(select(Change).where(Change.entity_label == "Recommendation 4",
                                                          Change.field.in_(["response", "response_on"]))
                                     .order_by(Change.field)).all()
        assert [(c.field, c.before, c.after, c.note) for c in changes] == [
            ("response", "accepted", "partly_accepted", "Executive minute EX.12/03"),
            ("response_on", "2002-11-27", "2003-01-15", "Executive minute EX.12/03")]


@pytest.mark.parametrize("form, message", [
    ({"response": "accepted", "response_on": "next week"}, "Date decided must be a real date"),
    ({"response": "accepted", "response_on": "31/2/2003"}, "Date decided must be a real date"),
    ({"response": "accepted", "response_on": "2999-01-01"}, "cannot be in the future"),
    ({"response": "welcomed", "response_on": ""}, "Choose a response from the list"),
    ({"response": "", "response_on": "2003-01-15"}, "Choose the response that was decided on that date"),
])
def test_bad_input_is_refused_kept_in_the_form_and_changes_nothing(app, client_for, form, message):
    manager = client_for("manager")
    version = version_in_form(manager, "/recommendations/4", "/recommendations/4/response")
    response = manager.post("/recommendations/4/response", token_from="/recommendations/4",
                            data={**form, "version": version})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    if form["response_on"]:
        assert f'value="{form["response_on"]}"' in page  # what was typed is not lost
    after = rec(app, 4)
    assert (after.response, after.response_on.isoformat()) == ("accepted", "2002-11-27")


def test_a_committee_member_cannot_record_a_response_even_with_a_forged_form(app, client_for):
    member = client_for("committee")
    response = member.post("/recommendations/4/response", token_from="/recommendations/4",
                           data={"response": "rejected", "response_on": "2003-01-15"})
    assert response.status_code == 403 and rec(app, 4).response == "accepted"


def test_parse_response_reads_labels_and_refuses_other_words():
    assert parse_response("Partly accepted") == parse_response("partly-accepted") == "partly_accepted"
    assert parse_response(" ") is None
    with pytest.raises(ValueError, match="use one of: Accepted, Partly accepted, Rejected"):
        parse_response("Noted")
