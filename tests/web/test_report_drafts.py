"""Drafts are drafts: a draft's meeting is corrected, a draft is deleted, its covering report is
written and carried forward; publishing only after a page that says what will be frozen, and once."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Change, CommitteeReport, CoveringReport, CoveringSettings


def _report(manager, meeting_on: str = "2026-12-03", committee: str = "Overview and Scrutiny Committee") -> int:
    response = manager.post("/reports", token_from="/reports", data={"committee": committee, "meeting_on": meeting_on})
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _publish(manager, report_id: int):
    return manager.post(f"/reports/{report_id}/publish", token_from=f"/reports/{report_id}/publish")


def _stored(app, report_id: int) -> CommitteeReport | None:
    with app.app_context():
        found = db.session.get(CommitteeReport, report_id)
        if found is not None:
            db.session.expunge(found)
        return found


def test_a_mistyped_meeting_date_is_corrected_and_the_change_recorded(app, client_for):
    manager = client_for("manager")
    report_id = _report(manager, "2026-12-03")
    page = manager.page(f"/reports/{report_id}/edit")
    assert page.one("#meeting_on-day")["value"] == "03"
    response = manager.http.post(f"/reports/{report_id}/edit", data={
        "csrf_token": page.csrf_token, "committee": "Overview and Scrutiny Committee",
        "meeting_on": ["4", "3", "2027"]})
    assert response.status_code == 303
    assert _stored(app, report_id).label == "Overview and Scrutiny Committee, 4 March 2027"
    with app.app_context():
        change = db.session.scalar(select(Change).where(Change.entity_type == "committee_report",
                                                        Change.field == "meeting_on"))
        assert (change.before, change.after, change.user_name) == ("2026-12-03", "2027-03-04", "Manager User")


def test_a_bad_meeting_date_or_empty_committee_is_refused_and_changes_nothing(app, client_for):
    manager = client_for("manager")
    report_id = _report(manager)
    page = manager.page(f"/reports/{report_id}/edit")
    response = manager.http.post(f"/reports/{report_id}/edit", data={
        "csrf_token": page.csrf_token, "committee": "O&S", "meeting_on": ["31", "2", "2027"]})
    assert response.status_code == 400
    from tests.client import Page
    refused = Page(response)
    assert refused.errors and refused.soup.select(".govuk-error-summary")
    response = manager.http.post(f"/reports/{report_id}/edit", data={
        "csrf_token": page.csrf_token, "committee": "  ", "meeting_on": ["4", "3", "2027"]})
    assert response.status_code == 400 and "Enter the committee" in Page(response).text
    assert _stored(app, report_id).label == "Overview and Scrutiny Committee, 3 December 2026"


def test_a_draft_is_deleted_only_from_its_confirmation_page(app, client_for):
    manager = client_for("manager")
    report_id = _report(manager)
    page = manager.page(f"/reports/{report_id}/delete")
    assert "Delete the draft report to Overview and Scrutiny Committee, 3 December 2026?" in page.text
    # A bare post (no confirmation field) deletes nothing.
    assert manager.post(f"/reports/{report_id}/delete", token_from="/reports").status_code == 400
    assert _stored(app, report_id) is not None
    response = manager.http.post(f"/reports/{report_id}/delete", data=page.form(f"/reports/{report_id}/delete"))
    assert response.status_code == 303
    assert _stored(app, report_id) is None
    assert manager.get(f"/reports/{report_id}").status_code == 404
    with app.app_context():
        deleted = db.session.scalar(select(Change).where(Change.field == "deleted"))
        assert deleted.before == "Overview and Scrutiny Committee, 3 December 2026"


def test_publishing_asks_first_says_what_is_frozen_and_happens_once(app, client_for):
    manager = client_for("manager")
    report_id = _report(manager)
    report_page = manager.page(f"/reports/{report_id}")
    assert not report_page.select(f'form[action="/reports/{report_id}/publish"]')  # a link, not a one-click button
    assert report_page.select(f'a[href="/reports/{report_id}/publish"]')
    confirm = manager.page(f"/reports/{report_id}/publish")
    frozen = confirm.text_of('[data-testid="frozen"]')
    assert "Covering report" in frozen and "Appendix A" in frozen and "87 actions and 116 measures" in frozen
    assert "No report has been published before" in confirm.text
    assert _publish(manager, report_id).status_code == 303
    assert _stored(app, report_id).published
    again = manager.page(f"/reports/{report_id}/publish")
    assert "is already published" in again.text and not again.select(f'form[action="/reports/{report_id}/publish"]')
    assert _publish(manager, report_id).status_code == 303
    assert "already published" in manager.page(f"/reports/{report_id}").text


def test_a_published_report_cannot_be_edited_or_deleted(app, client_for):
    manager = client_for("manager")
    report_id = _report(manager)
    _publish(manager, report_id)
    for path in ("edit", "delete", "covering"):
        response = manager.post(f"/reports/{report_id}/{path}", token_from=f"/reports/{report_id}",
                                data={"committee": "X", "meeting_on": "2030-01-01", "confirm": "yes", "version": "1"})
        assert response.status_code == 303
    stored = _stored(app, report_id)
    assert stored is not None and stored.label == "Overview and Scrutiny Committee, 3 December 2026"


def test_committee_members_and_liaison_cannot_touch_drafts(app, client_for):
    manager = client_for("manager")
    report_id = _report(manager)
    for role in ("committee", "liaison", "owner"):
        other = client_for(role)
        for path in ("edit", "delete", "publish", "covering"):
            assert other.get(f"/reports/{report_id}/{path}").status_code == 403
        assert other.post(f"/reports/{report_id}/delete", token_from="/", data={"confirm": "yes"}).status_code == 403
    assert _stored(app, report_id) is not None


def test_the_covering_report_is_written_carried_forward_and_frozen(app, client_for):
    manager = client_for("manager")
    first = _report(manager)
    page = manager.page(f"/reports/{first}/covering")
    form = page.form(f"/reports/{first}/covering")
    summary = next(k for k, v in form.items() if k.startswith("text_") and v.startswith("This report details"))
    response = manager.http.post(f"/reports/{first}/covering", data={
        **form, "reference": "CS 01/03", "contact_officer": "John Nutley", "extension": "x7250",
        summary: "This report details the progress of the Customer Contact Action Plan."})
    assert response.status_code == 303
    covering = manager.page(f"/reports/{first}?part=covering").text
    assert "Report reference: CS 01/03" in covering and "John Nutley" in covering and "Ext: x7250" in covering
    assert "This report details the progress of the Customer Contact Action Plan." in covering
    _publish(manager, first)
    second = _report(manager, "2027-03-04")
    # Carried forward from the last report, for the officer to edit.
    carried = manager.page(f"/reports/{second}/covering").form(f"/reports/{second}/covering")
    assert (carried["reference"], carried["contact_officer"]) == ("CS 01/03", "John Nutley")
    assert carried[summary] == "This report details the progress of the Customer Contact Action Plan."
    response = manager.http.post(f"/reports/{second}/covering", data={**carried, "reference": "CS 02/04"})
    assert response.status_code == 303
    assert "Report reference: CS 01/03" in manager.page(f"/reports/{first}?part=covering").text  # frozen
    assert "Report reference: CS 02/04" in manager.page(f"/reports/{second}?part=covering").text


def test_a_stale_covering_form_is_refused_with_the_text_kept(app, client_for):
    manager = client_for("manager")
    report_id = _report(manager)
    form = manager.page(f"/reports/{report_id}/covering").form(f"/reports/{report_id}/covering")
    assert manager.http.post(f"/reports/{report_id}/covering", data={**form, "reference": "CS 01/03"}).status_code == 303
    old = manager.page(f"/reports/{report_id}/covering").form(f"/reports/{report_id}/covering")
    assert manager.http.post(f"/reports/{report_id}/covering", data={**old, "reference": "CS 02/03"}).status_code == 303
    response = manager.http.post(f"/reports/{report_id}/covering", data={**old, "reference": "CS 03/03"})
    assert response.status_code == 409
    assert 'value="CS 03/03"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(CoveringReport.reference)) == "CS 02/03"
    assert manager.http.post(f"/reports/{report_id}/covering", data={**old, "version": "x"}).status_code == 400


def test_the_council_chooses_its_report_sections(app, client_for):
    admin, manager = client_for("admin"), client_for("manager")
    assert manager.get("/reports/sections").status_code == 403
    page = admin.page("/reports/sections")
    assert page.form("/reports/sections")["sections"].startswith("Summary\nRecommendations\nContact Officer = contact")
    bad = admin.http.post("/reports/sections", data={**page.form("/reports/sections"), "sections": "Summary = poem"})
    assert bad.status_code == 400 and "is not a kind of section" in bad.get_data(as_text=True)
    sections = "Purpose of the report\nKey points = plan\nChanges = changes\nFinancial implications\n- Revenue\n- Capital"
    assert admin.http.post("/reports/sections", data={**page.form("/reports/sections"),
                                                       "sections": sections}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(CoveringSettings)).sections[-1]["items"][1]["title"] == "Capital"
    report_id = _report(manager)
    text = manager.page(f"/reports/{report_id}?part=covering").text
    assert text.index("Purpose of the report") < text.index("Key points") < text.index("Financial implications")
    assert "Revenue – None" in text and "Background" not in text


def test_two_first_saves_of_a_covering_report_at_once_give_a_clean_conflict_with_both_texts(
        app, client_for, monkeypatch):
    from tracker.reports import covering_operations as ops

    mine, theirs = client_for("manager"), client_for("admin")
    report_id = _report(mine)
    url = f"/reports/{report_id}/covering"
    my_form, their_form = mine.page(url).form(url), theirs.page(url).form(url)
    assert theirs.http.post(url, data={**their_form, "reference": "CS 01/03",
                                       "contact_officer": "Their officer"}).status_code == 303
    # My save read "nothing saved yet" just before theirs was committed: its insert meets theirs.
    real, racing = ops.covering_of, {"first": True}

    def covering_of_as_read_before_theirs(report):
        if racing.pop("first", False):
            return None
        return real(report)

    real_save = ops.save_covering

    def save_in_the_race(*args, **kwargs):
        monkeypatch.setattr(ops, "covering_of", covering_of_as_read_before_theirs)
        try:
            return real_save(*args, **kwargs)
        finally:
            monkeypatch.setattr(ops, "covering_of", real)

    monkeypatch.setattr(ops, "save_covering", save_in_the_race)
    response = mine.http.post(url, data={**my_form, "reference": "CS 02/03", "contact_officer": "My officer"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'value="CS 02/03"' in page and 'value="My officer"' in page  # what I typed is kept
    assert "CS 01/03" in page and "Their officer" in page  # theirs is shown beside it
    with app.app_context():
        assert db.session.scalar(select(CoveringReport.contact_officer)) == "Their officer"
        assert db.session.scalar(select(func.count(CoveringReport.id))) == 1
    # Having seen both, saving again (the form now carries their version) applies mine.
    monkeypatch.setattr(ops, "save_covering", real_save)
    again = {**my_form, "reference": "CS 02/03", "contact_officer": "My officer",
             "version": re.search(r'name="version" type="hidden" value="(\d+)"|id="version" name="version" '
                                  r'type="hidden" value="(\d+)"', page).group(0).rsplit('"', 2)[-2]}
    assert mine.http.post(url, data=again).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(CoveringReport.contact_officer)) == "My officer"
