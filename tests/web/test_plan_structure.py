"""The manager reshapes the plan in the pages: actions and measures added, edited, reordered,
retired and reinstated; the review and its themes edited; "waits on" set by hand.

Each change goes through the page as a person would (read the form, post it), is checked in the
database and in the history in words; bad input and stale forms change nothing; other roles get 403.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.client import Page
from tracker.extensions import db
from tracker.models import Action, Change, Measure, Project, Review, Theme
from tracker.reports import builders
from tracker.reports.renderers import render

ACTION = "/actions/CC-01-ENV-01"


def form_fields(client, url) -> dict:
    """The page's CSRF token and the first hidden version on it (the record the page is about)."""
    page = client.page(url)
    fields = {"csrf_token": page.csrf_token}
    version = page.soup.find("input", attrs={"name": "version"})
    if version is not None:
        fields["version"] = version["value"]
    return fields


def refs_listed(client, url) -> list[str]:
    """The refs of the actions the master list shows, in order."""
    return client.page(url).texts("td.app-ref a")


def typed(page: Page, name: str) -> str:
    """What the field ``name`` shows: the value of an input, the text of a textarea."""
    field = page.one(f'[name="{name}"]')
    return field.get_text() if field.name == "textarea" else field.get("value", "")


def post_form(client, url, **data):
    return client.post(url, data={**form_fields(client, url), **data})


def one(app, model, *where):
    with app.app_context():
        row = db.session.scalar(select(model).where(*where))
        db.session.expunge_all()
        return row


def action_row(app, ref):
    with app.app_context():
        a = db.session.scalar(select(Action).where(Action.ref == ref))
        return None if a is None else {
            "title": a.title, "detail": a.detail, "theme": a.theme.code, "position": a.position,
            "archived": a.archived, "retired_reason": a.retired_reason, "version": a.version,
            "owner": a.owner.label if a.owner else None, "target": a.target_date,
            "measures": [(m.number, m.text, m.retired_reason) for m in a.measures]}


def changes_of(app, label):
    with app.app_context():
        return [(c.field, c.before, c.after) for c in db.session.scalars(
            select(Change).where(Change.entity_label == label).order_by(Change.id))]


def counts(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count(m.id))) for m in (Action, Measure, Theme, Change))


# --- actions ---

def test_a_manager_adds_an_action_with_a_suggested_ref_and_it_appears_in_the_plan(app, client_for):
    manager = client_for("manager")
    page = manager.page("/actions/new?theme=ENV")
    # CC-nn counts across the review, ENV-nn within the theme: the next free one of each.
    assert typed(page, "ref") == "CC-88-ENV-29"
    response = post_form(manager, "/actions/new?theme=ENV", theme="ENV", ref="CC-88-ENV-29",
                         title="Install finger posts at every car park",
                         detail="Agreed with the parish councils.", target_date="2027-03-31",
                         owner_name="Jane Smith", business_unit="Property")
    assert response.status_code == 303 and "/actions/CC-88-ENV-29/measures/new" in response.headers["Location"]
    row = action_row(app, "CC-88-ENV-29")
    assert row["title"] == "Install finger posts at every car park" and row["theme"] == "ENV"
    assert row["owner"].startswith("Jane Smith") and str(row["target"]) == "2027-03-31"
    # Placed after the theme's last action, before the next theme's first.
    assert action_row(app, "CC-28-ENV-28")["position"] < row["position"] < action_row(app, "CC-29-OWN-01")["position"]
    page = manager.page("/actions/CC-88-ENV-29").text
    assert "Agreed with the parish councils." in page and "CC-88-ENV-29: Created" in page
    listing = refs_listed(manager, "/actions?theme=ENV")
    assert listing.index("CC-28-ENV-28") < listing.index("CC-88-ENV-29")


