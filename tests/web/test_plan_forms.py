"""Every form of the plan pages refuses bad input the GOV.UK way: 400, an error summary at the top of
the page linking to the field, the field's error message tied to it by aria-describedby, what was
typed kept in the form, and nothing changed. Dates are read as people type them."""
from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from tests.web.versions import version_in_form
from tracker.extensions import db
from tracker.models import Action, Change, Recommendation, Review

ACTION = "/actions/CC-01-ENV-01"
REC = "/recommendations/4"


def versioned(page: str, url: str, **fields):
    """The form's fields as a person sends them: typed ``fields`` plus the version the page showed."""
    return lambda client: {**fields, "version": version_in_form(client, page, url)}


def dated_action(app) -> None:
    with app.app_context():
        db.session.scalar(select(Action).where(Action.ref == "CC-01-ENV-01")).target_date = dt.date(2027, 3, 31)
        db.session.commit()


# (role, page the form is on, where it posts, fields, the field in error, message, typed text kept, setup)
REFUSALS = {
    "measure without progress text": (
        "manager", ACTION, f"{ACTION}/measures/2",
        versioned(ACTION, f"{ACTION}/measures/2", measured_output="  ", status="", note="Typed note"),
        "measured_output-2", "Measure 2: Enter the progress text (measured output)", 'value="Typed note"', None),
    "measure with a status not on the list": (
        "manager", ACTION, f"{ACTION}/measures/2",
        versioned(ACTION, f"{ACTION}/measures/2", measured_output="Typed progress", status="finished", note=""),
        "status-2", "Choose a status from the list", ">Typed progress</textarea>", None),
    "owner with an impossible date": (
        "liaison", ACTION, f"{ACTION}/assign",
        versioned(ACTION, f"{ACTION}/assign", owner_name="Typed Owner", business_unit="", target_date="31/2/2027",
                  reason=""),
        "target_date", "Target date must be a real date", 'value="Typed Owner"', None),
    "a moved date without a reason": (
        "liaison", ACTION, f"{ACTION}/assign",
        versioned(ACTION, f"{ACTION}/assign", owner_name="Typed Owner", business_unit="",
                  target_date=["30", "6", "2027"], reason=""),
        "reason", "Give a reason for changing the target date", 'value="30"', dated_action),
    "bulk assign without a selection": (
        "liaison", "/actions", "/actions/assign",
        lambda client: {"owner_name": "Typed Owner", "theme": "PERF"},
        "action-results", "Select at least one action to assign", 'value="Typed Owner"', None),
    "response with an impossible date": (
        "manager", REC, f"{REC}/response",
        versioned(REC, f"{REC}/response", response="rejected", response_on=["29", "2", "2003"], note="Typed note"),
        "response_on", "Date decided must be a real date", 'value="Typed note"', None),
    "status by hand without a reason": (
        "manager", REC, f"{REC}/status",
        versioned(REC, f"{REC}/status", status_override="complete", status_override_reason=" "),
        "status_override_reason", "Say why the status is set by hand", '<option value="complete" selected>', None),
    "commentary too long": (
        "manager", REC, REC, versioned(REC, REC, status_text="x" * 20001, note="Typed note"),
        "status_text", "Keep the status commentary to 20,000 characters or fewer", 'value="Typed note"', None),
    "link to an action that does not exist": (
        "manager", REC, f"{REC}/actions", lambda client: {"ref": "CC-99-NOPE-99"},
        "link-ref", "There is no action &#39;CC-99-NOPE-99&#39; in this review", 'value="CC-99-NOPE-99"', None),
    "new action with an impossible date": (
        "manager", "/actions/new?theme=ENV", "/actions/new?theme=ENV",
        lambda client: {"theme": "ENV", "ref": "CC-88-ENV-29", "title": "Typed title",
                        "target_date": ["31", "2", "2027"]},
        "target_date", "Target date must be a real date",
        'value="Typed title"', None),
}


def stored(app):
    """What the refusal must leave alone: every change record, and the rows' versions."""
    with app.app_context():
        return (db.session.scalar(select(func.count(Change.id))),
                db.session.scalar(select(func.count(Action.id))),
                db.session.scalar(select(func.sum(Action.version))),
                db.session.scalar(select(func.sum(Recommendation.version))))


