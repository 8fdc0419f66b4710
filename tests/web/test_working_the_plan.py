"""Status updates, lost-update protection, owners and dates, projects, history and /changes."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Action, Change, Measure, Owner, Project, Recommendation, User
from tests.web.test_plan_pages import text_of
from tests.web.versions import measure_form, row_versions, version_in_form

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
    page = text_of(manager.get(ACTION))
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
    page = response.get_data(as_text=True)
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
    assert "Admin&#39;s words" in response.get_data(as_text=True) or "Admin's words" in response.get_data(as_text=True)
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
    body = response.get_data(as_text=True)
    assert "Enter the progress text" in body and 'value="my note"' in body
    assert measure(app)["version"] == 1


def test_htmx_update_returns_the_rerendered_measure(app, client_for):
    manager = client_for("manager")
    data = measure_form(manager, measured_output="Complete")
    response = manager.post(f"{ACTION}/measures/2", data=data,
                            headers={"HX-Request": "true", "HX-Target": "measure-2"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.lstrip().startswith('<div class="govuk-summary-card" id="measure-2"')
    assert "Measure 2 of CC-01-ENV-01 updated" in body and ">Complete<" in body


def test_committee_and_liaison_cannot_change_a_measure(app, client_for):
    for role in ("committee", "liaison"):
        client = client_for(role)
        data = {"csrf_token": client.token("/"), "version": "1", "measured_output": "Hacked", "status": "complete"}
        assert client.post(f"{ACTION}/measures/2", data=data).status_code == 403
        assert "Update measure" not in client.get(ACTION).get_data(as_text=True)
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
    assert "Update measure" not in client.get(ACTION).get_data(as_text=True)
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
    assert response.status_code == 400 and "Give a reason" in response.get_data(as_text=True)
    assert 'value="2004-06-30"' in response.get_data(as_text=True)  # what was typed is kept
    response = liaison.post(f"{ACTION}/assign", token_from=ACTION, data={
        "owner_name": "Jane Smith", "business_unit": "Property Services", "target_date": "2004-06-30",
        "reason": "Sign supplier delayed; agreed by Head of Property", "version": version()})
    assert response.status_code == 303
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.ref == "CC-01-ENV-01"))
        assert action.owner.label == "Jane Smith (Property Services)"
        assert (action.original_target_date, action.target_date, action.target_date_slips) == (
            dt.date(2004, 3, 31), dt.date(2004, 6, 30), 1)
    page = text_of(liaison.get(ACTION))
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
    assert "31 March 2027" in text_of(liaison.get(ACTION))


@pytest.mark.parametrize("typed, kept", [("31/2/2027", ["31/2/2027"]), (["31", "2", "2027"], ["31", "2", "2027"]),
                                         ("next spring", ["next spring"])])
def test_bad_date_is_refused_with_a_message_kept_and_nothing_changes(app, client_for, typed, kept):
    liaison = client_for("liaison")
    response = liaison.post(f"{ACTION}/assign", token_from=ACTION, data={
        "owner_name": "Someone New", "target_date": typed, "version": version_in_form(liaison, ACTION, f"{ACTION}/assign")})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Target date must be a real date, for example" in text_of(response)
    assert re.search(r'data-testid="error-summary".*?href="#target_date-day"', html, re.S)  # the first box
    assert all(f'value="{value}"' in html for value in kept) and 'value="Someone New"' in html
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
    page = text_of(liaison.get("/changes"))
    assert "CC-41-PERF-02" in page and "Performance Officer (Policy)" in page


def test_bulk_assign_without_selection_keeps_what_was_typed(client_for):
    liaison = client_for("liaison")
    response = liaison.post("/actions/assign", token_from="/actions", data={"owner_name": "Someone Typed"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Select at least one action" in body and 'value="Someone Typed"' in body


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
    assert re.findall(r">(CC-\d\d-\w+-\d\d)<", client.get(f"/actions?owner={owner_id}").get_data(as_text=True)) == ["CC-10-ENV-10"]
    assert re.findall(r">(CC-\d\d-\w+-\d\d)<", client.get("/actions?overdue=1").get_data(as_text=True)) == ["CC-10-ENV-10"]
    page = text_of(client.get("/actions?project=TIR"))
    assert "1 action match" in page and "CC-45-PERF-06" in page
    assert client.get("/actions?stale=abc").status_code == 400


def test_project_completion_offers_the_measures_that_can_start(app, client_for):
    manager = client_for("manager")
    page = text_of(manager.get("/projects/CIVIC"))
    waiting = int(re.search(r"(\d+) open measures? waits? on it", page).group(1))
    assert waiting == 7  # CC-02 4, CC-06 2, CC-11 1-2, CC-12 1-2, CC-27 1
    data = {"status": "complete", "expected_on": "2004-02-01", "note": "Space review reported", "version": "1"}
    response = manager.post("/projects/CIVIC", token_from="/projects/CIVIC", data=data)
    assert response.status_code == 303
    follow = manager.get("/projects/CIVIC")
    assert "choose which can now start" in follow.get_data(as_text=True)
    with app.app_context():
        ids = [m.id for m in db.session.scalars(select(Measure).join(Project).where(Project.code == "CIVIC"))][:2]
    response = manager.post("/projects/CIVIC/release", token_from="/projects/CIVIC",
                            data={"measure": [str(i) for i in ids], "category": "not_started"})
    assert response.status_code == 303
    with app.app_context():
        moved = [db.session.get(Measure, i).status for i in ids]
    assert moved == ["not_started", "not_started"]
    assert f"{waiting} open measures" not in text_of(manager.get("/projects/CIVIC"))


def test_committee_cannot_change_a_project(client_for):
    committee = client_for("committee")
    data = {"status": "complete", "version": "1"}
    assert committee.post("/projects/CCC", token_from="/projects/CCC", data=data).status_code == 403
    assert "Update the project" not in committee.get("/projects/CCC").get_data(as_text=True)


def test_recommendation_commentary_is_versioned(app, client_for):
    manager = client_for("manager")
    version = version_in_form(manager, "/recommendations/12", "/recommendations/12")
    data = {"status_text": "Partner Access Channel talks have begun with Tullie House.", "version": version}
    assert manager.post("/recommendations/12", token_from="/recommendations/12", data=data).status_code == 303
    response = manager.post("/recommendations/12", token_from="/recommendations/12",
                            data=dict(data, status_text="Stale edit"))
    assert response.status_code == 409 and "Stale edit" in response.get_data(as_text=True)
    with app.app_context():
        rec = db.session.scalar(select(Recommendation).where(Recommendation.number == 12))
        assert rec.status_text == data["status_text"] and rec.version == 2
    assert "This action point has still to be addressed." in text_of(manager.get("/recommendations/12"))  # history


def test_changes_between_two_dates(app, client_for):
    manager = client_for("manager")
    manager.post(f"{ACTION}/measures/2", data=measure_form(manager, measured_output="Complete"))
    today = dt.date.today().isoformat()
    page = text_of(manager.get(f"/changes?from={today}&to={today}"))
    assert "CC-01-ENV-01 measure 2" in page and "To start → Complete" in page
    assert "No changes in this period" in text_of(manager.get("/changes?from=2000-01-01&to=2000-01-02"))
    assert manager.get("/changes?from=2026-12-01&to=2026-01-01").status_code == 400


def test_dashboard_has_chart_with_text_alternative_and_recent_changes(client_for):
    manager = client_for("manager")
    manager.post(f"{ACTION}/measures/2", data=measure_form(manager, measured_output="Complete"))
    body = manager.get("/").get_data(as_text=True)
    assert '<svg' in body and 'role="img"' in body and "<title id=\"chart-title\">" in body
    assert "Environment: " in body  # the chart's description names each theme with its counts
    assert "CC-01-ENV-01 measure 2" in text_of(manager.get("/"))


def test_dashboard_shows_who_has_not_updated(app, client_for):
    with app.app_context():
        owner = Owner(authority_id=1, name="Quiet Officer", business_unit="Estates")
        db.session.add(owner)
        db.session.flush()
        for ref in ("CC-11-ENV-11", "CC-12-ENV-12"):
            action = db.session.scalar(select(Action).where(Action.ref == ref))
            action.owner_id, action.updated_at = owner.id, dt.datetime(2004, 1, 1)
        db.session.commit()
    page = text_of(client_for("committee").get("/"))
    assert "Who has not updated" in page and "Quiet Officer (Estates) 2" in page


def test_recommendation_and_action_links_both_ways(app, client_for):
    manager = client_for("manager")
    assert "CC-21-ENV-21" in text_of(manager.get("/recommendations/13"))  # proposed in the seed
    response = manager.post("/recommendations/15/actions", token_from="/recommendations/15", data={"ref": "CC-70-ORG-15"})
    assert response.status_code == 303
    assert "Recommendation 15" in text_of(manager.get("/actions/CC-70-ORG-15"))
    response = manager.post("/recommendations/15/actions", token_from="/recommendations/15", data={"ref": "CC-99-XXX-99"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is no action" in text_of(response)
    assert re.search(r'data-testid="error-summary".*?href="#link-ref"', html, re.S)
    assert 'value="CC-99-XXX-99"' in html  # what was typed is kept
    manager.post("/recommendations/15/actions", token_from="/recommendations/15", data={"remove": "CC-70-ORG-15"})
    assert "Recommendation 15" not in text_of(manager.get("/actions/CC-70-ORG-15"))
    with app.app_context():
        fields = [(c.before, c.after) for c in db.session.scalars(  # the seed's own links are recorded too
            select(Change).where(Change.field == "action_link", Change.user_name == "Manager User"))]
    assert fields == [(None, "CC-70-ORG-15"), ("CC-70-ORG-15", None)]


def test_list_filters_by_cse_element(client_for):
    client = client_for("committee")
    page = client.get("/actions?element=1.3.1").get_data(as_text=True)
    refs = re.findall(r">(CC-\d\d-\w+-\d\d)<", page)
    assert "CC-44-PERF-05" in refs  # customer satisfaction surveys evidence 1.3.1
    assert "CC-01-ENV-01" not in refs
    assert 'id="element"' in page and 'value="1.3.1"' in page
