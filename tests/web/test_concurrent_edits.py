"""Concurrent edits never lose text: the database refuses a write built on an old read.

Written as the attacks found by the security review: many people saving one measure with the same
version, a form posted without its version, two publish clicks at once, two imports creating
the same review. The races run for real: threads, each with its own test client, against one
shared database (a SQLite file, or the PostgreSQL test database when TEST_DATABASE_URL is set).
"""
from __future__ import annotations

import io
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from tests.conftest import Client, Page, make_app
from tests.web.files import ONE_ROW_PER_MEASURE, xlsx
from tests.web.versions import measure_form
from tracker.extensions import db
from tracker.models import (
    Action,
    Change,
    CommitteeReport,
    ElementRating,
    Measure,
    Owner,
    Project,
    Recommendation,
    Review,
)

ACTION = "/actions/CC-01-ENV-01"
WAIT = 120  # seconds: a bound on each race, far above what it takes


@pytest.fixture
def shared_app(tmp_path):
    """An app whose every thread (each with its own connection) sees one database."""
    if os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
        app = make_app()
    else:  # SQLite in memory is one connection per app; a file is shared like a server's database
        app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'race.sqlite'}",
                       SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"timeout": 60}})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def run_together(jobs):
    """Start every job at the same moment (a barrier), each in its own thread; their results in order."""
    barrier = threading.Barrier(len(jobs))

    def start(job):
        barrier.wait(timeout=WAIT)
        return job()

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(start, jobs, timeout=WAIT))


