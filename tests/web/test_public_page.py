"""The optional public progress page: off by default, turned on by an admin, published reports only."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.web.forms_pages import legends, page_of
from tests.web.plans import set_measure_output
from tracker.extensions import db
from tracker.models import Change, Review
from tracker.reports.operations import create_report, publish_report


def _report(app, *, publish: bool, meeting_on=dt.date(2026, 12, 3)):
    with app.app_context():
        report = create_report(db.session.scalar(select(Review).where(Review.code == "CC")),
                               committee="Overview and Scrutiny Committee", meeting_on=meeting_on)
        if publish:
            publish_report(report)
        db.session.commit()




def test_the_public_page_is_off_until_an_admin_turns_it_on(app, client_for):
    anonymous = client_for()
    assert anonymous.get("/public").status_code == 404
    assert anonymous.get("/public/CC").status_code == 404
    admin = client_for("admin")
    page = admin.get("/reports").get_data(as_text=True)
    assert "Public progress page" in page and client_for("manager").get("/reports").get_data(
        as_text=True).count("Public progress page") == 0  # only admins see the switch
    response = admin.post("/reports/public-page", data={"review": "CC", "public_page": "on"}, token_from="/reports")
    assert response.status_code == 303
    assert anonymous.get("/public").status_code == 200
    page = anonymous.get("/public/CC").get_data(as_text=True)
    assert "No progress report has been published yet" in page
    with app.app_context():
        change = db.session.scalar(select(Change).where(Change.field == "public_page"))
        assert (change.before, change.after, change.user_name) == ("False", "True", "Admin User")
    admin.post("/reports/public-page", data={"review": "CC", "public_page": "off"}, token_from="/reports")
    assert anonymous.get("/public/CC").status_code == 404


def test_the_switch_shows_the_current_setting_and_anything_but_on_is_off(app, client_for):
    admin = client_for("admin")

    def chosen() -> list[str]:
        radios = page_of(admin.get("/reports")).select('input[name="public_page"]')
        assert [r["value"] for r in radios] == ["on", "off"]
        return [r["value"] for r in radios if r.has_attr("checked")]

    assert chosen() == ["off"] and "Show CC's progress publicly?" in legends(admin.get("/reports"))
    admin.post("/reports/public-page", data={"review": "CC", "public_page": "on"}, token_from="/reports")
    assert chosen() == ["on"]
    assert admin.post("/reports/public-page", data={"review": "CC", "public_page": "yes please"},
                      token_from="/reports").status_code == 303
    assert chosen() == ["off"]
    with app.app_context():
        assert db.session.scalar(select(Review.public_page).where(Review.code == "CC")) is False


def test_a_bad_or_forged_switch_changes_nothing(app, client_for):
    admin = client_for("admin")
    assert admin.post("/reports/public-page", data={"review": "CC", "public_page": "on"}).status_code == 400  # no CSRF
    assert admin.post("/reports/public-page", data={"review": "NOPE", "public_page": "on"},
                      token_from="/reports").status_code == 400
    assert client_for("manager").post("/reports/public-page", data={"review": "CC", "public_page": "on"},
                                      token_from="/reports").status_code == 403
    assert client_for().get("/public/CC").status_code == 404


def test_the_public_sees_what_the_committee_was_sent_never_a_draft(app, client_for):
    with app.app_context():
        db.session.scalar(select(Review).where(Review.code == "CC")).public_page = True
        db.session.commit()
    anonymous = client_for()
    set_measure_output(app, "Draft words the committee has not seen")
    _report(app, publish=False)
    page = anonymous.get("/public/CC?part=appendix-b").get_data(as_text=True)
    assert "No progress report has been published yet" in page and "Draft words" not in page
    set_measure_output(app, "Three new road signs installed")
    _report(app, publish=True, meeting_on=dt.date(2026, 12, 10))
    set_measure_output(app, "Signs removed again: not yet reported")
    page = anonymous.get("/public/CC?part=appendix-b").get_data(as_text=True)
    assert "Overview and Scrutiny Committee, 10 December 2026" in page
    assert "CC-87-ORG-32" in page and "Three new road signs installed" in page
    assert "not yet reported" not in page and "Draft words" not in page
    assert "Sign out" not in page  # nothing of the signed-in service
    # A council's page, not GOV.UK's: a footer landmark without the crown or Crown copyright.
    assert '<footer class="govuk-template__footer' in page and "Crown copyright" not in page
    appendix_a = anonymous.get("/public/CC?part=appendix-a").get_data(as_text=True)
    assert "Customer Services Unit" in appendix_a
    pdf = anonymous.get("/public/CC/appendix-b.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert anonymous.get("/public/CC?part=nonsense").status_code == 404
    assert anonymous.get("/public/CC/nonsense.pdf").status_code == 404
