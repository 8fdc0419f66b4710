"""The Liaison Group assigns owners and target dates to many actions in one step: the ticked rows, or
every action the filtered list matches (all its pages), confirmed when more than one page, refused when
the set changed since the list was shown."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.client import Page
from tests.web.versions import row_versions
from tracker.extensions import db
from tracker.models import Action, Change, Owner, Theme
from tracker.plan.operations import assign_owner, find_or_create_owner, set_target_date

BULK = "/actions/assign"


def bulk_form(client, list_url: str, **typed) -> dict:
    """The bulk form's fields as the list page drew them (select-all count and fingerprint included)."""
    data = client.page(list_url).form(BULK)
    data.update(typed)
    return data


def actions_in(app, theme: str) -> list[Action]:
    with app.app_context():
        return db.session.scalars(select(Action).join(Theme, Action.theme_id == Theme.id)
                                  .where(Theme.code == theme, Action.archived.is_(False))
                                  .order_by(Action.position)).all()


def state(app) -> dict[str, tuple]:
    """Every action's owner, target date and version, and how many changes are recorded."""
    with app.app_context():
        rows = db.session.execute(select(Action.ref, Owner.name, Action.target_date, Action.version)
                                  .outerjoin(Owner, Action.owner_id == Owner.id)).all()
        changes = db.session.scalar(select(func.count(Change.id)))
    return {ref: (owner, date, version) for ref, owner, date, version in rows} | {"changes": changes}


def test_the_bulk_form_is_at_the_top_of_the_list_it_works_on(client_for):
    page = client_for("liaison").page("/actions")
    form = page.one("form#bulk-assign")
    first_table = page.soup.select_one("#action-results table")
    assert form.find_parent(id="action-results") is not None  # swapped with the list when filters change
    # The form comes before the first row of the list, not after the last one.
    assert str(page.soup).index('id="bulk-assign"') < str(page.soup).index(str(first_table)[:60])
    assert page.text_of("[data-testid=select-all]") == "Select all 87 actions in the plan"
    assert [legend.get_text(" ", strip=True) for legend in form.select("legend")][:2] == [
        "Assign owner and target date", "Target date (optional)"]
    for role in ("committee", "owner"):
        assert client_for(role).page("/actions").select("form#bulk-assign") == []


def test_the_select_all_label_counts_every_page_of_the_filtered_list(app, client_for):
    app.config["PAGE_SIZE"] = 5
    env = actions_in(app, "ENV")
    page = client_for("liaison").page("/actions?theme=ENV")
    assert len(env) > 5 and len(page.select("#action-results tbody tr")) == 5
    assert page.text_of("[data-testid=select-all]") == f"Select all {len(env)} actions that match these filters"
    assert "not only the 5 shown here" in page.text_of("#all-matching-hint")


def test_select_all_across_pages_says_what_will_change_and_applies_only_when_confirmed(app, client_for):
    app.config["PAGE_SIZE"] = 5
    env = [a.ref for a in actions_in(app, "ENV")]
    liaison = client_for("liaison")
    before = state(app)
    data = bulk_form(liaison, "/actions?theme=ENV", all_matching="y", owner_name="Facilities Officer",
                     business_unit="Property", target_date=["31", "3", "2027"], note="Liaison Group, 3 March")
    confirm = Page(liaison.http.post(f"{BULK}?review=CC", data=data))
    assert confirm.status == 200
    heading = f"Assign {len(env)} actions to Facilities Officer (Property), target date 31 March 2027?"
    assert confirm.text_of("[data-testid=confirm-heading]") == heading
    assert [li.select_one(".app-ref").get_text() for li in confirm.select("[data-testid=confirm-refs] li")] == env
    assert state(app) == before  # nothing yet, not even the owner record
    with app.app_context():
        assert db.session.scalar(select(Owner).where(Owner.name == "Facilities Officer")) is None
    done = liaison.http.post(f"{BULK}?review=CC", data=confirm.form(BULK))
    assert done.status_code == 303 and "theme=ENV" in done.headers["Location"]
    after = state(app)
    assert all(after[ref][:2] == ("Facilities Officer", dt.date(2027, 3, 31)) for ref in env)
    assert all(after[ref] == before[ref] for ref in before if ref not in env and ref != "changes")
    # One history row per change: an owner and a first target date for each action (none had either).
    assert all(before[ref][:2] == (None, None) for ref in env)
    with app.app_context():
        rows = db.session.execute(select(Change.entity_label, Change.field, Change.note)
                                  .where(Change.entity_type == "action", Change.field.in_(("owner", "target_date")))
                                  ).all()
    assert sorted((label, field) for label, field, _ in rows) == sorted(
        [(ref, "owner") for ref in env] + [(ref, "target_date") for ref in env])
    assert {note for _, field, note in rows if field == "owner"} == {"Liaison Group, 3 March"}
    banner = liaison.page(done.headers["Location"]).text_of(".govuk-notification-banner")
    assert f"Facilities Officer (Property) now owns {len(env)} actions ({len(env)} changed)" in banner
    assert f"target date 31 March 2027 set on {len(env)} actions" in banner


