"""Benchmark: server time and SQL queries per page, on the seed and on generated large data.

    .venv/bin/python scripts/bench.py [--reviews 50 --actions 200 --changes 200000 --repeat 20]

Builds a throwaway SQLite database (or uses BENCH_DATABASE_URL), loads the seed, adds generated
reviews (DESIGN.md section 5: 50 reviews x 200 actions x 3 measures, 200,000 change records),
then requests each page through the Flask test client as a signed-in admin and prints p50/p95
server time and the number of SQL statements. Targets: list pages p95 < 100 ms; queries per
request constant (compare the seed's counts with the large data's).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, insert, select  # noqa: E402

from tracker import create_app  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.models import Action, Authority, Change, Measure, Project, Review, Theme  # noqa: E402

PASSWORD = "timing the pages carefully"
OUTPUTS = ["Complete", "To start", "Outcome of CCC Project", "Pending outcome of Civic Centre space review",
           "Some systems in place", "On hold pending outcome of CCC Project", "Cancelled"]
STATUSES = {"Complete": "complete", "To start": "not_started", "Outcome of CCC Project": "dependent",
            "Pending outcome of Civic Centre space review": "dependent", "Some systems in place": "in_progress",
            "On hold pending outcome of CCC Project": "on_hold", "Cancelled": "cancelled"}


def generate(app, n_reviews: int, n_actions: int, n_changes: int) -> None:
    """Bulk inserts (core, not the ORM) so generating 30,000 measures takes seconds."""
    rng = random.Random(2002)
    with app.app_context():
        authority = db.session.scalar(select(Authority))
        projects = {p.code: p.id for p in db.session.scalars(select(Project))}
        for r in range(n_reviews):
            review = Review(authority_id=authority.id, code=f"G{r:02d}", title=f"Generated review {r}",
                            ref_pattern=r"G\d{2}-{theme}-\d{3}")
            db.session.add(review)
            db.session.flush()
            themes = []
            for t, code in enumerate(("ENV", "OWN", "PERF", "COM", "ORG")):
                theme = Theme(review_id=review.id, code=code, name=f"Theme {code}", position=t)
                db.session.add(theme)
                themes.append(theme)
            db.session.flush()
            action_rows = [dict(review_id=review.id, ref=f"G{r:02d}-{themes[a % 5].code}-{a:03d}", position=a,
                                title=f"Generated action {a}", theme_id=themes[a % 5].id, archived=False,
                                version=1, target_date_slips=0,
                                target_date=dt.date(2004, 1, 1) + dt.timedelta(days=rng.randrange(900)),
                                updated_at=dt.datetime(2004, 1, 1) + dt.timedelta(days=rng.randrange(900)))
                           for a in range(1, n_actions + 1)]
            db.session.execute(insert(Action), action_rows)
            ids = db.session.scalars(select(Action.id).where(Action.review_id == review.id)).all()
            measure_rows = []
            for action_id in ids:
                for number in (1, 2, 3):
                    output = rng.choice(OUTPUTS)
                    depends = projects.get("CCC") if "CCC" in output else (
                        projects.get("CIVIC") if "Civic" in output else None)
                    measure_rows.append(dict(action_id=action_id, number=number, text=f"Measure {number} text",
                                             measured_output=output, status=STATUSES[output], depends_on_id=depends,
                                             status_overridden=False, version=1))
            db.session.execute(insert(Measure), measure_rows)
        review_ids = db.session.scalars(select(Review.id)).all()
        batch = []
        start = dt.datetime(2004, 1, 1)
        for i in range(n_changes):
            batch.append(dict(at=start + dt.timedelta(minutes=i * 7), user_id=None, user_name="Generator",
                              review_id=rng.choice(review_ids), entity_type="measure", entity_id=rng.randrange(1, 30000),
                              entity_label="generated", field="status", before="not_started", after="in_progress"))
            if len(batch) == 10000:
                db.session.execute(insert(Change), batch)
                batch = []
        if batch:
            db.session.execute(insert(Change), batch)
        db.session.commit()


def time_pages(app, client, pages: list[str], repeat: int) -> list[tuple[str, float, float, int, int]]:
    with app.app_context():
        engine = db.engine
    results = []
    for url in pages:
        statements: list[str] = []

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        timings = []
        status = None
        for i in range(repeat + 1):
            statements.clear()
            event.listen(engine, "before_cursor_execute", count)
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            event.remove(engine, "before_cursor_execute", count)
            status = response.status_code
            if i:  # the first request warms caches
                timings.append(elapsed * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]
        results.append((url, statistics.median(timings), p95, len(statements), status))
    return results


def sign_in(app):
    from tests.conftest import csrf_from
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": "bench@example.gov.uk", "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302, "bench user could not sign in"
    return client


PAGES = ["/?review={code}", "/actions?review={code}", "/actions?review={code}&status=dependent",
         "/actions?review={code}&q=measure", "/actions/{ref}?review={code}", "/recommendations?review={code}",
         "/projects?review={code}", "/changes?review={code}", "/standards/cse", "/audit"]


def report(title, rows):
    print(f"\n{title}")
    print(f"{'page':58} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'status':>7}")
    for url, p50, p95, queries, status in rows:
        print(f"{url[:58]:58} {p50:8.1f} {p95:8.1f} {queries:8d} {status:7d}")


def extra_benchmarks(app, client, code):
    """Hook for report timings (committee appendices), filled in by tracker/reports when present."""
    try:
        from tracker.reports.bench import bench_reports  # type: ignore
    except ImportError:
        return
    bench_reports(app, client, code)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=50)
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--changes", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bvt-bench-")
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite"
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        from tracker.imports.seed import load_seeds
        from tracker.people.operations import create_user
        started = time.perf_counter()
        load_seeds(app.config["SEEDS_DIR"])
        print(f"seed loaded in {time.perf_counter() - started:.2f} s")
        create_user(email="bench@example.gov.uk", name="Bench Admin", role="admin", password=PASSWORD)
        db.session.commit()
    client = sign_in(app)
    report("Seed (Carlisle: 87 actions, 116 measures)",
           time_pages(app, client, [p.format(code="CC", ref="CC-01-ENV-01") for p in PAGES], args.repeat))
    extra_benchmarks(app, client, "CC")
    started = time.perf_counter()
    generate(app, args.reviews, args.actions, args.changes)
    print(f"\ngenerated {args.reviews} reviews x {args.actions} actions x 3 measures and {args.changes:,} "
          f"changes in {time.perf_counter() - started:.1f} s")
    report(f"Large data (review G00 of {args.reviews}; {args.reviews * args.actions * 3:,} measures, "
           f"{args.changes:,} changes)",
           time_pages(app, client, [p.format(code="G00", ref="G00-OWN-001") for p in PAGES], args.repeat))
    extra_benchmarks(app, client, "G00")


if __name__ == "__main__":
    main()
