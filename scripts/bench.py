"""Benchmark: server time and SQL queries per page, on the seed and on generated large data.

    .venv/bin/python scripts/bench.py [--reviews 50 --actions 200 --changes 200000 --repeat 20]
    .venv/bin/python scripts/bench.py --http [--sizes seed,10000,50000 --connections 20 --seconds 10]
    .venv/bin/python scripts/bench.py --outputs [--sizes 1000,10000,50000]

The first form requests each page through the Flask test client as a signed-in admin and prints
p50/p95 server time and the number of SQL statements, on the seed and then with generated reviews
(DESIGN.md section 5: 50 reviews x 200 actions x 3 measures, 200,000 change records). Targets: list
pages p95 < 100 ms; queries per request constant (compare the seed's counts with the large data's).

``--http`` measures as a user meets the pages: the app under gunicorn beside a bare Flask app, with
wrk (scripts/bench_http.py), at each size.

``--outputs`` times reports and exports as the command line writes them, one process each: CPU
seconds and peak memory for Appendix B of a 1,000-action review as PDF and Word, and the JSON and
Excel exports of reviews of each size (scripts/bench_outputs.py).

The bench builds its own database: ``bvt_bench`` (or ``--database NAME``) on the PostgreSQL server
named by BENCH_DATABASE_URL (dropped and created afresh), else a temporary SQLite file. It never drops the
tables of a database it did not create.
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
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_http beside this file

from sqlalchemy import event, insert, select  # noqa: E402

from tracker import create_app  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.models import (  # noqa: E402
    Action,
    Authority,
    Change,
    Measure,
    Owner,
    Project,
    Recommendation,
    Review,
    Theme,
    action_recommendation,
)

PASSWORD = "timing the pages carefully"
OUTPUTS = ["Complete", "To start", "Outcome of CCC Project", "Pending outcome of Civic Centre space review",
           "Some systems in place", "On hold pending outcome of CCC Project", "Cancelled"]
STATUSES = {"Complete": "complete", "To start": "not_started", "Outcome of CCC Project": "dependent",
            "Pending outcome of Civic Centre space review": "dependent", "Some systems in place": "in_progress",
            "On hold pending outcome of CCC Project": "on_hold", "Cancelled": "cancelled"}


def _review(rng, authority, projects, owners, code: str, n_actions: int, public: bool = False) -> None:
    """One generated review: five themes, ``n_actions`` actions of three measures each, an owner on
    most actions and twenty recommendations, each delivered by a handful of actions."""
    review = Review(authority_id=authority.id, code=code, title=f"Generated review {code}",
                    ref_pattern=code + r"-{theme}-\d{4}", public_page=public)
    db.session.add(review)
    db.session.flush()
    themes = []
    for t, theme_code in enumerate(("ENV", "OWN", "PERF", "COM", "ORG")):
        theme = Theme(review_id=review.id, code=theme_code, name=f"Theme {theme_code}", position=t)
        db.session.add(theme)
        themes.append(theme)
    db.session.flush()
    action_rows = [dict(review_id=review.id, ref=f"{code}-{themes[a % 5].code}-{a:04d}", position=a,
                        title=f"Generated action {a}: improve staff training and customer contact",
                        theme_id=themes[a % 5].id, archived=False, version=1, target_date_slips=0,
                        owner_id=rng.choice(owners) if rng.random() < 0.9 else None,
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
    recs = [Recommendation(review_id=review.id, number=n, text=f"Recommendation {n} of review {code}")
            for n in range(1, 21)]
    db.session.add_all(recs)
    db.session.flush()
    links = {(rng.choice(ids), rec.id) for rec in recs for _ in range(max(1, len(ids) // 20))}
    db.session.execute(insert(action_recommendation), [dict(action_id=a, recommendation_id=r) for a, r in links])


def _owners(authority) -> list[int]:
    """Forty generated officers beside the seed's owners, so owner filters and pages have work."""
    if db.session.scalar(select(Owner.id).where(Owner.name == "Generated officer 0")) is None:
        db.session.add_all([Owner(authority_id=authority.id, name=f"Generated officer {i}",
                                  business_unit=f"Unit {i % 7}") for i in range(40)])
        db.session.flush()
    return db.session.scalars(select(Owner.id)).all()


def generate(app, n_reviews: int, n_actions: int, n_changes: int, *, first: int = 0) -> None:
    """Bulk inserts (core, not the ORM) so generating 30,000 measures takes seconds. Reviews are
    numbered from ``first``, so a later call adds to an earlier one."""
    rng = random.Random(2002 + first)
    with app.app_context():
        authority = db.session.scalar(select(Authority))
        projects = {p.code: p.id for p in db.session.scalars(select(Project))}
        owners = _owners(authority)
        for r in range(first, first + n_reviews):
            _review(rng, authority, projects, owners, f"G{r:03d}", n_actions)
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
    analyze(app)