def test_select_all_on_one_page_applies_at_once(app, client_for):
    perf = [a.ref for a in actions_in(app, "PERF")]
    liaison = client_for("liaison")
    data = bulk_form(liaison, "/actions?theme=PERF", all_matching="y", owner_name="Performance Officer")
    response = liaison.http.post(f"{BULK}?review=CC", data=data)
    assert response.status_code == 303
    after = state(app)
    assert [after[ref][0] for ref in perf] == ["Performance Officer"] * len(perf)


def test_select_all_is_refused_when_the_matching_set_changed_since_the_list_was_shown(app, client_for):
    app.config["PAGE_SIZE"] = 5
    liaison = client_for("liaison")
    data = bulk_form(liaison, "/actions?theme=ENV", all_matching="y", owner_name="Facilities Officer",
                     business_unit="Property")
    confirm = Page(liaison.http.post(f"{BULK}?review=CC", data=data)).form(BULK)
    # Someone else gives one of the matching actions a target date meanwhile.
    env = actions_in(app, "ENV")
    with app.app_context():
        set_target_date(db.session.get(Action, env[-1].id), dt.date(2030, 1, 1))
        db.session.commit()
    before = state(app)
    for posted in (data, confirm):  # from the list page, and from the confirmation page
        response = liaison.http.post(f"{BULK}?review=CC", data=posted)
        assert response.status_code == 409
        page = Page(response)
        assert "have changed since the list was loaded" in page.errors[0]
        assert page.one("#owner_name")["value"] == "Facilities Officer"  # what they typed is kept
        assert page.one("#all-matching").has_attr("checked")
        assert state(app) == before
    # The list re-shown carries the set as it is now: assigning again works.
    again = Page(liaison.http.post(f"{BULK}?review=CC", data=data)).form(BULK)
    retried = Page(liaison.http.post(f"{BULK}?review=CC", data=again))
    assert retried.status == 200 and "confirm-heading" in str(retried.soup)


def give_jo_bloggs(app, ref: str) -> int:
    """Action ``ref`` owned by Jo Bloggs (Facilities), committed; her owner id."""
    with app.app_context():
        owner = find_or_create_owner(1, "Jo Bloggs", "Facilities")
        assign_owner([db.session.scalar(select(Action).where(Action.ref == ref))], owner)
        db.session.commit()
        return owner.id


def test_select_all_is_refused_when_an_action_joined_the_filtered_list(app, client_for):
    liaison = client_for("liaison")
    owner_id = give_jo_bloggs(app, "CC-01-ENV-01")
    data = bulk_form(liaison, f"/actions?owner={owner_id}", all_matching="y", target_date=["1", "6", "2027"])
    assert data["seen"] == "1"
    with app.app_context():
        assign_owner([db.session.scalar(select(Action).where(Action.ref == "CC-02-ENV-02"))],
                     db.session.get(Owner, owner_id))
        db.session.commit()
    before = state(app)
    assert liaison.http.post(f"{BULK}?review=CC", data=data).status_code == 409
    assert state(app) == before


