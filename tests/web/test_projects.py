"""The project page's forms: the expected date as a GOV.UK date input, refusals that keep what was typed."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.web.forms_pages import date_boxes, has_target, legends, summary_links, summary_messages
from tracker.extensions import db
from tracker.models import Change, Measure, Project


def project_state(app, code="CCC"):
    with app.app_context():
        project = db.session.scalar(select(Project).where(Project.code == code))
        changes = db.session.scalar(select(func.count()).select_from(Change).where(Change.entity_type == "project"))
        return project.status, project.expected_on, project.version, changes


@pytest.mark.parametrize("typed", ["31/3/2027", "31 March 2027", "2027-03-31", ["31", "3", "2027"],
                                   ["31", "Mar", "27"]])
def test_the_expected_date_is_read_as_people_type_it(app, client_for, typed):
    manager = client_for("manager")
    status, _, version, _ = project_state(app)
    response = manager.post("/projects/CCC", token_from="/projects/CCC",
                            data={"status": status, "expected_on": typed, "version": str(version)})
    assert response.status_code == 303
    assert project_state(app)[1] == dt.date(2027, 3, 31)
    assert date_boxes(manager.get("/projects/CCC"), "expected_on") == ["31", "03", "2027"]


def test_an_impossible_expected_date_is_refused_keeping_what_was_typed(app, client_for):
    manager = client_for("manager")
    before = project_state(app)
    response = manager.post("/projects/CCC", token_from="/projects/CCC", data={
        "status": "complete", "expected_on": ["31", "2", "2027"], "note": "My careful note",
        "version": str(before[2])})
    assert response.status_code == 400
    assert summary_links(response) == {"#expected_on-day": "Expected date must be a real date, for example 31 3 2027"}
    assert has_target(response, "#expected_on-day")
    assert date_boxes(response, "expected_on") == ["31", "2", "2027"]
    assert "Expected date (optional)" in legends(response)
    assert 'value="My careful note"' in response.get_data(as_text=True)
    assert project_state(app) == before


def test_an_empty_expected_date_clears_it(app, client_for):
    manager = client_for("manager")
    status, _, version, _ = project_state(app)
    manager.post("/projects/CCC", token_from="/projects/CCC",
                 data={"status": status, "expected_on": ["31", "3", "2027"], "version": str(version)})
    response = manager.post("/projects/CCC", token_from="/projects/CCC",
                            data={"status": status, "expected_on": ["", "", ""], "version": str(version + 1)})
    assert response.status_code == 303 and project_state(app)[1] is None


def test_a_stale_project_form_is_a_conflict_that_keeps_the_note(app, client_for):
    manager = client_for("manager")
    status, _, version, _ = project_state(app)
    assert manager.post("/projects/CCC", token_from="/projects/CCC",
                        data={"status": "on_hold", "version": str(version)}).status_code == 303
    before = project_state(app)
    stale = manager.post("/projects/CCC", token_from="/projects/CCC",
                         data={"status": "complete", "note": "Written on an old page", "version": str(version)})
    assert stale.status_code == 409
    assert summary_messages(stale) == ["Someone else changed this project while you were editing; their values are "
                                       "shown, yours are kept in the form"]
    assert 'value="Written on an old page"' in stale.get_data(as_text=True)
    assert f'name="version" type="hidden" value="{version + 1}"' in stale.get_data(as_text=True)
    assert project_state(app) == before


def test_a_status_outside_the_list_is_refused_on_the_field(app, client_for):
    manager = client_for("manager")
    before = project_state(app)
    response = manager.post("/projects/CCC", token_from="/projects/CCC",
                            data={"status": "finished", "version": str(before[2])})
    assert response.status_code == 400 and summary_links(response) == {"#status": "Choose a status from the list"}
    assert project_state(app) == before


def test_releasing_nothing_is_refused_with_a_link_to_the_first_measure(app, client_for):
    manager = client_for("manager")
    response = manager.post("/projects/CCC/release", token_from="/projects/CCC", data={"category": "not_started"})
    assert response.status_code == 400
    [(href, message)] = summary_links(response).items()
    assert message == "Select at least one measure" and href.startswith("#measure-") and has_target(response, href)


def test_released_measures_stay_ticked_when_the_category_is_refused(app, client_for):
    manager = client_for("manager")
    with app.app_context():
        waiting = db.session.scalars(select(Measure.id).join(Project).where(Project.code == "CCC")).all()[:2]
    response = manager.post("/projects/CCC/release", token_from="/projects/CCC",
                            data={"measure": [str(i) for i in waiting], "category": "complete"})
    assert response.status_code == 400
    assert summary_links(response) == {"#category": "Measures can be moved to Not started or In progress"}
    html = response.get_data(as_text=True)
    assert all(f'value="{i}" checked' in html for i in waiting)