@pytest.mark.parametrize("fields,message", [
    ({"title": "  "}, "Enter the action's title"),
    ({"ref": "ENV-29"}, "like CC-88-ENV-29: ENV-29 does not follow this review's pattern"),
    ({"ref": "CC-88-OWN-29"}, "names theme 'OWN' but the action is under theme 'ENV'"),
    ({"ref": "CC-01-ENV-01"}, "CC-01-ENV-01 is already used in this review"),
    ({"ref": ""}, "Enter a ref id"),
    ({"target_date": "31/2/2027"}, "Target date must be a real date"),
    ({"target_date": ["31", "", "2027"]}, "Target date must include a month"),
    ({"theme": "NOPE"}, "Not a valid choice"),
])
def test_a_bad_new_action_is_refused_with_a_clear_message_and_nothing_changes(app, client_for, fields, message):
    manager = client_for("manager")
    before = counts(app)
    data = {"theme": "ENV", "ref": "CC-88-ENV-29", "title": "A title", **fields}
    response = post_form(manager, "/actions/new?theme=ENV", **data)
    assert response.status_code == 400
    page = Page(response)
    assert "There is a problem" in page.text and message in " ".join(page.errors)
    assert typed(page, "ref") == data["ref"]  # what was typed comes back in the form
    assert counts(app) == before


def test_editing_an_action_round_trips_and_the_history_says_what_changed_in_words(app, client_for):
    manager = client_for("manager")
    response = post_form(manager, f"{ACTION}/edit", title="Review the whole car park estate", detail="In 2027.",
                         theme="OWN", note="Agreed at the liaison group")
    assert response.status_code == 303
    row = action_row(app, "CC-01-ENV-01")
    assert (row["title"], row["detail"], row["theme"]) == ("Review the whole car park estate", "In 2027.", "OWN")
    changes = changes_of(app, "CC-01-ENV-01")
    assert ("theme", "Environment", "Ownership") in [(f, b, a) for f, b, a in changes if f == "theme"] or \
        any(f == "theme" and b and a and "Own" in a for f, b, a in changes)
    page = manager.page(ACTION).text
    assert "Theme: " in page and "Title: " in page and "Agreed at the liaison group" in page


def test_a_stale_action_form_gets_409_with_the_typed_text_kept_and_changes_nothing(app, client_for):
    mine, theirs = client_for("manager"), client_for("admin")
    my_form = form_fields(mine, f"{ACTION}/edit")
    assert post_form(theirs, f"{ACTION}/edit", title="Their new title", detail="", theme="ENV").status_code == 303
    before = action_row(app, "CC-01-ENV-01")
    response = mine.post(f"{ACTION}/edit", data={**my_form, "title": "My careful new title", "detail": "",
                                                  "theme": "ENV"})
    assert response.status_code == 409
    page = Page(response)
    assert typed(page, "title") == "My careful new title" and "Their new title" in page.text
    assert "Someone else changed this while you were editing" in page.text
    assert action_row(app, "CC-01-ENV-01") == before
    # The form now carries the current version: saving again applies what was typed.
    form = page.form(f"{ACTION}/edit")
    assert form["version"] == str(before["version"])
    assert mine.post(f"{ACTION}/edit", data=form).status_code == 303
    assert action_row(app, "CC-01-ENV-01")["title"] == "My careful new title"


def test_an_edit_with_an_empty_title_is_refused_and_changes_nothing(app, client_for):
    manager = client_for("manager")
    before = counts(app), action_row(app, "CC-01-ENV-01")
    response = post_form(manager, f"{ACTION}/edit", title="", detail="Kept", theme="ENV")
    assert response.status_code == 400 and "Enter the action's title" in Page(response).text
    assert (counts(app), action_row(app, "CC-01-ENV-01")) == before


def test_moving_actions_within_a_theme_works_without_javascript(app, client_for):
    manager = client_for("manager")
    fields = form_fields(manager, "/actions/CC-02-ENV-02")
    response = manager.post("/actions/CC-02-ENV-02/move", data={**fields, "direction": "up"})
    assert response.status_code == 303
    listing = refs_listed(manager, "/actions?theme=ENV")
    assert listing.index("CC-02-ENV-02") < listing.index("CC-01-ENV-01")
    assert ("order", "2 of 28", "1 of 28") in changes_of(app, "CC-02-ENV-02")
    # The first of the theme cannot go further up: nothing changes.
    fields = form_fields(manager, "/actions/CC-02-ENV-02")
    response = manager.post("/actions/CC-02-ENV-02/move", data={**fields, "direction": "up"}, follow_redirects=True)
    assert "already at the top of Environment" in Page(response).text
    # A stale move (the version of the page before the first move) is refused.
    stale = {**fields, "version": str(int(fields["version"]) - 1)}
    assert manager.post("/actions/CC-02-ENV-02/move", data={**stale, "direction": "down"}).status_code == 409


