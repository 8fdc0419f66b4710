"""Every read-mostly page reads the plan in a fixed number of SQL statements, with no lazy loads:
the same number on the seed as after the review has grown by 60 actions (with measures, owners,
recommendations and history), and none issued by touching an attribute the view's queries did not
load."""
from __future__ import annotations

import datetime as dt
import os

import pytest
from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from tests.web.reports import publish_in_month
from tracker.extensions import db
from tracker.models import Action, Change, Measure, Owner, Project, Recommendation, Review, Theme, action_recommendation

OUTPUTS = [("Complete", "complete", None), ("To start", "not_started", None),
           ("Outcome of CCC Project", "dependent", "CCC"), ("Pending outcome of Civic Centre space review",
                                                            "dependent", "CIVIC"),
           ("Some systems in place", "in_progress", None), ("On hold pending staff training", "on_hold", None),
           ("Cancelled", "cancelled", None), ("Ongoing staff training", "ongoing", None)]


def signed_in_pages(app) -> list[str]:
    with app.app_context():  # the seed's actions have no owners yet: any owner of the authority
        owner = db.session.scalar(select(Owner.id).order_by(Owner.id).limit(1)) or 1
    return ["/actions/CC-01-ENV-01", "/actions", "/actions?q=staff", "/actions?q=CC-01",
            "/actions?status=dependent&theme=ENV", f"/actions?owner={owner}&project=CCC&overdue=1",
            "/actions?stale=3&check=1", "/actions?page=2", "/", "/recommendations", "/recommendations/1",
            "/reports", "/changes", "/projects"]


PUBLIC_PAGES = ["/public/CC", "/public/CC?part=appendix-b", "/public"]




def _age_one_action(app) -> None:
    """A seed action left without an update for years, with a status to check, so the master list's
    stale and to-check filters find a row on the seed as well (no rows, no measures to load)."""
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.ref == "CC-01-ENV-01"))
        db.session.execute(update(Action).where(Action.id == action.id).values(updated_at=dt.datetime(2004, 1, 1)))
        db.session.execute(update(Measure).where(Measure.action_id == action.id).values(status_to_check=True))
        db.session.commit()