def elsewhere(job):
    """Run ``job`` in another thread, as another person's request: its own app context, session and
    database connection (a request made inside a request would share this one's session)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(job).result(timeout=WAIT)



def stored_measure(app, number=2):
    with app.app_context():
        m = db.session.scalar(select(Measure).join(Action).where(Action.ref == "CC-01-ENV-01",
                                                                 Measure.number == number))
        return m.measured_output, m.version


def output_changes(app, number=2):
    with app.app_context():
        return db.session.scalars(select(Change.after).where(
            Change.entity_type == "measure", Change.entity_label == f"CC-01-ENV-01 measure {number}",
            Change.field == "measured_output")).all()


# --- many people saving one measure ---

def test_twenty_simultaneous_saves_of_one_measure_have_exactly_one_winner(shared_app):
    clients = [Client(shared_app, "manager") for _ in range(20)]
    forms = [measure_form(c, measured_output=f"Progress written by editor {i}") for i, c in enumerate(clients)]
    _, version_before = stored_measure(shared_app)
    assert {f["version"] for f in forms} == {str(version_before)}  # every page loaded the same version

    codes = run_together([lambda c=c, f=f: c.http.post(f"{ACTION}/measures/2", data=f).status_code
                          for c, f in zip(clients, forms, strict=False)])

    assert sorted(codes) == [303] + [409] * 19, codes  # no 500, no second winner
    winner = codes.index(303)
    assert stored_measure(shared_app) == (f"Progress written by editor {winner}", version_before + 1)
    assert output_changes(shared_app) == [f"Progress written by editor {winner}"]


def test_a_save_that_loses_the_race_after_its_version_check_gets_the_conflict_form(shared_app, monkeypatch):
    """The read said version 1; another save commits before this one writes: the UPDATE's
    WHERE version = 1 finds no row, and the person gets the conflict page with their text."""
    from tracker.plan import editing

    mine, theirs = Client(shared_app, "manager"), Client(shared_app, "admin")
    form = measure_form(mine, measured_output="My careful paragraph about the finger posts")
    their_form = measure_form(theirs, measured_output="Their update, saved a moment earlier")
    real_update = editing.update_measure
    raced = []

    def update_after_someone_else_saved(measure, **kwargs):
        if not raced:  # between this request's read of the measure and its write
            raced.append("racing")  # their request runs this function too
            raced[0] = elsewhere(lambda: theirs.http.post(f"{ACTION}/measures/2", data=their_form).status_code)
        return real_update(measure, **kwargs)

    monkeypatch.setattr(editing, "update_measure", update_after_someone_else_saved)
    response = mine.post(f"{ACTION}/measures/2", data=form)

    assert raced == [303]
    assert response.status_code == 409
    page = Page(response).text
    assert "My careful paragraph about the finger posts" in page  # the typed text comes back
    assert "Their update, saved a moment earlier" in page  # beside what is stored now
    assert stored_measure(shared_app)[0] == "Their update, saved a moment earlier"
    assert output_changes(shared_app) == ["Their update, saved a moment earlier"]


def test_releasing_measures_that_changed_meanwhile_is_a_conflict_not_a_500(shared_app, monkeypatch):
    """A form without a version (release measures) that loses a race gets the general conflict page."""
    from tracker.projects import views

    manager, owner = Client(shared_app, "manager"), Client(shared_app, "admin")
    with shared_app.app_context():
        project = db.session.scalar(select(Project).where(Project.code == "CCC"))
        waiting = db.session.scalars(select(Measure).where(Measure.depends_on_id == project.id)).all()
        assert waiting
        target = waiting[0]
        ref, number, measure_id = target.action.ref, target.number, target.id
    page = manager.page("/projects/CCC")
    their_data = measure_form(owner, number=number, ref=ref, status="dependent",
                              measured_output="Outcome of CCC Project, now due in May")
    real_release = views.release_measures

    def release_after_someone_else_saved(measures, *args, **kwargs):
        # Between this request's read of the waiting measures and its write:
        assert elsewhere(lambda: owner.http.post(f"/actions/{ref}/measures/{number}", data=their_data)
                         ).status_code == 303
        return real_release(measures, *args, **kwargs)

    monkeypatch.setattr(views, "release_measures", release_after_someone_else_saved)
    response = manager.post("/projects/CCC/release", data={
        "csrf_token": page.csrf_token,
        "measure": str(measure_id), "category": "in_progress"})

    assert response.status_code == 409
    assert "Someone else saved a change to the same record at the same moment" in Page(response).text
    with shared_app.app_context():
        after = db.session.get(Measure, measure_id)
        assert (after.status, after.measured_output) == ("dependent", "Outcome of CCC Project, now due in May")


# --- a form without its version ---

def _rows(model):
    return sorted(tuple(row) for row in db.session.execute(select(*model.__table__.columns)).all())


def database_state(app):
    with app.app_context():
        return {model.__name__: _rows(model) for model in
                (Measure, Action, Recommendation, Project, ElementRating, Owner, Change)}


EDIT_ROUTES = [
    ("manager", f"{ACTION}/measures/2", {"measured_output": "Overwritten", "status": "complete"}),
    ("manager", f"{ACTION}/measures/2/confirm", {"note": "Confirmed without looking"}),
    # The review's finding: only the CSRF token wiped the commentary.
    ("manager", "/recommendations/1", {}),
    ("manager", "/recommendations/1/response", {"response": "rejected", "response_on": ""}),
    ("manager", "/recommendations/1/status", {"status_override": "complete",
                                              "status_override_reason": "Said so"}),
    ("liaison", f"{ACTION}/assign", {"owner_name": "Mallory", "business_unit": "", "target_date": "2031-01-01",
                                     "reason": "Moved"}),
    ("liaison", "/actions/assign", {"refs": "CC-01-ENV-01", "owner_name": "Mallory", "business_unit": ""}),
    ("manager", "/projects/CCC", {"status": "complete", "expected_on": ""}),
    ("manager", "/standards/cse/assessments/1/elements/1.3.1", {"rating": "compliance", "evidence": "None"}),
    # Reshaping the plan (tracker/plan/structure.py)
    ("manager", f"{ACTION}/edit", {"title": "Overwritten", "detail": "", "theme": "OWN"}),
    ("manager", f"{ACTION}/move", {"direction": "down"}),
    ("manager", f"{ACTION}/retire", {"reason": "Gone"}),
    ("manager", f"{ACTION}/reinstate", {}),
    ("manager", f"{ACTION}/measures/2/edit", {"text": "Overwritten"}),
    ("manager", f"{ACTION}/measures/2/move", {"direction": "up"}),
    ("manager", f"{ACTION}/measures/2/retire", {"reason": "Gone"}),
    ("manager", f"{ACTION}/measures/2/reinstate", {}),
    ("manager", f"{ACTION}/measures/2/waits-on", {"project": "CCC"}),
    ("manager", "/review/edit", {"title": "Overwritten", "description": ""}),
    ("manager", "/themes/ENV/edit", {"name": "Overwritten"}),
]


@pytest.mark.parametrize("role,url,data", EDIT_ROUTES, ids=[url for _, url, _ in EDIT_ROUTES])
def test_an_edit_posted_without_its_version_is_refused_and_changes_nothing(app, client_for, role, url, data):
    client = client_for(role)
    before = database_state(app)
    response = client.post(url, data=data, token_from="/")
    assert response.status_code == 400
    assert "did not say which version of the record you were editing" in Page(response).text
    assert database_state(app) == before


@pytest.mark.parametrize("version", ["", "two", "-1"])
def test_a_version_that_is_not_a_number_is_refused_too(app, client_for, version):
    manager = client_for("manager")
    before = database_state(app)
    response = manager.post("/recommendations/1", data={"status_text": "", "version": version},
                                          token_from="/")
    assert response.status_code == 400 and database_state(app) == before


def test_every_route_that_edits_a_row_is_checked_above():
    """A new POST route must be added to EDIT_ROUTES (version required) or say here why not."""
    from tracker.people.permissions import ACCESS

    not_a_row_edit = {
        "people.login", "people.logout",  # sessions
        "people.change_own_password",  # one's own password: the current one is asked for
        "people.users", "people.user",  # accounts: role changes bump session_version (people/*)
        "plan.link_recommendation_view",  # adds or removes a link; repeating it changes nothing
        "projects.release",  # a state change: only measures still waiting move; a race is a 409
        "standards.link_element", "standards.unlink_element",  # links, like recommendation links
        "standards.assessments",  # creates a new assessment (unique per site and date)
        "reports.reports",  # creates a draft report
        "reports.publish",  # a state change: conditional UPDATE ... WHERE status = 'draft'
        "public.toggle",  # a state change: conditional UPDATE ... WHERE public_page = :before
        "imports.start", "imports.review_import",  # imports: a review created meanwhile is refused
        # creating a row: a duplicate ref, number or theme code is refused by a unique constraint
        "plan.new_action", "plan.new_measure", "plan.new_theme",
        "plan.set_main_review_view",  # a choice, not typed text: repeating it changes nothing, the last one wins
        # The owners' side (tests/web/test_owner_updates.py): a reply creates a row, and one built on an old
        # version of the measure is a 409; deciding on a reply needs the reply's and the measure's versions
        # (their form fields are prefixed per reply, so they are tested there); requests are created once
        # per owner and meeting (unique constraint); an account's owner record is like its role.
        "owners.my_actions_reply", "owners.reply_item", "owners.decide", "owners.send_requests",
        "owners.user_owner",
        # The committee pack: a draft's meeting and committee are two short choices, the last save wins
        # and the history keeps both; deleting a draft is confirmed and refused once it is published;
        # the covering report and the council's section list carry a version (a 409 is tested in
        # tests/web/test_report_drafts.py); a Word template replaces the council's last one whole.
        "reports.edit_report", "reports.delete_report", "reports.covering", "reports.covering_sections",
        "reports.word_template",
        # An owner record's page needs its version (tested in test_owner_updates.py: the seed has no owners).
        "owners.owner_edit",
    }
    from tracker import create_app
    app = create_app("test")  # only its URL map is used: no database is touched
    checked = set()
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        for _, url, _ in EDIT_ROUTES:
            endpoint, _ = adapter.match(url.split("?")[0], method="POST")
            checked.add(endpoint)
    posts = {endpoint for endpoint, methods in ACCESS.items() if "POST" in methods}
    assert posts - checked - not_a_row_edit == set()


# --- publishing ---

def _draft_report(app) -> int:
    import datetime as dt

    from tracker.reports.operations import create_report
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        report = create_report(review, committee="Overview and Scrutiny Committee", meeting_on=dt.date(2004, 1, 8))
        db.session.commit()
        return report.id


def test_two_simultaneous_publish_clicks_one_wins_the_other_is_told(shared_app):
    report_id = _draft_report(shared_app)
    manager, admin = Client(shared_app, "manager"), Client(shared_app, "admin")
    tokens = [c.token(f"/reports/{report_id}") for c in (manager, admin)]

    def publish(client, token):
        response = client.http.post(f"/reports/{report_id}/publish", data={"csrf_token": token})
        return response.status_code, client.page(f"/reports/{report_id}").text

    results = run_together([lambda: publish(manager, tokens[0]), lambda: publish(admin, tokens[1])])

    assert [code for code, _ in results] == [303, 303]
    told = ["Published: the report to" in page for _, page in results]
    assert sorted(told) == [False, True]
    loser_page = results[told.index(False)][1]
    assert "Someone else published this report a moment ago" in loser_page or "already published" in loser_page
    with shared_app.app_context():
        report = db.session.get(CommitteeReport, report_id)
        assert report.status == "published" and report.snapshot is not None
        assert report.published_by == ("Manager User", "Admin User")[told.index(True)]
        assert db.session.scalar(select(func.count()).select_from(Change).where(
            Change.entity_type == "committee_report", Change.entity_id == report_id,
            Change.field == "status")) == 1


def test_a_publish_built_on_a_stale_read_does_not_overwrite_the_snapshot(shared_app):
    """The read said draft; someone else published before this one wrote: it is refused."""
    from tracker.reports.operations import ALREADY_PUBLISHED, Refused, publish_report

    report_id = _draft_report(shared_app)
    admin = Client(shared_app, "admin")
    with shared_app.app_context():
        stale = db.session.get(CommitteeReport, report_id)
        assert stale.status == "draft"
        token = elsewhere(lambda: admin.token(f"/reports/{report_id}"))
        response = elsewhere(lambda: admin.http.post(f"/reports/{report_id}/publish", data={"csrf_token": token}))
        assert response.status_code == 303
        with pytest.raises(Refused, match=ALREADY_PUBLISHED):
            publish_report(stale)
        db.session.rollback()
        fresh = db.session.get(CommitteeReport, report_id)
        assert fresh.published_by == "Admin User"


def test_two_simultaneous_public_page_switches_record_one_change(shared_app):
    manager_a, manager_b = Client(shared_app, "admin"), Client(shared_app, "admin")
    tokens = [c.token("/reports") for c in (manager_a, manager_b)]
    codes = run_together([lambda c=c, t=t: c.http.post("/reports/public-page", data={
        "csrf_token": t, "review": "CC", "public_page": "on"}).status_code
        for c, t in zip((manager_a, manager_b), tokens, strict=False)])
    assert codes == [303, 303]
    with shared_app.app_context():
        assert db.session.scalar(select(Review.public_page).where(Review.code == "CC")) is True
        assert db.session.scalar(select(func.count()).select_from(Change).where(
            Change.entity_type == "review", Change.field == "public_page")) == 1


# --- imports creating the same new review ---

def _upload(client, review_code="SC") -> str:
    response = client.post("/imports", token_from="/imports", data={
        "review": review_code, "file": (io.BytesIO(xlsx(ONE_ROW_PER_MEASURE)), "tracker.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code == 303
    return response.headers["Location"]


def _confirm(client, page_url):
    from tracker.imports.spreadsheet import guess_mapping
    form = {f"map-{k}": v for k, v in guess_mapping(ONE_ROW_PER_MEASURE[0]).items()}
    page = client.page(page_url)
    if says_new_review(page):  # as the browser would send it
        form["new_review"] = "1"
    return client.http.post(page_url, data={**form, "action": "confirm", "csrf_token": page.csrf_token})


def says_new_review(page: Page) -> bool:
    """Whether the preview's form carries the hidden "this makes a new review" field."""
    return bool(page.select('input[type="hidden"][name="new_review"][value="1"]'))


