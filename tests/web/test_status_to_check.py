"""A progress text no rule recognises keeps the status it had and is flagged "Status to check":
the committee never reads a silent "Not started" for work under way.

Written as the manager sees it (action page, dashboard, filtered list, report preview), as the
import sees it, and as the roles that may not confirm a status.
"""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from tests.client import Page
from tests.web.files import ONE_ROW_PER_MEASURE, xlsx
from tracker.extensions import db
from tracker.imports.operations import apply_import, plan_spreadsheet
from tracker.models import Action, Change, Measure

ACTION = "/actions/CC-01-ENV-01"
UNREAD = "Spoke to Highways about the wording"  # no rule recognises it


def measure(app, ref="CC-01-ENV-01", number=1):
    with app.app_context():
        m = db.session.scalar(select(Measure).join(Action).where(Action.ref == ref, Measure.number == number))
        return {"status": m.status, "measured_output": m.measured_output, "to_check": m.status_to_check,
                "overridden": m.status_overridden, "version": m.version,
                "depends_on": m.depends_on.code if m.depends_on else None}


def changes_of(app, label="CC-01-ENV-01 measure 1"):
    with app.app_context():
        return [(c.field, c.before, c.after) for c in db.session.scalars(
            select(Change).where(Change.entity_label == label, Change.field != "created").order_by(Change.id))]


def form_fields(client, url_part: str, page: str = ACTION) -> dict:
    """The fields of the first form posting to ``url_part`` on the page, as a browser sends them."""
    return client.page(page).form(url_part)


def save_measure(client, number=1, **fields):
    data = form_fields(client, f"{ACTION}/measures/{number}")
    data.update({"status": "", "note": "", **fields})
    return client.post(f"{ACTION}/measures/{number}", data=data)


def confirm(client, number=1, **fields):
    data = form_fields(client, f"{ACTION}/measures/{number}/confirm")
    data.update(fields)
    return client.post(f"{ACTION}/measures/{number}/confirm", data=data)


def test_an_unrecognised_text_keeps_in_progress_is_flagged_and_counted(app, client_for):
    manager = client_for("manager")
    assert measure(app)["status"] == "in_progress"  # "One new road sign has been installed."
    dashboard = manager.page("/").text
    assert "statuses to check" not in dashboard and "status to check" not in dashboard

    response = save_measure(manager, measured_output=UNREAD)

    assert response.status_code == 303
    after = measure(app)
    assert (after["status"], after["measured_output"], after["to_check"], after["overridden"]) == \
        ("in_progress", UNREAD, True, False)
    # The text changed; the status did not, so the history says nothing about a status.
    assert changes_of(app) == [("measured_output", "One new road sign has been installed.", UNREAD)]
    status_cell = manager.page(ACTION).texts('[data-testid="measure-status"]')[0]  # measure 1's
    assert "In progress" in status_cell and "Status to check" in status_cell

    dashboard = manager.page("/")
    assert "1 status to check" in dashboard.text
    link = dashboard.one('[data-testid="statuses-to-check"] a')["href"]
    listed = manager.page(link)
    assert "check=1" in link
    assert "1 action matches these filters" in listed.text and listed.texts("td.app-ref a") == ["CC-01-ENV-01"]


def test_a_new_text_a_rule_recognises_clears_the_flag(app, client_for):
    manager = client_for("manager")
    save_measure(manager, measured_output=UNREAD)
    assert save_measure(manager, measured_output="Complete").status_code == 303
    assert (measure(app)["status"], measure(app)["to_check"]) == ("complete", False)


def test_an_unrecognised_text_on_a_dependent_measure_keeps_what_it_waits_on(app, client_for):
    manager = client_for("manager")
    data = form_fields(manager, f"{ACTION}/measures/3")
    manager.post(f"{ACTION}/measures/3", data={**data, "status": "", "note": "",
                                                "measured_output": "Outcome of CCC Project"})
    assert (measure(app, number=3)["status"], measure(app, number=3)["depends_on"]) == ("dependent", "CCC")
    data = form_fields(manager, f"{ACTION}/measures/3")
    manager.post(f"{ACTION}/measures/3", data={**data, "status": "", "note": "", "measured_output": UNREAD})
    after = measure(app, number=3)
    assert (after["status"], after["depends_on"], after["to_check"]) == ("dependent", "CCC", True)