def grow(app, n: int = 60) -> None:
    """``n`` more actions in the seed's review, bulk inserted: three measures each (some waiting on
    projects, some retired, some own progress), owners (new ones too), links to every recommendation,
    history rows and a second review for the switcher."""
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        themes = db.session.scalars(select(Theme).where(Theme.review_id == review.id)).all()
        projects = {p.code: p.id for p in db.session.scalars(select(Project))}
        owners = [Owner(authority_id=review.authority_id, name=f"Grown officer {i}", business_unit="Unit")
                  for i in range(n // 4)]
        db.session.add_all(owners)
        db.session.add(Review(authority_id=review.authority_id, code="CC2", title="A second review",
                              ref_pattern=r"X\d+"))
        db.session.flush()
        owner_ids = [o.id for o in owners] + db.session.scalars(select(Owner.id)).all()
        start = db.session.scalar(select(db.func.max(Action.position))) + 1
        rows = [dict(review_id=review.id, ref=f"CC-{90 + i // 90:02d}-{themes[i % len(themes)].code}-{i % 90:02d}",
                     position=start + i, title=f"Grown action {i}: staff training", theme_id=themes[i % len(themes)].id,
                     archived=i % 17 == 0, version=1, target_date_slips=0, owner_id=owner_ids[i % len(owner_ids)],
                     target_date=dt.date(2004, 1, 1) + dt.timedelta(days=i * 7),
                     updated_at=dt.datetime(2004, 1, 1) + dt.timedelta(days=i)) for i in range(n)]
        db.session.execute(insert(Action), rows)
        ids = db.session.scalars(select(Action.id).where(Action.position >= start)).all()
        measures = []
        for k, action_id in enumerate(ids):
            numbers = (0,) if k % 5 == 0 else (1, 2, 3)
            for number in numbers:
                output, status, project = OUTPUTS[(k + number) % len(OUTPUTS)]
                measures.append(dict(action_id=action_id, number=number, text="" if number == 0 else f"Measure {number}",
                                     measured_output=output, status=status, depends_on_id=projects.get(project),
                                     status_overridden=False, status_to_check=k % 7 == 0, version=1,
                                     retired_on=dt.date(2004, 6, 1) if number == 3 and k % 4 == 0 else None))
        db.session.execute(insert(Measure), measures)
        recs = db.session.scalars(select(Recommendation.id).where(Recommendation.review_id == review.id)).all()
        db.session.execute(insert(action_recommendation),
                           [dict(action_id=a, recommendation_id=recs[(k + j) % len(recs)])
                            for k, a in enumerate(ids) for j in range(3)])
        db.session.execute(insert(Change), [
            dict(at=dt.datetime(2026, 1, 1) + dt.timedelta(minutes=k), user_name="Grower", review_id=review.id,
                 entity_type="action", entity_id=a, entity_label=f"Action {k}", field="title", before="a", after="b")
            for k, a in enumerate(ids)])
        db.session.commit()


@pytest.fixture
def lazy_loads():
    """What the ORM loaded on demand while the list is being watched: a relationship reached that
    the query did not load, or a deferred or expired column read later."""
    found: list[str] = []

    def watch(state):
        if not state.is_select:
            return
        if state.lazy_loaded_from is not None:
            found.append(f"lazy load of {state.lazy_loaded_from.class_.__name__}: {state.statement}")
        elif state.is_column_load:
            found.append(f"column load: {state.statement}")

    event.listen(Session, "do_orm_execute", watch)
    yield found
    event.remove(Session, "do_orm_execute", watch)


def _count(client, count_queries, url: str) -> int:
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if os.environ.get("SHOW_STATEMENTS"):
        print(f"\n=== {url}: {len(statements)}\n" + "\n".join("  " + " ".join(s.split())[:240] for s in statements))
    return len(statements)


def test_pages_issue_the_same_statements_on_the_seed_and_on_a_grown_review(app, client_for, count_queries):
    app.config["PAGE_STORE_MB"] = 0  # every request draws its page: these are the statements of drawing
    publish_in_month(app, 3)
    _age_one_action(app)
    admin, anonymous = client_for("admin"), client_for()
    pages = signed_in_pages(app)
    for url in pages:  # warm-up: the session, the user, caches made on first use
        admin.get(url)
    seed = {url: _count(admin, count_queries, url) for url in pages}
    seed |= {url: _count(anonymous, count_queries, url) for url in PUBLIC_PAGES}
    grow(app)
    publish_in_month(app, 6)
    admin.get("/?review=CC")  # the review switcher now shows two reviews; stay on CC
    grown = {url: _count(admin, count_queries, url) for url in pages}
    grown |= {url: _count(anonymous, count_queries, url) for url in PUBLIC_PAGES}
    assert grown == seed


def test_no_page_loads_anything_lazily(app, client_for, lazy_loads):
    app.config["PAGE_STORE_MB"] = 0
    publish_in_month(app, 3)
    grow(app)
    admin, anonymous = client_for("admin"), client_for()
    for url in signed_in_pages(app):
        lazy_loads.clear()
        assert admin.get(url).status_code == 200
        assert lazy_loads == [], url
    for url in PUBLIC_PAGES:
        lazy_loads.clear()
        assert anonymous.get(url).status_code == 200
        assert lazy_loads == [], url


def test_a_page_asked_again_before_any_write_costs_two_statements(app, client_for, count_queries):
    """Served from the page store: the session with its user; the review with the data version."""
    admin = client_for("admin")
    stored = [url for url in signed_in_pages(app) if url not in ("/recommendations",)]
    for url in stored:
        admin.get(url)
    assert {url: _count(admin, count_queries, url) for url in stored} == {url: 2 for url in stored}
    grow(app)
    for url in stored:
        admin.get(url)
    assert {url: _count(admin, count_queries, url) for url in stored} == {url: 2 for url in stored}


def test_the_watch_sees_a_lazy_load(app, lazy_loads):
    with app.app_context():
        action = db.session.scalar(select(Action).limit(1))
        assert action.measures is not None
        db.session.rollback()
    assert lazy_loads and "lazy load of Action" in lazy_loads[0]


def test_the_list_rolls_recommendations_up_as_each_recommendation_page_does(app):
    """The database's GROUP BY gives the same status and words as rolling the loaded measures up,
    on a review with own progress, retired measures, retired actions, waits on two projects and
    statuses set by hand."""
    from tracker.plan import queries

    grow(app)
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        recs = queries.recommendations(review)
        recs[0].status_override, recs[0].status_override_reason = "complete", "Signed off by the committee"
        archived = db.session.scalar(select(Action).where(Action.archived.is_(True)).limit(1))
        db.session.execute(action_recommendation.delete().where(action_recommendation.c.recommendation_id
                                                                == recs[1].id))
        db.session.execute(insert(action_recommendation).values(action_id=archived.id, recommendation_id=recs[1].id))
        db.session.execute(action_recommendation.delete().where(action_recommendation.c.recommendation_id
                                                                == recs[2].id))
        db.session.flush()
        db.session.expire_all()
        recs = queries.recommendations(review)
        rows = queries.recommendation_rows(review, recs)
        expected = {rec.number: (queries.recommendation_status(queries.get_recommendation(review, rec.number)),
                                 [a.ref for a in rec.actions]) for rec in recs}
        assert {rec.number: (rows[rec.id].status, rows[rec.id].refs) for rec in recs} == expected
        assert rows[recs[2].id].status.category is None and rows[recs[1].id].refs == [archived.ref]
        assert any("waiting on" in row.status.reason for row in rows.values())


def test_listing_reports_never_reads_a_snapshot_and_the_public_page_reads_its_part_once(app, client_for,
                                                                                       count_queries):
    from tracker.reports.snapshots import forget_cached_parts

    publish_in_month(app, 3)
    publish_in_month(app, 6)
    with count_queries() as listing:
        assert client_for("admin").get("/reports").status_code == 200
    assert not [s for s in listing if "snapshot" in s]
    forget_cached_parts()
    anonymous = client_for()
    reads = []
    for _ in range(2):
        with count_queries() as statements:
            page = anonymous.get("/public/CC")
        assert page.status_code == 200 and "1 June 2026" in page.get_data(as_text=True)
        reads.append([s for s in statements if "snapshot" in s])
    assert len(reads[0]) == 1 and reads[1] == []  # the part, parsed once, then from this process's cache