@pytest.mark.parametrize("case", REFUSALS)
def test_a_refusal_has_an_error_summary_linking_to_the_field_keeps_the_text_and_changes_nothing(app, client_for, case):
    role, page, url, fields, field_id, message, kept, setup = REFUSALS[case]
    if setup:
        setup(app)
    client = client_for(role)
    data = fields(client)
    before = stored(app)
    response = client.post(url, token_from=page, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400, case
    assert stored(app) == before
    assert kept in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.title.text.startswith("Error:")
    # The summary comes at the top, before the page's heading, and its link leads to the field.
    summary = soup.select_one("main .govuk-error-summary")
    main = str(soup.select_one("main"))
    assert summary is not None and main.index("govuk-error-summary") < main.index("<h1")
    target = soup.find(id=field_id)
    assert target is not None
    # A date links to its first box: the date input's own id is on a wrapper that cannot take focus.
    is_date = "govuk-date-input" in target.get("class", [])
    link = summary.select_one(f'a[href="#{field_id}-day"]' if is_date else f'a[href="#{field_id}"]')
    assert link is not None, [a["href"] for a in summary.select("a")]
    assert BeautifulSoup(message, "html.parser").text in link.text
    assert soup.find(id=link["href"][1:]) is not None
    # The field's own message is read out with it: a date's boxes are described through their fieldset.
    error = soup.find(id=f"{field_id}-error")
    if field_id != "action-results":
        assert error is not None and "govuk-error-message" in error["class"]
        described = target.find_parent("fieldset") if is_date else target
        assert f"{field_id}-error" in described["aria-describedby"].split()


def test_an_htmx_refusal_returns_the_measure_with_its_error_tied_to_the_field(app, client_for):
    manager = client_for("manager")
    data = versioned(ACTION, f"{ACTION}/measures/2", measured_output="", status="", note="Kept")(manager)
    response = manager.post(f"{ACTION}/measures/2", token_from=ACTION, data=data,
                            headers={"HX-Request": "true", "HX-Target": "measure-2"})
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert response.status_code == 400 and soup.find(True)["id"] == "measure-2"
    assert "measured_output-2-error" in soup.find(id="measured_output-2")["aria-describedby"]
    assert soup.find(id="note-2")["value"] == "Kept" and soup.select_one("details")["open"] is not None


@pytest.mark.parametrize("typed", ["15/1/2003", ["15", "1", "2003"], ["15", "Jan", "03"], "15 January 2003"])
def test_a_response_date_is_read_as_people_type_it(app, client_for, typed):
    manager = client_for("manager")
    response = manager.post(f"{REC}/response", token_from=REC, data=versioned(
        REC, f"{REC}/response", response="partly_accepted", response_on=typed, note="")(manager))
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Recommendation.response_on).where(Recommendation.number == 4)) == \
            dt.date(2003, 1, 15)
    # Shown back in the three boxes.
    html = manager.get(REC).get_data(as_text=True)
    assert 'id="response_on-day" name="response_on" type="text" value="15"' in html


def test_a_new_action_takes_its_target_date_in_three_boxes(app, client_for):
    manager = client_for("manager")
    response = manager.post("/actions/new?theme=ENV", token_from="/actions/new?theme=ENV", data={
        "theme": "ENV", "ref": "CC-88-ENV-29", "title": "Finger posts", "target_date": ["31", "3", "2027"]})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Action.target_date).where(Action.ref == "CC-88-ENV-29")) == dt.date(2027, 3, 31)


def test_a_form_posted_without_its_date_boxes_is_still_shown_back(app, client_for):
    """A hand-made post (no target_date at all) that is refused re-shows the form, empty boxes and all."""
    manager = client_for("manager")
    response = manager.post("/actions/new?theme=ENV", token_from="/actions/new?theme=ENV",
                            data={"theme": "ENV", "ref": "CC-88-ENV-29", "title": ""})
    assert response.status_code == 400 and 'id="target_date-day"' in response.get_data(as_text=True)


def test_a_stale_owner_form_gets_409_keeps_the_typed_owner_and_carries_the_new_version(app, client_for):
    mine, theirs = client_for("liaison"), client_for("admin")
    my_form = versioned(ACTION, f"{ACTION}/assign", owner_name="My Owner", business_unit="", target_date="",
                        reason="")(mine)
    theirs_form = versioned(ACTION, f"{ACTION}/assign", owner_name="Their Owner", business_unit="", target_date="",
                            reason="")(theirs)
    assert theirs.post(f"{ACTION}/assign", token_from=ACTION, data=theirs_form).status_code == 303
    response = mine.post(f"{ACTION}/assign", token_from=ACTION, data=my_form)
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert response.status_code == 409
    assert "Someone else changed the owner" in soup.select_one('main .govuk-error-summary a[href="#owner_name"]').text
    assert soup.find(id="owner_name")["value"] == "My Owner"
    assert soup.select_one('form[action^="/actions/CC-01-ENV-01/assign"] input[name="version"]')["value"] == "2"
    with app.app_context():
        assert db.session.scalar(select(Action).where(Action.ref == "CC-01-ENV-01")).owner.name == "Their Owner"


def test_the_main_review_is_chosen_through_its_form(app, client_for):
    manager = client_for("manager")
    assert manager.post("/reviews/main", token_from="/", data={"code": "NOPE"}).status_code == 400
    assert manager.post("/reviews/main", token_from="/", data={}).status_code == 400
    response = manager.post("/reviews/main", token_from="/", data={"code": "CC"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Review.is_main).where(Review.code == "CC")) is True