def test_confirming_keeps_the_category_clears_the_flag_and_says_so_in_the_history(app, client_for):
    manager = client_for("manager")
    save_measure(manager, measured_output=UNREAD)
    version = measure(app)["version"]

    response = confirm(manager, note="Checked with Highways")

    assert response.status_code == 303 and response.headers["Location"].endswith("#measure-1")
    after = measure(app)
    assert (after["status"], after["to_check"], after["measured_output"]) == ("in_progress", False, UNREAD)
    assert after["version"] == version + 1
    assert changes_of(app)[-1] == ("status_confirmed", None, "In progress")
    page = manager.page(ACTION).text
    assert "Status confirmed as In progress. Note: Checked with Highways" in page
    assert "Status to check" not in page
    assert "CC-01-ENV-01 measure 1 – Status confirmed as In progress (Manager User)" in manager.page("/").text
    assert "Status confirmed as In progress" in manager.page("/changes").text
    assert not manager.page("/").select('[data-testid="statuses-to-check"]')


def test_confirming_with_htmx_returns_just_the_measure(app, client_for):
    manager = client_for("manager")
    save_measure(manager, measured_output=UNREAD)
    response = manager.post(f"{ACTION}/measures/1/confirm", data=form_fields(manager, f"{ACTION}/measures/1/confirm"),
                            headers={"HX-Request": "true", "HX-Target": "measure-1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith("<div class=\"govuk-summary-card\" id=\"measure-1\"")
    assert "status confirmed as In progress" in Page(response).text and "Status to check" not in Page(response).text
    assert measure(app)["to_check"] is False


def test_confirming_a_status_someone_changed_meanwhile_is_refused(app, client_for):
    manager = client_for("manager")
    save_measure(manager, measured_output=UNREAD)
    stale = form_fields(manager, f"{ACTION}/measures/1/confirm")
    save_measure(client_for("admin"), measured_output=UNREAD + ", and again")  # still unrecognised, still flagged

    response = manager.post(f"{ACTION}/measures/1/confirm", data={**stale, "note": "typed note"})

    assert response.status_code == 409
    page = Page(response)
    assert "Nothing was confirmed" in page.text and page.form(f"{ACTION}/measures/1/confirm")["note"] == "typed note"
    assert measure(app)["to_check"] is True
    assert "status_confirmed" not in [field for field, _, _ in changes_of(app)]


def test_a_note_too_long_is_refused_with_a_message_and_nothing_is_confirmed(app, client_for):
    manager = client_for("manager")
    save_measure(manager, measured_output=UNREAD)
    response = confirm(manager, note="x" * 501)
    assert response.status_code == 400 and "Keep the note to 500 characters or fewer" in Page(response).text
    assert measure(app)["to_check"] is True


def test_confirming_a_measure_that_is_not_flagged_changes_nothing(app, client_for):
    manager = client_for("manager")
    version = measure(app)["version"]
    data = form_fields(manager, f"{ACTION}/measures/1")  # a valid token and the measure's version
    response = manager.post(f"{ACTION}/measures/1/confirm", data={"csrf_token": data["csrf_token"],
                                                                   "version": str(version)})
    assert response.status_code == 303
    assert measure(app)["version"] == version and changes_of(app) == []
    assert "Confirm status" not in manager.page(ACTION).text


def test_choosing_the_status_in_the_measure_form_clears_the_flag(app, client_for):
    manager = client_for("manager")
    save_measure(manager, measured_output=UNREAD)
    save_measure(manager, measured_output=UNREAD, status="in_progress")
    after = measure(app)
    assert (after["status"], after["to_check"], after["overridden"]) == ("in_progress", False, True)
    assert changes_of(app)[-1] == ("status_confirmed", None, "In progress")

    save_measure(manager, measured_output="Another unread remark", status="")
    assert measure(app)["to_check"] is True
    save_measure(manager, measured_output="Another unread remark", status="on_hold")
    after = measure(app)
    assert (after["status"], after["to_check"]) == ("on_hold", False)
    assert changes_of(app)[-1] == ("status", "in_progress", "on_hold")


@pytest.mark.parametrize("role", ["committee", "owner", "liaison"])
def test_only_editors_may_confirm_a_status(app, client_for, role):
    save_measure(client_for("manager"), measured_output=UNREAD)
    if role == "owner":  # even the owner of the action: confirming is the manager's call
        with app.app_context():
            from tracker.models import Owner, User
            owner = Owner(authority_id=db.session.scalar(select(Action)
                                                         .where(Action.ref == "CC-01-ENV-01")).review.authority_id,
                          name="Owen Owner", business_unit="")
            db.session.add(owner)
            db.session.flush()
            db.session.scalar(select(User).where(User.role == "owner")).owner_id = owner.id
            db.session.execute(Action.__table__.update().where(Action.ref == "CC-01-ENV-01")
                               .values(owner_id=owner.id))
            db.session.commit()
    client = client_for(role)
    page = client.page(ACTION)
    assert "Status to check" in page.text and "Confirm status" not in page.text
    assert not page.select(f'form[action^="{ACTION}/measures/1/confirm"]')
    before = measure(app)
    response = client.post(f"{ACTION}/measures/1/confirm", token_from=ACTION,
                           data={"version": str(before["version"])})
    assert response.status_code == 403
    assert measure(app) == before


def test_report_preview_warns_but_the_report_shows_the_category_as_before(app, client_for):
    manager = client_for("manager")
    save_measure(manager, measured_output=UNREAD)
    response = manager.post("/reports", token_from="/reports", data={"committee": "Overview and Scrutiny Committee",
                                                                     "meeting_on": "2026-12-03"})
    report = response.headers["Location"]
    preview = manager.get(report)
    assert "1 measure has a status to check" in Page(preview).text
    rows = list(csv.reader(io.StringIO(manager.get(f"{report}/appendix-b.csv").data.decode("utf-8-sig"))))
    mine = [r for r in rows if UNREAD in " ".join(r)]
    assert mine and "In progress" in " ".join(mine[0]) and "Status to check" not in " ".join(c for r in rows for c in r)
    body = manager.page(f"{report}?part=appendix-b").text_of(".app-report.report-doc")
    assert UNREAD in body and "Status to check" not in body


def test_an_import_with_an_unrecognised_text_flags_the_same_way(app, client_for):
    rows = [r[:] for r in ONE_ROW_PER_MEASURE]
    with app.app_context():
        apply_import(plan_spreadsheet(xlsx(rows), "tracker.xlsx", "SC"))
        db.session.commit()  # the request (or command) commits; here the test does
    assert measure(app, "SC2", 1)["status"] == "dependent"  # "Awaiting decision of Cabinet"
    rows[3][5] = "Cabinet paper with legal"  # no rule reads it
    rows.append(["SC3", "Web chat", "Contact Centre", 1, "Try web chat", "Vendor demo booked", "", "B. Khan", ""])
    with app.app_context():
        plan = plan_spreadsheet(xlsx(rows), "tracker-v2.xlsx", "SC")
        assert plan.problems == []
        note = next(n for n in plan.notes if "no status rule recognises" in n)
        assert note.startswith("2 measures (SC2 measure 1, SC3 measure 1)") and "Status to check" in note
        apply_import(plan)
        db.session.commit()
    kept, new = measure(app, "SC2", 1), measure(app, "SC3", 1)
    assert (kept["status"], kept["to_check"]) == ("dependent", True)
    assert (new["status"], new["to_check"]) == ("not_started", True)
    assert (measure(app, "SC1", 2)["to_check"]) is False  # a chosen status is never flagged
    assert "2 statuses to check" in client_for("manager").page("/?review=SC").text


def test_the_seed_flags_the_same_way(empty_app, tmp_path):
    """Seeds go through the import writer: an unrecognised text is Not started (a new measure) and flagged."""
    from tracker.imports.seed import load_seeds

    seed = (empty_app.config["SEEDS_DIR"] / "reviews" / "cc.yaml").read_text(encoding="utf-8")
    assert "    measured_output: To start\n" in seed
    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews" / "cc.yaml").write_text(seed.replace("    measured_output: To start\n",
                                                               f"    measured_output: {UNREAD}\n", 1),
                                                  encoding="utf-8")
    with empty_app.app_context():
        load_seeds(tmp_path)
        db.session.commit()
        flagged = db.session.execute(select(Action.ref, Measure.number, Measure.status, Measure.measured_output)
                                     .join(Action).where(Measure.status_to_check.is_(True))).all()
    assert flagged == [("CC-01-ENV-01", 2, "not_started", UNREAD)]
