"""Before a meeting the manager asks each owner for the updates that are missing."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from tracker.domain.status import CLOSED
from tracker.extensions import db
from tracker.models import Action, Measure, Owner, Review, User
from tracker.plan.operations import assign_owner, update_measure
from tracker.reports.operations import create_report, publish_report


def _open_actions(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Action.id.distinct())).join(Action.measures)
                                 .where(Measure.status.notin_(tuple(CLOSED))))


def test_owners_are_asked_for_what_they_have_not_updated_since_the_last_report(app, client_for):
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        owner = Owner(authority_id=review.authority_id, name="Jo Bloggs", business_unit="Facilities")
        db.session.add(owner)
        db.session.flush()
        signs, toilets = (db.session.scalar(select(Action).where(Action.ref == ref))
                          for ref in ("CC-01-ENV-01", "CC-02-ENV-02"))
        assign_owner([signs, toilets], owner)
        db.session.add(User(email="jo.bloggs@example.gov.uk", name="Jo Bloggs", role="owner", owner_id=owner.id,
                            password_hash="x"))
        publish_report(create_report(review, committee="O&S", meeting_on=dt.date(2026, 9, 3)))
        db.session.commit()
        # After that report, Jo updated the signs but not the toilets.
        update_measure(signs.measures[1], category=None, text="Finger posts ordered")
        draft = create_report(review, committee="Overview and Scrutiny Committee", meeting_on=dt.date(2027, 3, 4))
        db.session.commit()
        draft_id = draft.id
    page = client_for("manager").get(f"/reports/{draft_id}/requests").get_data(as_text=True)
    open_actions = _open_actions(app)
    assert (f"{open_actions} open actions; {open_actions - 1} had no update since the report to the O&amp;S, "
            "3 September 2026") in page
    assert "reply by 18 February 2027" in page
    # Jo is asked about every open action, updated or not: "No change" is one click.
    jo = page[page.index("Jo Bloggs (Facilities): 2 actions<"):]
    jo = jo[:jo.index("</pre>")]
    assert "CC-02-ENV-02 Toilets" in jo and "CC-01-ENV-01" in jo
    assert "Last reported:" in jo and "Dear Jo Bloggs," in jo
    assert "To jo.bloggs@example.gov.uk" in jo
    assert "Update needed by 18 February 2027: Overview and Scrutiny Committee, 4 March 2027" in jo
    assert "No owner assigned: " in page  # the rest have no owner yet: assign before asking
    assert "Send requests to 1 owner<" in page


def test_the_message_lists_the_owners_actions_and_is_signed_by_the_sender(app):
    from tracker.reports.requests import update_requests
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        owner = Owner(authority_id=review.authority_id, name="A. Officer", business_unit="")
        db.session.add(owner)
        db.session.flush()
        assign_owner([db.session.scalar(select(Action).where(Action.ref == "CC-03-ENV-03"))], owner)
        db.session.add(User(email="a.officer@example.gov.uk", name="A. Officer", role="owner", owner_id=owner.id,
                            password_hash="x"))
        report = create_report(review, committee="O&S", meeting_on=dt.date(2027, 1, 7))
        db.session.commit()
        result = update_requests(report, stale_days=-1, sender="Customer Services Manager")  # everything is stale
        [request] = [r for r in result.requests if r.owner is owner]
        assert request.emails == ["a.officer@example.gov.uk"]
        assert "CC-03-ENV-03" in request.body and "Last reported:" in request.body
        assert request.body.endswith("Thank you,\nCustomer Services Manager")


def test_only_editors_can_see_requests(client_for, app):
    with app.app_context():
        review = db.session.scalar(select(Review))
        report = create_report(review, committee="O&S", meeting_on=dt.date(2027, 1, 7))
        db.session.commit()
        report_id = report.id
    assert client_for("liaison").get(f"/reports/{report_id}/requests").status_code == 403
    assert client_for("committee").get(f"/reports/{report_id}/requests").status_code == 403
    assert client_for("manager").get(f"/reports/{report_id}/requests").status_code == 200
