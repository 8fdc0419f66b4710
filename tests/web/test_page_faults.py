"""The faults a manager met on the plan pages, checked in the pages they get."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests.client import Page
from tests.web.versions import measure_form, version_in_form
from tracker.extensions import db
from tracker.models import Action, Measure

ACTION = "/actions/CC-01-ENV-01"


def test_one_result_matches_and_two_match(client_for):
    manager = client_for("manager")
    one = manager.page("/actions?q=CC-01-ENV-01").text_of('[data-testid="result-count"]')
    assert "1 action matches these filters" in one and "1 action match these" not in one
    many = manager.page("/actions?theme=ENV").text_of('[data-testid="result-count"]')
    count = int(re.search(r"(\d+) actions match these filters", many).group(1))  # the words, not the markup
    assert count > 1


def test_a_recommendation_does_not_show_progress_above_a_different_status(client_for):
    page = client_for("committee").page("/recommendations")
    labels = page.texts("strong")
    assert "Progress:" not in labels
    assert labels.count("Status:") == 15
    assert labels.count("Status commentary:") == 15


def test_a_refused_measure_update_has_an_error_summary_linking_to_the_field(app, client_for):
    manager = client_for("manager")
    response = manager.post(f"{ACTION}/measures/2", data=measure_form(manager, measured_output="   "))
    assert response.status_code == 400
    page = Page(response)
    summary = page.one('.govuk-error-summary[data-testid="error-summary"]')
    links = {a["href"]: a.get_text(" ", strip=True) for a in summary.select(".govuk-error-summary__list a")}
    assert "Enter the progress text" in links.get("#measured_output-2", "")
    assert page.select("#measured_output-2")  # the link's target is on the page
    assert page.one("title").get_text().strip().startswith("Error:")
    with app.app_context():
        m = db.session.scalar(select(Measure).join(Action).where(Action.ref == "CC-01-ENV-01", Measure.number == 2))
        assert m.measured_output == "To start"


def test_a_refused_owner_and_date_has_an_error_summary(app, client_for):
    liaison = client_for("liaison")
    data = {"csrf_token": liaison.token(ACTION), "version": version_in_form(liaison, ACTION, f"{ACTION}/assign"),
            "owner_name": "Ann Example", "business_unit": "", "target_date": "next spring", "reason": ""}
    response = liaison.post(f"{ACTION}/assign", data=data)
    assert response.status_code == 400
    summary = Page(response).one('[data-testid="error-summary"]')
    assert summary.select('a[href="#target_date-day"]')
    with app.app_context():
        assert db.session.scalar(select(Action.owner_id).where(Action.ref == "CC-01-ENV-01")) is None