def test_retiring_an_action_drops_it_from_the_lists_and_roll_ups_but_keeps_it_and_it_can_come_back(app, client_for):
    manager = client_for("manager")
    assert "CC-01-ENV-01" in refs_listed(manager, "/actions?theme=ENV")
    response = post_form(manager, f"{ACTION}/retire", reason="")
    assert response.status_code == 400 and "Say why the action is retired" in Page(response).text
    assert not action_row(app, "CC-01-ENV-01")["archived"]
    assert post_form(manager, f"{ACTION}/retire", reason="Merged into CC-02-ENV-02").status_code == 303
    assert action_row(app, "CC-01-ENV-01")["archived"]
    assert "CC-01-ENV-01" not in refs_listed(manager, "/actions?theme=ENV")
    page = manager.page(ACTION).text  # still there, with its history
    assert "Retired (" in page and "Merged into CC-02-ENV-02" in page
    assert "Retired: none → Retired (" in page
    fields = form_fields(manager, ACTION)
    assert manager.post(f"{ACTION}/reinstate", data=fields).status_code == 303
    assert not action_row(app, "CC-01-ENV-01")["archived"]
    assert "CC-01-ENV-01" in refs_listed(manager, "/actions?theme=ENV")


# --- measures ---

def test_adding_and_editing_measures_round_trips_through_the_pages(app, client_for):
    manager = client_for("manager")
    response = post_form(manager, f"{ACTION}/measures/new", text="Survey every car park",
                         measured_output="Survey started in March", status="")
    assert response.status_code == 303
    measures = action_row(app, "CC-01-ENV-01")["measures"]
    number = measures[-1][0]
    assert measures[-1][1] == "Survey every car park" and number == len(measures)
    measure = one(app, Measure, Measure.number == number, Measure.action.has(Action.ref == "CC-01-ENV-01"))
    assert measure.status == "in_progress"  # worked out from "started"
    response = post_form(manager, f"{ACTION}/measures/{number}/edit", text="Survey every council car park",
                         note="Wording agreed")
    assert response.status_code == 303
    assert action_row(app, "CC-01-ENV-01")["measures"][-1][1] == "Survey every council car park"
    page = manager.page(ACTION).text
    assert f"CC-01-ENV-01 measure {number}: Created" in page
    assert f"CC-01-ENV-01 measure {number}: Wording: Survey every car park → Survey every council car park" in page


def test_bad_or_stale_measure_edits_change_nothing(app, client_for):
    mine, theirs = client_for("manager"), client_for("admin")
    before = counts(app)
    response = post_form(mine, f"{ACTION}/measures/new", text=" ", measured_output="", status="")
    assert response.status_code == 400 and "Enter the measure's text" in Page(response).text
    response = post_form(mine, f"{ACTION}/measures/new", text="A", measured_output="", status="finished")
    assert response.status_code == 400 and "Not a valid choice" in Page(response).text
    assert counts(app) == before
    my_form = form_fields(mine, f"{ACTION}/measures/1/edit")
    assert post_form(theirs, f"{ACTION}/measures/1/edit", text="Their wording").status_code == 303
    response = mine.post(f"{ACTION}/measures/1/edit", data={**my_form, "text": "My wording, typed with care"})
    assert response.status_code == 409
    page = Page(response)
    assert typed(page, "text") == "My wording, typed with care" and "Their wording" in page.text
    assert action_row(app, "CC-01-ENV-01")["measures"][0][1] == "Their wording"


