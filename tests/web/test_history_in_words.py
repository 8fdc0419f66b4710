"""History and /changes read as words, in UK local time, with refs that link to the action."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.client import Page
from tests.web.forms_pages import date_boxes, has_target, legends, summary_links
from tests.web.versions import measure_form
from tracker.extensions import db
from tracker.history_display import uk_time
from tracker.models import Action, Change, Measure, Review

REF = "CC-01-ENV-01"


def add_change(app, at: dt.datetime, **values) -> None:
    with app.app_context():
        measure = db.session.scalar(select(Measure).join(Action).where(Action.ref == REF, Measure.number == 2))
        review_id = db.session.scalar(select(Review.id).where(Review.code == "CC"))
        db.session.add(Change(at=at, entity_type="measure", entity_id=measure.id, entity_label=f"{REF} measure 2",
                              review_id=review_id, user_name="Manager User", **values))
        db.session.commit()


def test_uk_time_follows_summer_and_winter_time():
    assert uk_time(dt.datetime(2026, 11, 30, 14, 5)) == "30 Nov 2026, 2:05pm"   # GMT
    assert uk_time(dt.datetime(2026, 7, 1, 13, 5)) == "1 Jul 2026, 2:05pm"      # BST: UTC+1
    assert uk_time(dt.datetime(2026, 3, 29, 0, 30)) == "29 Mar 2026, 12:30am"  # the night the clocks go forward
    assert uk_time(dt.datetime(2026, 1, 5, 9, 0)) == "5 Jan 2026, 9:00am"


def test_the_action_history_shows_words_local_time_and_links(app, client_for):
    add_change(app, dt.datetime(2026, 7, 1, 13, 5), field="status", before="not_started", after="in_progress")
    page = client_for("committee").page(f"/actions/{REF}")
    text = page.text
    assert "1 Jul 2026, 2:05pm" in text
    assert "Status: Not started → In progress" in text
    assert "not_started" not in text and "in_progress" not in text
    assert "created created" not in text and "Created" in text  # the seed's own entries
    assert f"{REF} measure 2" in [" ".join(link.get_text(" ").split())
                                  for link in page.select(f'a.govuk-link[href="/actions/{REF}?review=CC"]')
                                  if link.select_one("span.app-ref")]


def test_changes_page_shows_words_local_time_and_links(app, client_for):
    add_change(app, dt.datetime(2026, 11, 3, 14, 5), field="status", before="not_started", after="complete",
               note="Signed off")
    page = client_for("manager").page("/changes?from=2026-11-03&to=2026-11-03")
    text = page.text
    assert "When (UK time)" in text and "3 Nov 2026, 2:05pm" in text and "2026-11-03 14:05" not in text
    assert "Status: Not started → Complete" in text and "Signed off" in text
    assert [link.select_one("span.app-ref").get_text() for link in page.select(f'a[href="/actions/{REF}?review=CC"]')
            if link.select_one("span.app-ref")][:1] == [REF]


def test_the_dashboard_recent_changes_are_in_words(app, client_for):
    manager = client_for("manager")
    manager.post(f"/actions/{REF}/measures/2", data=measure_form(manager, measured_output="Complete"))
    with app.app_context():
        at = db.session.scalar(select(Change.at).where(Change.field == "status").order_by(Change.id.desc()))
    text = manager.page("/").text
    assert f"{uk_time(at)}: {REF} measure 2 – Status: Not started → Complete" in text
    assert "Progress text: To start → Complete" in text


def test_a_recommendation_history_links_to_it(app, client_for):
    with app.app_context():
        review_id = db.session.scalar(select(Review.id).where(Review.code == "CC"))
        db.session.add(Change(at=dt.datetime(2026, 11, 2, 10, 0), entity_type="recommendation", entity_id=1,
                              entity_label="Recommendation 3", review_id=review_id, field="response",
                              before=None, after="partly_accepted"))
        db.session.commit()
    page = client_for("manager").page("/changes?from=2026-11-02&to=2026-11-02")
    assert "Council's response: none → Partly accepted" in page.text
    assert "Recommendation 3" in page.texts('a[href="/recommendations/3?review=CC"]')


def test_the_changes_filter_takes_gov_uk_date_boxes_and_dates_as_typed(app, client_for):
    add_change(app, dt.datetime(2026, 11, 3, 14, 5), field="status", before="not_started", after="complete")
    manager = client_for("manager")
    for dates in ({"from": ["3", "11", "2026"], "to": ["3", "Nov", "2026"]},
                  {"from": "3/11/2026", "to": "3 November 2026"},
                  {"from": "2026-11-03", "to": "2026-11-03"}):
        response = manager.get("/changes", query_string=dates)
        assert response.status_code == 200 and "3 Nov 2026, 2:05pm" in Page(response).text, dates
    assert "No changes in this period" in manager.page("/changes", query_string={"from": ["4", "11", "2026"],
                                                                                "to": "4/11/2026"}).text
    page = manager.get("/changes", query_string={"from": ["3", "11", "2026"]})
    assert date_boxes(page, "from") == ["3", "11", "2026"] and date_boxes(page, "to") == ["", "", ""]
    assert legends(page) == ["From date", "To date"]


def test_an_impossible_changes_date_is_refused_with_a_link_to_its_first_box(app, client_for):
    manager = client_for("manager")
    response = manager.get("/changes", query_string={"from": ["31", "2", "2026"], "to": ["1", "3", "2026"]})
    assert response.status_code == 400 and "No changes in this period" in Page(response).text
    assert summary_links(response) == {"#from-day": "From date must be a real date, for example 31 3 2027"}
    assert has_target(response, "#from-day") and date_boxes(response, "from") == ["31", "2", "2026"]
    backwards = manager.get("/changes", query_string={"from": "2026-12-01", "to": "2026-01-01"})
    assert backwards.status_code == 400
    assert summary_links(backwards) == {"#to-day": "The 'to' date must be the same as or after the 'from' date"}


def test_the_owners_side_reads_as_sentences(app, tmp_path):
    """Request sent, replies sent for review ("No change" and new text), "No change" accepted, an update returned."""
    from tests.conftest import Client
    from tests.web.owners import JO_REFS, decide, links_by_owner, reply, send, set_up_owners, waiting
    app.config["MAIL_OUTBOX"] = str(tmp_path)
    s = set_up_owners(app)
    assert send(app, s.report_id).status_code == 303
    link = links_by_owner(tmp_path)["Jo Bloggs"]
    first, second = s.measure_ids[JO_REFS[0]][0], s.measure_ids[JO_REFS[1]][0]
    visitor = Client(app)
    assert reply(visitor, link, first, no_change=True).status_code == 303
    assert reply(visitor, link, second, text="Toilets reopened in May").status_code == 303
    manager = Client(app, "manager")
    replies = {r.measure_id: r.id for r in waiting(app)}
    assert decide(app, manager, replies[first], accept="Accept").status_code == 303
    assert decide(app, manager, replies[second], note="Which toilets?", send_back="Return to owner").status_code == 303
    with app.app_context():
        numbers = {m.id: m.number for m in db.session.scalars(select(Measure).where(Measure.id.in_([first, second])))}
    today = dt.date.today().isoformat()
    page = manager.page(f"/changes?from={today}&to={today}")
    rows = [" ".join(row.get_text(" ").split()) for row in page.select("tbody tr")]

    def row_with(*words):
        found = [r for r in rows if all(w in r for w in words)]
        assert found, f"no row with {words} in {rows}"
        return found[0]

    assert row_with("Report", "Update request sent to Jo Bloggs (Facilities)", "Manager User", "reply by ")
    assert row_with(f"{JO_REFS[0]} measure {numbers[first]}", "“No change” from Jo Bloggs (Facilities) sent for review",
                    "Jo Bloggs (by the reply link)")
    assert row_with(f"{JO_REFS[1]} measure {numbers[second]}", "Update from Jo Bloggs (Facilities) sent for review")
    assert row_with(f"{JO_REFS[0]} measure {numbers[first]}", "“No change” accepted: the progress text stands",
                    "from Jo Bloggs (Facilities), accepted by Manager User")
    assert row_with(f"{JO_REFS[1]} measure {numbers[second]}", "Update returned to Jo Bloggs (Facilities)",
                    "Which toilets?")
    # The owner's unreviewed words are not in the history: they count once a manager accepts them.
    assert not any("Toilets reopened in May" in r for r in rows)
    assert not any("update_request" in r or "owner_reply" in r or "owner_confirmed" in r for r in rows)
    assert page.select(f'a[href="/reports/{s.report_id}"]')  # each request links to its report