def analyze(app) -> None:
    """Planner statistics for what was just bulk-inserted, as autovacuum would gather within minutes
    on a real server: without them PostgreSQL guesses row counts and scans whole tables."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()


def one_big_review(app, code: str = "K1", n_actions: int = 1000) -> None:
    """A review of ``n_actions`` actions, public and with three published reports, for the pages
    that should stay flat as one review grows."""
    from tracker.reports.operations import create_report, publish_report
    rng = random.Random(1000)
    with app.app_context():
        authority = db.session.scalar(select(Authority))
        projects = {p.code: p.id for p in db.session.scalars(select(Project))}
        owners = _owners(authority)
        _review(rng, authority, projects, owners, code, n_actions, public=True)
        db.session.commit()
        for review_code in ("CC", code):
            review = db.session.scalar(select(Review).where(Review.code == review_code))
            review.public_page = True
            for month in (3, 6, 9):
                report = create_report(review, committee="Overview and Scrutiny Committee",
                                       meeting_on=dt.date(2026, month, 1))
                db.session.flush()
                publish_report(report)
            db.session.commit()
    analyze(app)


def own_database(name: str = "bvt_bench") -> str:
    """The bench's own database URL: ``name`` made afresh on BENCH_DATABASE_URL's server, or a
    temporary SQLite file."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        return f"sqlite:///{tempfile.mkdtemp(prefix='bvt-bench-')}/bench.sqlite"
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def time_pages(app, client, pages: list[str], repeat: int) -> list[tuple[str, float, float, int, int]]:
    with app.app_context():
        engine = db.engine
    results = []
    for url in pages:
        statements: list[str] = []

        def count(conn, cursor, statement, *args, statements=statements):
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
    from tests.client import csrf_from
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": "bench@example.gov.uk", "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302, "bench user could not sign in"
    return client


PAGES = ["/?review={code}", "/actions?review={code}", "/actions?review={code}&status=dependent",
         "/actions?review={code}&q=measure", "/actions?review={code}&q=staff", "/actions/{ref}?review={code}",
         "/recommendations?review={code}", "/reports?review={code}", "/projects?review={code}",
         "/changes?review={code}", "/standards/cse", "/audit"]


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


def seeded_app(url: str):
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.create_all()
        from tracker.imports.seed import load_seeds
        from tracker.people.operations import create_user
        started = time.perf_counter()
        load_seeds(app.config["SEEDS_DIR"])
        print(f"seed loaded in {time.perf_counter() - started:.2f} s")
        create_user(email="bench@example.gov.uk", name="Bench Admin", role="admin", password=PASSWORD)
        db.session.commit()
    return app


def in_process(args) -> None:
    app = seeded_app(own_database(args.database))
    client = sign_in(app)
    report("Seed (Carlisle: 87 actions, 116 measures)",
           time_pages(app, client, [p.format(code="CC", ref="CC-01-ENV-01") for p in PAGES], args.repeat))
    extra_benchmarks(app, client, "CC")
    started = time.perf_counter()
    generate(app, args.reviews, args.actions, args.changes)
    print(f"\ngenerated {args.reviews} reviews x {args.actions} actions x 3 measures and {args.changes:,} "
          f"changes in {time.perf_counter() - started:.1f} s")
    report(f"Large data (review G000 of {args.reviews}; {args.reviews * args.actions * 3:,} measures, "
           f"{args.changes:,} changes)",
           time_pages(app, client, [p.format(code="G000", ref="G000-OWN-0001") for p in PAGES], args.repeat))
    extra_benchmarks(app, client, "G000")


def over_http(args) -> None:
    import bench_http
    bench_http.require_wrk()
    url = own_database(args.database)
    app = seeded_app(url)
    one_big_review(app)
    generated = 0
    for size in args.sizes.split(","):
        if size != "seed":
            reviews = max(0, int(size) - 1087 - generated * 200) // 200  # 1,087: the seed's and K1's actions
            started = time.perf_counter()
            generate(app, reviews, 200, args.changes if generated == 0 else 0, first=generated)
            generated += reviews
            print(f"\ngenerated {reviews} more reviews of 200 actions in {time.perf_counter() - started:.1f} s")
        total = 87 + 1000 + generated * 200
        pages = [("CC", "CC-01-ENV-01"), ("K1", "K1-OWN-0001")]
        bench_http.bench_size(f"{total:,} actions ({generated} generated reviews of 200, one of 1,000, the seed)",
                              url, "bench@example.gov.uk", PASSWORD, pages, args.connections, args.seconds,
                              args.workers)


def outputs(args) -> None:
    import bench_outputs
    url = own_database(args.database)
    app = seeded_app(url)
    one_big_review(app)

    def make_review(code: str, n_actions: int) -> None:
        with app.app_context():
            authority = db.session.scalar(select(Authority))
            projects = {p.code: p.id for p in db.session.scalars(select(Project))}
            _review(random.Random(n_actions), authority, projects, _owners(authority), code, n_actions)
            db.session.commit()

    sizes = [int(s) for s in args.sizes.split(",") if s != "seed"] if args.sizes_given else [1000, 10000, 50000]
    with app.app_context():
        db.engine.dispose()
    bench_outputs.bench_outputs(url, sizes, make_review, reports=args.what != "exports")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=50)
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--changes", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--http", action="store_true", help="gunicorn + wrk beside a bare Flask app")
    parser.add_argument("--outputs", action="store_true", help="CPU and peak memory of reports and exports")
    parser.add_argument("--sizes", default=None, help="--http: total actions per step (seed,10000,50000); "
                        "--outputs: actions of each exported review (1000,10000,50000)")
    parser.add_argument("--what", choices=["all", "exports"], default="all", help="with --outputs: exports only")
    parser.add_argument("--database", default="bvt_bench", help="name of the PostgreSQL database the bench makes")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    args.sizes_given = args.sizes is not None
    args.sizes = args.sizes or "seed,10000,50000"
    if args.outputs:
        outputs(args)
    else:
        over_http(args) if args.http else in_process(args)


if __name__ == "__main__":
    main()
