""""Since the last report", complete: every kind of change a councillor asks about, each with the
item's own words, in the covering report of the next committee report."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.web.reports import draft_report, publish
from tracker.domain.report_diff import since_last_report
from tracker.extensions import db
from tracker.models import Action, Review
from tracker.plan.operations import assign_owner, find_or_create_owner, set_target_date, update_measure
from tracker.plan.structure_ops import add_action, retire_action
from tracker.reports.renderers.csv import read_tables


def _action(ref: str) -> Action:
    return db.session.scalar(select(Action).where(Action.ref == ref))


def _changes(app, change) -> None:
    with app.app_context():
        change()
        db.session.commit()


def test_progress_text_owner_and_target_date_changes_appear_with_their_texts(app, client_for):
    manager = client_for("manager")
    _changes(app, lambda: set_target_date(_action("CC-10-ENV-10"), dt.date(2004, 3, 31)))
    first = draft_report(manager, "2026-12-03")
    publish(manager, first)

    def later():
        extended = _action("CC-10-ENV-10")
        # A new progress text under the same status: the status is chosen, so it cannot move.
        update_measure(extended.measures[0], category=extended.measures[0].status,
                       text="To start: a market test of Saturday opening is planned for the spring")
        owner = find_or_create_owner(extended.review.authority_id, "Jane Officer", "Customer Services")
        assign_owner([_action("CC-34-OWN-06")], owner)
        set_target_date(extended, dt.date(2004, 9, 30), reason="Waits for the new opening hours consultation")
    _changes(app, later)
    second = draft_report(manager, "2027-03-04")
    page = manager.page(f"/reports/{second}?part=covering")
    text = page.text
    assert "Compared with the report to Overview and Scrutiny Committee, 3 December 2026" in text
    # The progress update, with the measure's own words, what it said and what it says now.
    assert "Progress updated, same status (1)" in text
    assert "Market test extended opening hours particularly late night Thursday night opening" in text
    assert "To start: a market test of Saturday opening is planned for the spring" in text
    # The owner change, with the action's title.
    assert "Changes of owner (1)" in text and "Comment and suggestion sheets" in text and "Jane Officer" in text
    # The moved target date, with its reason.
    assert "Target dates set or moved (1)" in text
    assert "30 September 2004" in text and "Waits for the new opening hours consultation" in text
    tables = read_tables(manager.get(f"/reports/{second}/covering.csv").data.decode("utf-8-sig"))
    [progress] = tables["Progress updated, same status"]
    assert progress["Ref-Id"] == "CC-10-ENV-10" and progress["Was"] == "To start"
    assert progress["Item"].startswith("Extended opening hours\n1) Market test extended opening hours")
    [owner] = tables["Changes of owner"]
    assert (owner["Ref-Id"], owner["Was"], owner["Now"]) == ("CC-34-OWN-06", "Not assigned",
                                                             "Jane Officer (Customer Services)")
    [moved] = tables["Target dates set or moved"]
    assert (moved["Was"], moved["Now"], moved["Original"], moved["Reason"]) == (
        "31 March 2004", "30 September 2004", "31 March 2004", "Waits for the new opening hours consultation")


def test_completed_items_are_listed_once_and_new_and_retired_items_have_their_words(app, client_for):
    manager = client_for("manager")
    first = draft_report(manager, "2026-12-03")
    publish(manager, first)

    def later():
        update_measure(_action("CC-20-ENV-20").measures[0], category=None, text="Complete")
        update_measure(_action("CC-34-OWN-06").measures[0], category=None, text="Outcome of CCC Project")
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        theme = next(t for t in review.themes if t.code == "PERF")
        add_action(review, theme, ref="CC-88-PERF-11", title="Publish the contact centre's figures monthly")
        retire_action(_action("CC-18-ENV-18"), reason="Redundant: the contact centre is one central point")
    _changes(app, later)
    second = draft_report(manager, "2027-03-04")
    tables = read_tables(manager.get(f"/reports/{second}/covering.csv").data.decode("utf-8-sig"))
    assert [r["Ref-Id"] for r in tables["Completed"]] == ["CC-20-ENV-20"]
    # Completed once: not again under the other changes of status.
    assert [(r["Ref-Id"], r["Was"], r["Now"]) for r in tables["Other changes of status"]] == [
        ("CC-34-OWN-06", "Not started", "Dependent")]
    assert "1) Institute formal arrangement for considering suggestions and comments" in \
        tables["Other changes of status"][0]["Item"]
    assert [(r["Ref-Id"], r["Item"]) for r in tables["New items"]] == [
        ("CC-88-PERF-11", "Publish the contact centre's figures monthly")]
    [retired] = tables["Retired items"]
    assert retired["Ref-Id"] == "CC-18-ENV-18" and retired["Item"] == "Pictorial coding of services"
    assert retired["Reason"] == "Redundant: the contact centre is one central point"
    text = manager.page(f"/reports/{second}?part=covering").text
    assert ("In brief: 1 measure completed; 1 other change of status; 1 new item; 1 item retired.") in text


def test_a_first_report_has_nothing_to_compare_with(client_for):
    manager = client_for("manager")
    report_id = draft_report(manager, "2026-12-03")
    assert "No committee report has been published before" in manager.page(f"/reports/{report_id}?part=covering").text


def test_a_baseline_without_the_newer_fields_reports_no_invented_changes():
    old = {"measures": {"R1|1": {"ref": "R1", "number": 1, "status": "not_started", "output": "To start"}},
           "actions": {"R1": {"title": "An action", "target_date": None}}}
    new = {"measures": {"R1|1": {"ref": "R1", "number": 1, "status": "not_started", "output": "To start",
                                 "text": "Do it"}},
           "actions": {"R1": {"title": "An action", "target_date": None, "owner": "Someone"}},
           "retired": {"actions": {}, "measures": {}}}
    assert since_last_report(old, new).empty
    held = {"measures": {"R1|0": {"ref": "R1", "number": 0, "status": "complete", "output": "Done"}},
            "actions": {"R1": {"title": "An action"}}}
    before = {"measures": {"R1|0": {"ref": "R1", "number": 0, "status": "in_progress", "output": "Under way"}},
              "actions": {"R1": {"title": "An action"}}}
    [done] = since_last_report(before, held).completed
    assert (done["title"], done["text"]) == ("An action", "")  # progress held on the action: the action is the item


def test_the_summary_says_the_same_as_the_covering_report_grouped_in_a_councillors_order(app, client_for):
    manager = client_for("manager")
    _changes(app, lambda: set_target_date(_action("CC-10-ENV-10"), dt.date(2004, 3, 31)))
    first = draft_report(manager, "2026-12-03")
    publish(manager, first)

    def later():
        update_measure(_action("CC-20-ENV-20").measures[0], category=None, text="Complete")
        extended = _action("CC-10-ENV-10")
        update_measure(extended.measures[0], category=extended.measures[0].status,
                       text="To start: a market test of Saturday opening is planned for the spring")
        set_target_date(extended, dt.date(2004, 9, 30), reason="Waits for the new opening hours consultation")
        owner = find_or_create_owner(extended.review.authority_id, "Jane Officer", "Customer Services")
        assign_owner([_action("CC-34-OWN-06")], owner)
        retire_action(_action("CC-18-ENV-18"), reason="Redundant: the contact centre is one central point")
    _changes(app, later)
    second = draft_report(manager, "2027-03-04")
    kinds = ["Completed", "Progress updated, same status", "Target dates set or moved", "Changes of owner",
             "Retired items"]
    summary = read_tables(manager.get(f"/reports/{second}/summary.csv").data.decode("utf-8-sig"))
    covering = read_tables(manager.get(f"/reports/{second}/covering.csv").data.decode("utf-8-sig"))
    for kind in kinds:
        assert summary[kind] == covering[kind], kind
    assert summary["Progress updated, same status"][0]["Item"].startswith("Extended opening hours\n1) Market test")
    text = manager.page(f"/reports/{second}?part=summary").text
    positions = [text.index(f"{kind} (1)") for kind in kinds]
    assert positions == sorted(positions)
    assert "In brief: 1 measure completed; 1 progress text updated under the same status; 1 target date set or " \
           "moved; 1 change of owner; 1 item retired." in text