def _reviews_named(app, code):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Review).where(Review.code == code))


def test_two_imports_creating_the_same_new_review_at_once(shared_app):
    first, second = Client(shared_app, "manager"), Client(shared_app, "admin")
    pages = [_upload(first), _upload(second)]
    results = run_together([lambda: _confirm(first, pages[0]), lambda: _confirm(second, pages[1])])
    codes = sorted(r.status_code for r in results)
    assert codes == [303, 409], codes
    loser = next(r for r in results if r.status_code == 409)
    assert ("A review with code SC was created by someone else while you were importing; nothing was changed"
            in Page(loser).text)
    assert _reviews_named(shared_app, "SC") == 1
    with shared_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Change).where(
            Change.entity_type == "review", Change.field == "created", Change.entity_label == "Review SC")) == 1


def test_a_review_created_between_preview_and_apply_is_not_merged_into(shared_app, monkeypatch):
    from tracker.imports import views

    mine, theirs = Client(shared_app, "manager"), Client(shared_app, "admin")
    my_page, their_page = _upload(mine), _upload(theirs)
    real_apply = views.apply_import

    raced = []

    def apply_after_someone_else_imported(plan, **kwargs):
        if not raced:  # their import runs this function too
            raced.append(True)
            assert plan.preview.new_review  # my plan, made a moment ago, said "new review"
            assert elsewhere(lambda: _confirm(theirs, their_page)).status_code == 303
        return real_apply(plan, **kwargs)

    monkeypatch.setattr(views, "apply_import", apply_after_someone_else_imported)
    with shared_app.app_context():
        changes_before = db.session.scalar(select(func.count()).select_from(Change))
    response = _confirm(mine, my_page)
    assert response.status_code == 409
    assert "A review with code SC was created by someone else while you were importing" in Page(response).text
    with shared_app.app_context():
        # Only the other import's changes: nothing of mine was merged into their review.
        created_by = db.session.scalars(select(Change.user_name).where(Change.id > changes_before)).all()
        assert created_by and set(created_by) == {"Admin User"}


def test_a_review_created_after_the_preview_page_was_shown_is_not_merged_into(shared_app):
    mine, theirs = Client(shared_app, "manager"), Client(shared_app, "admin")
    my_page, their_page = _upload(mine), _upload(theirs)
    shown = mine.page(my_page)  # the form as it stood when shown
    assert "A new review SC will be created" in shown.text
    assert _confirm(theirs, their_page).status_code == 303
    from tracker.imports.spreadsheet import guess_mapping
    form = {f"map-{k}": v for k, v in guess_mapping(ONE_ROW_PER_MEASURE[0]).items()}
    assert says_new_review(shown)
    response = mine.http.post(my_page, data={**form, "new_review": "1", "action": "confirm",
                                             "csrf_token": shown.csrf_token})
    assert response.status_code == 409
    assert "A review with code SC was created by someone else while you were importing" in Page(response).text
    with shared_app.app_context():
        assert set(db.session.scalars(select(Change.user_name).where(Change.entity_label.like("SC%")))) == {
            "Admin User"}
