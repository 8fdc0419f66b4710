"""The faults a manager met on the plan pages, checked in the HTML they get."""
from __future__ import annotations

import re

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Action, Measure
from tests.web.test_plan_pages import text_of
from tests.web.versions import measure_form, version_in_form

ACTION = "/actions/CC-01-ENV-01"


def test_one_result_matches_and_two_match(client_for):
    manager = client_for("manager")
    one = text_of(manager.get("/actions?q=CC-01-ENV-01"))
    assert "1 action matches these filters" in one and "1 action match these" not in one
    many = text_of(manager.get("/actions?theme=ENV"))
    count = int(re.search(r"(\d+) actions match these filters", many).group(1))
    assert count > 1


def test_a_recommendation_does_not_show_progress_above_a_different_status(client_for):
    page = client_for("committee").get("/recommendations").get_data(as_text=True)
    assert "<strong>Progress:</strong>" not in page
    assert len(re.findall(r"<strong>Status:</strong>", page)) == 15
    assert len(re.findall(r"<strong>Status commentary:</strong>", page)) == 15


def test_a_refused_measure_update_has_an_error_summary_linking_to_the_field(app, client_for):
    manager = client_for("manager")
    response = manager.post(f"{ACTION}/measures/2", data=measure_form(manager, measured_output="   "))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = re.search(r'<div class="govuk-error-summary"[^>]*data-testid="error-summary".*?</ul>', html, re.S)
    assert summary, "the action page has no error summary"
    assert 'href="#measured_output-2"' in summary.group(0) and "Enter the progress text" in summary.group(0)
    assert 'id="measured_output-2"' in html
    assert "<title>Error:" in html
    with app.app_context():
        m = db.session.scalar(select(Measure).join(Action).where(Action.ref == "CC-01-ENV-01", Measure.number == 2))
        assert m.measured_output == "To start"


def test_a_refused_owner_and_date_has_an_error_summary(app, client_for):
    liaison = client_for("liaison")
    data = {"csrf_token": liaison.token(ACTION), "version": version_in_form(liaison, ACTION, f"{ACTION}/assign"),
            "owner_name": "Ann Example", "business_unit": "", "target_date": "next spring", "reason": ""}
    response = liaison.post(f"{ACTION}/assign", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'data-testid="error-summary".*?href="#target_date-day"', html, re.S)
    with app.app_context():
        assert db.session.scalar(select(Action.owner_id).where(Action.ref == "CC-01-ENV-01")) is None