def test_moving_measures_reorders_them_without_renumbering(app, client_for):
    manager = client_for("manager")
    before = action_row(app, "CC-01-ENV-01")["measures"]
    assert len(before) >= 2
    fields = form_fields(manager, ACTION)
    fields["version"] = str(one(app, Measure, Measure.number == 2,
                                Measure.action.has(Action.ref == "CC-01-ENV-01")).version)
    assert manager.post(f"{ACTION}/measures/2/move", data={**fields, "direction": "up"}).status_code == 303
    after = action_row(app, "CC-01-ENV-01")["measures"]
    assert [n for n, *_ in after[:2]] == [2, 1]  # numbers never change; the order does
    shown = [element["id"] for element in manager.page(ACTION).select('[id^="measure-"]')]
    assert shown.index("measure-2") < shown.index("measure-1")
    assert ("order", f"2 of {len(before)}", f"1 of {len(before)}") in changes_of(app, "CC-01-ENV-01 measure 2")


def test_retiring_a_measure_takes_it_out_of_the_roll_up_and_it_can_be_reinstated(app, client_for):
    manager = client_for("manager")
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.ref == "CC-01-ENV-01"))
        statuses = [(m.number, m.status) for m in action.measures]
    assert post_form(manager, f"{ACTION}/measures/1/retire", reason="Superseded by measure 2").status_code == 303
    with app.app_context():
        from tracker.plan.queries import action_rollup
        action = db.session.scalar(select(Action).where(Action.ref == "CC-01-ENV-01"))
        assert [m.number for m in action.live_measures] == [n for n, _ in statuses if n != 1]
        from tracker.domain.rollup import roll_up_measures
        assert action_rollup(action) == roll_up_measures(action.live_measures)
    page = manager.page(ACTION)
    assert not page.select("#measure-1") and page.select('[data-testid="retired-measure-1"]')
    assert "Superseded by measure 2" in page.text
    fields = form_fields(manager, ACTION)
    fields["version"] = str(one(app, Measure, Measure.number == 1,
                                Measure.action.has(Action.ref == "CC-01-ENV-01")).version)
    assert manager.post(f"{ACTION}/measures/1/reinstate", data=fields).status_code == 303
    assert manager.page(ACTION).select("#measure-1")
    assert changes_of(app, "CC-01-ENV-01 measure 1")[-1][2] == "Reinstated"


def test_a_manager_sets_and_clears_what_a_measure_waits_on(app, client_for):
    manager = client_for("manager")
    url = f"{ACTION}/measures/1/waits-on"
    assert post_form(manager, url, project="CCC", note="Needs the new contract").status_code == 303
    measure = one(app, Measure, Measure.number == 1, Measure.action.has(Action.ref == "CC-01-ENV-01"))
    project = one(app, Project, Project.code == "CCC")
    assert measure.depends_on_id == project.id
    assert post_form(manager, url, project="").status_code == 303
    assert one(app, Measure, Measure.id == measure.id).depends_on_id is None
    assert [c for c in changes_of(app, "CC-01-ENV-01 measure 1") if c[0] == "depends_on"] == [
        ("depends_on", None, "CCC"), ("depends_on", "CCC", None)]
    response = post_form(manager, url, project="NOT-A-PROJECT")
    assert response.status_code == 400 and "Not a valid choice" in Page(response).text


# --- review and themes ---

def test_the_review_title_and_description_are_edited_in_the_page(app, client_for):
    manager = client_for("manager")
    response = post_form(manager, "/review/edit?review=CC", title="Car parks Best Value Review",
                         description="Approved by the council; amended by the manager.")
    assert response.status_code == 303
    review = one(app, Review, Review.code == "CC")
    assert review.title == "Car parks Best Value Review"
    assert review.description == "Approved by the council; amended by the manager."
    assert "Car parks Best Value Review" in manager.page("/actions?review=CC").text
    response = post_form(manager, "/review/edit?review=CC", title="", description="x")
    assert response.status_code == 400 and "Enter the review's title" in Page(response).text
    assert one(app, Review, Review.code == "CC").title == "Car parks Best Value Review"


