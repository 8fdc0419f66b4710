"""Status updates, lost-update protection, owners and dates, projects, history and /changes."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.client import Page
from tests.web.forms_pages import date_boxes
from tests.web.versions import measure_form, row_versions, version_in_form
from tracker.extensions import db
from tracker.models import Action, Change, Measure, Owner, Project, Recommendation, User

ACTION = "/actions/CC-01-ENV-01"


def measure(app, ref="CC-01-ENV-01", number=2):
    with app.app_context():
        m = db.session.scalar(select(Measure).join(Action).where(Action.ref == ref, Measure.number == number))
        return {"status": m.status, "measured_output": m.measured_output, "version": m.version,
                "depends_on": m.depends_on.code if m.depends_on else None, "overridden": m.status_overridden}



def test_manager_updates_a_measure_without_javascript(app, client_for):
    manager = client_for("manager")
    assert measure(app)["status"] == "not_started"  # "To start"
    data = measure_form(manager, measured_output="Finger posts ordered; installation in March.",
                       status="in_progress", note="Agreed with Highways")
    response = manager.post(f"{ACTION}/measures/2?review=CC", data=data)
    assert response.status_code == 303 and response.headers["Location"].endswith("#measure-2")
    after = measure(app)
    assert after == {"status": "in_progress", "measured_output": "Finger posts ordered; installation in March.",
                     "version": 2, "depends_on": None, "overridden": True}
    page = manager.page(ACTION).text
    assert "Finger posts ordered; installation in March." in page and "Agreed with Highways" in page
    with app.app_context():
        changes = db.session.scalars(select(Change).where(Change.entity_type == "measure",
                                                          Change.entity_label == "CC-01-ENV-01 measure 2")
                                     .order_by(Change.field)).all()
        assert {(c.field, c.before, c.after) for c in changes if c.field != "created"} == {
            ("measured_output", "To start", "Finger posts ordered; installation in March."),
            ("status", "not_started", "in_progress")}
        assert all(c.user_name == "Manager User" and c.note == "Agreed with Highways"
                   for c in changes if c.field != "created")


def test_replaying_the_same_form_gets_409_and_keeps_both_texts(app, client_for):
    manager = client_for("manager")
    data = measure_form(manager, measured_output="First text", status="")
    assert manager.post(f"{ACTION}/measures/2", data=data).status_code == 303
    replay = dict(data, measured_output="My different text")
    response = manager.post(f"{ACTION}/measures/2", data=replay)
    assert response.status_code == 409
    page = Page(response).text
    assert "Someone else changed this measure" in page
    assert "First text" in page and "My different text" in page  # theirs shown, mine kept in the form
    assert measure(app)["measured_output"] == "First text"


def test_second_editor_is_told_and_keeps_their_text(app, client_for):
    first, second = client_for("manager"), client_for("admin")
    form_first = measure_form(first, measured_output="Manager's words")
    form_second = measure_form(second, measured_output="Admin's words")
    assert first.post(f"{ACTION}/measures/2", data=form_first).status_code == 303
    response = second.post(f"{ACTION}/measures/2", data=form_second)
    assert response.status_code == 409
    assert "Admin's words" in Page(response).text
    assert measure(app)["measured_output"] == "Manager's words"


def test_status_is_derived_from_the_text_when_not_chosen(app, client_for):
    manager = client_for("manager")
    data = measure_form(manager, measured_output="Outcome of CCC Project")
    manager.post(f"{ACTION}/measures/2", data=data)
    assert measure(app) | {"version": 0} == {"status": "dependent", "measured_output": "Outcome of CCC Project",
                                             "version": 0, "depends_on": "CCC", "overridden": False}


def test_empty_progress_text_is_refused_and_typed_note_kept(app, client_for):
    manager = client_for("manager")
    data = measure_form(manager, measured_output="   ", note="my note")
    response = manager.post(f"{ACTION}/measures/2", data=data)
    assert response.status_code == 400
    page = Page(response)
    assert "Enter the progress text" in " ".join(page.errors) and page.form(f"{ACTION}/measures/2")["note"] == "my note"
    assert measure(app)["version"] == 1


def test_htmx_update_returns_the_rerendered_measure(app, client_for):
    manager = client_for("manager")
    data = measure_form(manager, measured_output="Complete")
    response = manager.post(f"{ACTION}/measures/2", data=data,
                            headers={"HX-Request": "true", "HX-Target": "measure-2"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.lstrip().startswith('<div class="govuk-summary-card" id="measure-2"')
    page = Page(response)
    assert "Measure 2 of CC-01-ENV-01 updated" in page.text
    assert page.one("#measure-2").find(string=lambda text: text.strip() == "Complete")


def can_update_measures(client) -> bool:
    """Whether the action page offers ``client`` a form to update its measures."""
    page = client.page(ACTION)
    return "Update measure" in page.text or bool(page.select(f'form[action^="{ACTION}/measures/"]'))


def test_committee_and_liaison_cannot_change_a_measure(app, client_for):
    for role in ("committee", "liaison"):
        client = client_for(role)
        data = {"csrf_token": client.token("/"), "version": "1", "measured_output": "Hacked", "status": "complete"}
        assert client.post(f"{ACTION}/measures/2", data=data).status_code == 403
        assert not can_update_measures(client)
    assert measure(app)["measured_output"] == "To start"


def test_owner_login_cannot_change_measures_directly_even_of_its_own_actions(app, client_for):
    """Owners send replies from My actions instead; a manager accepts them (tests/web/test_owner_updates.py)."""
    with app.app_context():
        owner = Owner(authority_id=1, name="Owner User", business_unit="Property")
        db.session.add(owner)
        db.session.flush()
        db.session.scalar(select(User).where(User.role == "owner")).owner_id = owner.id
        db.session.scalar(select(Action).where(Action.ref == "CC-01-ENV-01")).owner_id = owner.id
        db.session.commit()
    client = client_for("owner")
    assert not can_update_measures(client)
    own = {"csrf_token": client.token("/"), "version": "1", "measured_output": "Owner's progress"}
    assert client.post(f"{ACTION}/measures/2", data=own).status_code == 403
    assert client.post("/actions/CC-02-ENV-02/measures/1", data=own).status_code == 403


def test_liaison_assigns_owner_and_date_and_a_moved_date_keeps_the_original(app, client_for):
    liaison = client_for("liaison")
    version = lambda: version_in_form(liaison, ACTION, f"{ACTION}/assign")  # noqa: E731
    response = liaison.post(f"{ACTION}/assign", token_from=ACTION, data={
        "owner_name": "Jane Smith", "business_unit": "Property Services", "target_date": "2004-03-31",
        "version": version()})
    assert response.status_code == 303
    response = liaison.post(f"{ACTION}/assign", token_from=ACTION, data={
        "owner_name": "Jane Smith", "business_unit": "Property Services", "target_date": "2004-06-30",
        "version": version()})
    assert response.status_code == 400 and "Give a reason" in " ".join(Page(response).errors)
    assert date_boxes(response, "target_date")[0] == "2004-06-30"  # what was typed is kept
    response = liaison.post(f"{ACTION}/assign", token_from=ACTION, data={
        "owner_name": "Jane Smith", "business_unit": "Property Services", "target_date": "2004-06-30",
        "reason": "Sign supplier delayed; agreed by Head of Property", "version": version()})
    assert response.status_code == 303
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.ref == "CC-01-ENV-01"))
        assert action.owner.label == "Jane Smith (Property Services)"
        assert (action.original_target_date, action.target_date, action.target_date_slips) == (
            dt.date(2004, 3, 31), dt.date(2004, 6, 30), 1)
    page = liaison.page(ACTION).text
    assert "Originally 31 March 2004; moved 1 time" in page and "Sign supplier delayed" in page


@pytest.mark.parametrize("typed", ["31/3/2027", ["31", "3", "2027"], ["31", "March", "2027"], "31 March 2027",
                                   "2027-03-31"])
def test_a_target_date_is_read_as_people_type_it(app, client_for, typed):
    liaison = client_for("liaison")
    response = liaison.post(f"{ACTION}/assign", token_from=ACTION, data={
        "owner_name": "Jane Smith", "target_date": typed, "version": version_in_form(liaison, ACTION, f"{ACTION}/assign")})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Action.target_date).where(Action.ref == "CC-01-ENV-01")) == dt.date(2027, 3, 31)
    assert "31 March 2027" in liaison.page(ACTION).text


@pytest.mark.parametrize("typed, kept", [("31/2/2027", ["31/2/2027"]), (["31", "2", "2027"], ["31", "2", "2027"]),
                                         ("next spring", ["next spring"])])
def test_bad_date_is_refused_with_a_message_kept_and_nothing_changes(app, client_for, typed, kept):
    liaison = client_for("liaison")
    response = liaison.post(f"{ACTION}/assign", token_from=ACTION, data={
        "owner_name": "Someone New", "target_date": typed, "version": version_in_form(liaison, ACTION, f"{ACTION}/assign")})
    assert response.status_code == 400
    page = Page(response)
    assert "Target date must be a real date, for example" in page.text
    assert page.one('[data-testid="error-summary"]').select('a[href="#target_date-day"]')  # the first box
    assert date_boxes(response, "target_date")[:len(kept)] == kept
    assert page.form(f"{ACTION}/assign")["owner_name"] == "Someone New"
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.ref == "CC-01-ENV-01"))
        assert (action.owner_id, action.target_date, action.version) == (None, None, 1)


def test_bulk_assign_many_actions_at_once(app, client_for):
    liaison = client_for("liaison")
    refs = ["CC-40-PERF-01", "CC-41-PERF-02", "CC-42-PERF-03"]
    response = liaison.post("/actions/assign?review=CC", token_from="/actions", data={
        "refs": refs, "owner_name": "Performance Officer", "business_unit": "Policy", "theme": "PERF",
        **row_versions(liaison, "/actions?theme=PERF")})
    assert response.status_code == 303 and "theme=PERF" in response.headers["Location"]
    with app.app_context():
        owners = dict(db.session.execute(select(Action.ref, Owner.name).join(Owner, Action.owner_id == Owner.id)).all())
    assert owners == {ref: "Performance Officer" for ref in refs}
    page = liaison.page("/changes").text
    assert "CC-41-PERF-02" in page and "Performance Officer (Policy)" in page


def test_bulk_assign_without_selection_keeps_what_was_typed(client_for):
    liaison = client_for("liaison")
    response = liaison.post("/actions/assign", token_from="/actions", data={"owner_name": "Someone Typed"})
    assert response.status_code == 400
    page = Page(response)
    assert "Select at least one action" in " ".join(page.errors)
    assert page.form("/actions/assign")["owner_name"] == "Someone Typed"


def test_list_filters_by_owner_project_and_overdue(app, client_for):
    with app.app_context():
        owner = Owner(authority_id=1, name="Filter Owner", business_unit="")
        db.session.add(owner)
        db.session.flush()
        action = db.session.scalar(select(Action).where(Action.ref == "CC-10-ENV-10"))
        action.owner_id, action.target_date = owner.id, dt.date(2004, 1, 1)
        db.session.commit()
        owner_id = owner.id
    client = client_for("committee")
    assert client.page(f"/actions?owner={owner_id}").texts("td.app-ref a") == ["CC-10-ENV-10"]
    assert client.page("/actions?overdue=1").texts("td.app-ref a") == ["CC-10-ENV-10"]
    page = client.page("/actions?project=TIR").text
    assert "1 action match" in page and "CC-45-PERF-06" in page
    assert client.get("/actions?stale=abc").status_code == 400


def test_project_completion_offers_the_measures_that_can_start(app, client_for):
    manager = client_for("manager")
    page = manager.page("/projects/CIVIC").text
    waiting = int(re.search(r"(\d+) open measures? waits? on it", page).group(1))
    assert waiting == 7  # CC-02 4, CC-06 2, CC-11 1-2, CC-12 1-2, CC-27 1
    data = {"status": "complete", "expected_on": "2004-02-01", "note": "Space review reported", "version": "1"}
    response = manager.post("/projects/CIVIC", token_from="/projects/CIVIC", data=data)
    assert response.status_code == 303
    assert "choose which can now start" in manager.page("/projects/CIVIC").text
    with app.app_context():
        ids = [m.id for m in db.session.scalars(select(Measure).join(Project).where(Project.code == "CIVIC"))][:2]
    response = manager.post("/projects/CIVIC/release", token_from="/projects/CIVIC",
                            data={"measure": [str(i) for i in ids], "category": "not_started"})
    assert response.status_code == 303
    with app.app_context():
        moved = [db.session.get(Measure, i).status for i in ids]
    assert moved == ["not_started", "not_started"]
    assert f"{waiting} open measures" not in manager.page("/projects/CIVIC").text


def test_committee_cannot_change_a_project(client_for):
    committee = client_for("committee")
    data = {"status": "complete", "version": "1"}
    assert committee.post("/projects/CCC", token_from="/projects/CCC", data=data).status_code == 403
    page = committee.page("/projects/CCC")
    assert "Update the project" not in page.text and not page.select('[name="status"], [name="expected_on"]')


def test_recommendation_commentary_is_versioned(app, client_for):
    manager = client_for("manager")
    version = version_in_form(manager, "/recommendations/12", "/recommendations/12")
    data = {"status_text": "Partner Access Channel talks have begun with Tullie House.", "version": version}
    assert manager.post("/recommendations/12", token_from="/recommendations/12", data=data).status_code == 303
    response = manager.post("/recommendations/12", token_from="/recommendations/12",
                            data=dict(data, status_text="Stale edit"))
    assert response.status_code == 409 and "Stale edit" in Page(response).text
    with app.app_context():
        rec = db.session.scalar(select(Recommendation).where(Recommendation.number == 12))
        assert rec.status_text == data["status_text"] and rec.version == 2
    assert "This action point has still to be addressed." in manager.page("/recommendations/12").text  # history


def test_changes_between_two_dates(app, client_for):
    manager = client_for("manager")
    manager.post(f"{ACTION}/measures/2", data=measure_form(manager, measured_output="Complete"))
    today = dt.date.today().isoformat()
    page = manager.page(f"/changes?from={today}&to={today}").text
    assert "CC-01-ENV-01 measure 2" in page and "To start → Complete" in page
    assert "No changes in this period" in manager.page("/changes?from=2000-01-01&to=2000-01-02").text
    assert manager.get("/changes?from=2026-12-01&to=2026-01-01").status_code == 400


def test_dashboard_has_chart_with_text_alternative_and_recent_changes(client_for):
    manager = client_for("manager")
    manager.post(f"{ACTION}/measures/2", data=measure_form(manager, measured_output="Complete"))
    page = manager.page("/")
    chart = page.one('svg[role="img"]')
    assert chart.find("title", id="chart-title")
    assert "Environment: " in chart.find("desc").get_text()  # the description names each theme with its counts
    assert "CC-01-ENV-01 measure 2" in page.text


def test_dashboard_shows_who_has_not_updated(app, client_for):
    with app.app_context():
        owner = Owner(authority_id=1, name="Quiet Officer", business_unit="Estates")
        db.session.add(owner)
        db.session.flush()
        for ref in ("CC-11-ENV-11", "CC-12-ENV-12"):
            action = db.session.scalar(select(Action).where(Action.ref == ref))
            action.owner_id, action.updated_at = owner.id, dt.datetime(2004, 1, 1)
        db.session.commit()
    page = client_for("committee").page("/").text
    assert "Who has not updated" in page and "Quiet Officer (Estates) 2" in page


def test_recommendation_and_action_links_both_ways(app, client_for):
    manager = client_for("manager")
    assert "CC-21-ENV-21" in manager.page("/recommendations/13").text  # proposed in the seed
    response = manager.post("/recommendations/15/actions", token_from="/recommendations/15", data={"ref": "CC-70-ORG-15"})
    assert response.status_code == 303
    assert "Recommendation 15" in manager.page("/actions/CC-70-ORG-15").text
    response = manager.post("/recommendations/15/actions", token_from="/recommendations/15", data={"ref": "CC-99-XXX-99"})
    page = Page(response)
    assert response.status_code == 400 and "There is no action" in page.text
    assert page.one('[data-testid="error-summary"]').select('a[href="#link-ref"]') and page.select("#link-ref")
    assert page.one("#link-ref")["value"] == "CC-99-XXX-99"  # what was typed is kept
    manager.post("/recommendations/15/actions", token_from="/recommendations/15", data={"remove": "CC-70-ORG-15"})
    assert "Recommendation 15" not in manager.page("/actions/CC-70-ORG-15").text
    with app.app_context():
        fields = [(c.before, c.after) for c in db.session.scalars(  # the seed's own links are recorded too
            select(Change).where(Change.field == "action_link", Change.user_name == "Manager User"))]
    assert fields == [(None, "CC-70-ORG-15"), ("CC-70-ORG-15", None)]


def test_list_filters_by_cse_element(client_for):
    client = client_for("committee")
    page = client.page("/actions?element=1.3.1")
    refs = page.texts("td.app-ref a")
    assert "CC-44-PERF-05" in refs  # customer satisfaction surveys evidence 1.3.1
    assert "CC-01-ENV-01" not in refs
    assert page.one("#element")["value"] == "1.3.1"  # the filter shows what it filters by