def test_ticked_rows_get_an_owner_and_target_date_in_one_step(app, client_for):
    liaison = client_for("liaison")
    refs = ["CC-40-PERF-01", "CC-41-PERF-02"]
    with app.app_context():
        set_target_date(db.session.scalar(select(Action).where(Action.ref == refs[1])), dt.date(2026, 1, 1))
        db.session.commit()
    fields = dict(refs=refs, owner_name="Performance Officer", business_unit="Policy",
                  target_date=["30", "6", "2027"], **row_versions(liaison, "/actions?theme=PERF"))
    before = state(app)
    refused = Page(liaison.http.post(f"{BULK}?review=CC", data=bulk_form(liaison, "/actions?theme=PERF", **fields)))
    assert refused.status == 400
    assert refused.errors == ["1 action already has another target date: give a reason for changing it "
                              "(committees ask for it)"]
    assert state(app) == before
    assert [box["value"] for box in refused.select("input[name=target_date]")] == ["30", "6", "2027"]
    assert {box["value"] for box in refused.select("input[name=refs][checked]")} == set(refs)
    fields["reason"] = "Agreed by the Liaison Group, 3 March"
    response = liaison.http.post(f"{BULK}?review=CC", data=bulk_form(liaison, "/actions?theme=PERF", **fields))
    assert response.status_code == 303
    after = state(app)
    assert [after[ref][:2] for ref in refs] == [("Performance Officer", dt.date(2027, 6, 30))] * 2
    with app.app_context():
        moved = db.session.scalar(select(Action).where(Action.ref == refs[1]))
        assert (moved.original_target_date, moved.target_date_slips, moved.target_date_reason) == (
            dt.date(2026, 1, 1), 1, "Agreed by the Liaison Group, 3 March")


def test_a_date_alone_keeps_each_actions_owner(app, client_for):
    liaison = client_for("liaison")
    give_jo_bloggs(app, "CC-40-PERF-01")
    fields = dict(refs=["CC-40-PERF-01", "CC-41-PERF-02"], target_date=["1", "9", "2027"],
                  **row_versions(liaison, "/actions?theme=PERF"))
    response = liaison.http.post(f"{BULK}?review=CC", data=bulk_form(liaison, "/actions?theme=PERF", **fields))
    assert response.status_code == 303
    after = state(app)
    assert after["CC-40-PERF-01"][:2] == ("Jo Bloggs", dt.date(2027, 9, 1))
    assert after["CC-41-PERF-02"][:2] == (None, dt.date(2027, 9, 1))
    nothing = liaison.http.post(f"{BULK}?review=CC", data=bulk_form(liaison, "/actions?theme=PERF", **dict(
        fields, target_date=["", "", ""])))
    assert nothing.status_code == 400 and "Enter the owner&#39;s name, a target date, or both" in nothing.get_data(
        as_text=True)


def test_a_ticked_row_changed_since_the_list_was_shown_is_refused(app, client_for):
    liaison = client_for("liaison")
    fields = dict(refs=["CC-40-PERF-01", "CC-41-PERF-02"], owner_name="Performance Officer",
                  **row_versions(liaison, "/actions?theme=PERF"))
    data = bulk_form(liaison, "/actions?theme=PERF", **fields)
    with app.app_context():
        set_target_date(db.session.scalar(select(Action).where(Action.ref == "CC-41-PERF-02")), dt.date(2027, 1, 1))
        db.session.commit()
    before = state(app)
    response = liaison.http.post(f"{BULK}?review=CC", data=data)
    assert response.status_code == 409 and "Someone else changed one of the selected actions" in Page(response).errors[0]
    assert state(app) == before


@pytest.mark.parametrize("role", ["committee", "owner"])
def test_only_the_liaison_group_and_managers_assign(app, client_for, role):
    liaison_form = bulk_form(client_for("liaison"), "/actions?theme=PERF", all_matching="y", owner_name="Mallory")
    client = client_for(role)
    before = state(app)
    data = dict(liaison_form, csrf_token=client.token("/actions"))
    assert client.http.post(f"{BULK}?review=CC", data=data).status_code == 403
    assert state(app) == before
    manager = client_for("manager")
    assert manager.http.post(f"{BULK}?review=CC", data=dict(liaison_form, csrf_token=manager.token("/actions"))
                             ).status_code == 303


def test_select_all_with_filters_that_cannot_be_read_changes_nothing(app, client_for):
    liaison = client_for("liaison")
    data = bulk_form(liaison, "/actions?theme=PERF", all_matching="y", owner_name="Mallory", theme="NOPE")
    before = state(app)
    assert liaison.http.post(f"{BULK}?review=CC", data=data).status_code == 400
    assert state(app) == before