def test_a_stale_review_form_gets_409_with_the_typed_text(app, client_for):
    mine, theirs = client_for("manager"), client_for("admin")
    my_form = form_fields(mine, "/review/edit")
    assert post_form(theirs, "/review/edit", title="Their title", description="").status_code == 303
    response = mine.post("/review/edit", data={**my_form, "title": "My title", "description": "My words"})
    assert response.status_code == 409
    assert "My words" in Page(response).text and "Their title" in Page(response).text
    assert one(app, Review, Review.code == "CC").title == "Their title"


def test_themes_are_renamed_and_added_and_bad_codes_are_refused(app, client_for):
    manager = client_for("manager")
    assert post_form(manager, "/themes/ENV/edit", name="Environment and streets").status_code == 303
    assert one(app, Theme, Theme.code == "ENV").name == "Environment and streets"
    assert ("name", "Environment", "Environment and streets") in changes_of(app, "Theme ENV")
    assert "Environment and streets" in manager.page("/actions").text
    response = post_form(manager, "/themes/ENV/edit", name=" ")
    assert response.status_code == 400 and "Enter the theme's name" in Page(response).text
    before = counts(app)
    for code, message in (("ENV", "already has a theme ENV"), ("E-1", "letters only"), ("", "Enter the theme's code")):
        response = post_form(manager, "/themes/new", code=code, name="Anything")
        assert response.status_code == 400 and message in Page(response).text
    assert counts(app) == before
    response = post_form(manager, "/themes/new", code="dig", name="Digital")
    assert response.status_code == 303 and "theme=DIG" in response.headers["Location"]
    assert typed(manager.page("/actions/new?theme=DIG"), "ref") == "CC-88-DIG-01"  # a new theme starts its own count


# --- who may ---

STRUCTURE_PAGES = [
    "/actions/new", f"{ACTION}/edit", f"{ACTION}/retire", f"{ACTION}/measures/new", f"{ACTION}/measures/1/edit",
    f"{ACTION}/measures/1/retire", f"{ACTION}/measures/1/waits-on", "/review/edit", "/themes/ENV/edit",
    "/themes/new"]
STRUCTURE_BUTTONS = [f"{ACTION}/move", f"{ACTION}/reinstate", f"{ACTION}/measures/1/move",
                     f"{ACTION}/measures/1/reinstate"]


@pytest.mark.parametrize("role", ["committee", "owner", "liaison"])
def test_other_roles_get_403_on_every_structure_page_and_see_no_links(app, client_for, role):
    client = client_for(role)
    before = counts(app)
    for url in STRUCTURE_PAGES:
        assert client.get(url).status_code == 403, url
    for url in STRUCTURE_PAGES + STRUCTURE_BUTTONS:
        response = client.post(url, data={"title": "Mine", "text": "Mine", "name": "Mine", "reason": "Mine",
                                          "version": "1", "direction": "up", "ref": "CC-88-ENV-29",
                                          "theme": "ENV", "code": "MINE"}, token_from="/")
        assert response.status_code == 403, url
    assert counts(app) == before
    for page in (ACTION, "/actions"):
        shown = client.page(page)
        targets = [a["href"] for a in shown.select("a[href]")] + [f.get("action", "") for f in shown.select("form")]
        assert not [t for t in targets if any(word in t for word in ("/edit", "/new", "/retire", "/move"))]
        assert "Retire" not in shown.text and "Add an action" not in shown.text


def test_admin_may_reshape_the_plan_too(app, client_for):
    admin = client_for("admin")
    assert post_form(admin, f"{ACTION}/edit", title="Admin's title", detail="", theme="ENV").status_code == 303
    assert action_row(app, "CC-01-ENV-01")["title"] == "Admin's title"


# --- reports ---

def _new_report(manager, meeting_on: str) -> int:
    response = manager.post("/reports", token_from="/reports",
                            data={"committee": "Overview and Scrutiny Committee", "meeting_on": meeting_on})
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_appendix_b_reports_a_retirement_once_in_the_next_report_then_leaves_it_out(app, client_for):
    import csv
    import datetime as dt
    import io

    manager = client_for("manager")
    today = dt.date.today().strftime("%-d %B %Y")
    assert post_form(manager, f"{ACTION}/measures/1/retire", reason="Superseded by the signage contract").status_code == 303
    assert post_form(manager, "/actions/CC-02-ENV-02/retire", reason="Merged into CC-03-ENV-03").status_code == 303
    first = _new_report(manager, "2026-12-03")
    preview = manager.page(f"/reports/{first}?part=appendix-b").text
    assert f"Retired ({today}): Superseded by the signage contract" in preview
    assert f"Retired ({today}): Merged into CC-03-ENV-03" in preview and "CC-02-ENV-02" in preview
    rows = list(csv.DictReader(io.StringIO(
        manager.get(f"/reports/{first}/appendix-b.csv").data.decode("utf-8-sig"))))
    retired = [(r["Ref-Id"], r["No."], r["Status"]) for r in rows if r["Status"] == "Retired"]
    assert ("CC-01-ENV-01", "1", "Retired") in retired and {r for r, _, _ in retired} == {"CC-01-ENV-01", "CC-02-ENV-02"}
    assert manager.post(f"/reports/{first}/publish", token_from=f"/reports/{first}").status_code == 303

    # Retired after the published report: news in the next one; the earlier ones are left out.
    assert post_form(manager, "/actions/CC-03-ENV-03/measures/1/retire", reason="Done another way").status_code == 303
    second = _new_report(manager, "2027-03-04")
    preview = manager.page(f"/reports/{second}?part=appendix-b").text
    assert f"Retired ({today}): Done another way" in preview
    assert "Superseded by the signage contract" not in preview and "Merged into CC-03-ENV-03" not in preview
    assert "CC-02-ENV-02" not in preview
    # The published report is frozen: it still says what it said.
    assert "Merged into CC-03-ENV-03" in manager.page(f"/reports/{first}?part=appendix-b").text


def test_the_action_comment_is_edited_in_the_page_recorded_and_printed_in_appendix_b(app, client_for):
    manager = client_for("manager")
    response = post_form(manager, f"{ACTION}/edit", title=action_row(app, "CC-01-ENV-01")["title"], detail="",
                         theme="ENV", comment="Signs agreed with the Highways Authority\r\nInstalled March 2004")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Action.comment).where(Action.ref == "CC-01-ENV-01")) == \
            "Signs agreed with the Highways Authority\nInstalled March 2004"
    assert ("comment", None, "Signs agreed with the Highways Authority\nInstalled March 2004") in \
        changes_of(app, "CC-01-ENV-01")
    comment = manager.page(ACTION).one('[data-testid="comment"]')
    assert comment.get_text() == "Signs agreed with the Highways Authority\nInstalled March 2004"
    # The edit form offers it back, and Appendix B's Comment column prints it.
    assert "Installed March 2004</textarea>" in manager.get(f"{ACTION}/edit").get_data(as_text=True)
    with app.app_context():
        html = render(builders.build("appendix-b", builders.load_review("CC")), "html").decode()
    assert '<td data-label="Comment">Signs agreed with the Highways Authority' in html
    # Emptied: the comment is cleared (and a form without the box leaves it alone).
    assert post_form(manager, f"{ACTION}/edit", title="Signs", detail="", theme="ENV").status_code == 303
    assert "Installed March 2004" in manager.page(ACTION).text
    assert post_form(manager, f"{ACTION}/edit", title="Signs", detail="", theme="ENV", comment="").status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Action.comment).where(Action.ref == "CC-01-ENV-01")) is None


def test_a_too_long_comment_is_refused_and_changes_nothing(app, client_for):
    manager = client_for("manager")
    before = counts(app), action_row(app, "CC-01-ENV-01")
    response = post_form(manager, f"{ACTION}/edit", title="Kept", detail="", theme="ENV", comment="x" * 10001)
    assert response.status_code == 400 and "Comment" in Page(response).text
    assert (counts(app), action_row(app, "CC-01-ENV-01")) == before
