"""Report timings for scripts/bench.py: each part built from the database and rendered, per format.

Targets (DESIGN.md section 5 and the committee-reports issue): Appendix B under 1 s as HTML and
under 3 s as PDF for the seed; under 300 ms as HTML and 3 s as PDF for a 200-action review.
"""
from __future__ import annotations

import statistics
import time

from . import builders
from .renderers import render

TARGETS_MS = {("appendix-b", "html"): 300, ("appendix-b", "pdf"): 3000}


def bench_reports(app, client, code: str, repeat: int = 5) -> None:
    with app.app_context():
        review = builders.load_review(code)
        size = f"{len([a for a in review.actions if not a.archived])} actions, " \
               f"{sum(len(a.measures) for a in review.actions)} measures"
    print(f"\nCommittee reports for review {code} ({size}): load from the database, build, render")
    print(f"{'part':12} {'format':6} {'median ms':>10} {'max ms':>8} {'size':>8}  target")
    with app.test_request_context():
        for part, fmt in (("appendix-b", "html"), ("appendix-b", "pdf"), ("appendix-b", "docx"),
                          ("appendix-b", "xlsx"), ("appendix-a", "pdf"), ("summary", "html"), ("summary", "pdf")):
            timings = []
            for _ in range(repeat if fmt != "pdf" else max(2, repeat // 2)):
                started = time.perf_counter()
                data = builders.build(part, builders.load_review(code))
                content = render(data, fmt)
                timings.append((time.perf_counter() - started) * 1000)
            target = TARGETS_MS.get((part, fmt))
            verdict = "" if target is None else f"< {target} ms: {'met' if max(timings) < target else 'MISSED'}"
            print(f"{part:12} {fmt:6} {statistics.median(timings):10.1f} {max(timings):8.1f} "
                  f"{len(content) // 1024:6d} KB  {verdict}")

    _bench_published_download(app, client, code)


def _bench_published_download(app, client, code: str) -> None:
    """Through the route, as a member downloads it: the first request renders, later ones reuse it."""
    import datetime as dt

    from ..transactions import one_transaction
    from .operations import create_report, publish_report

    with app.test_request_context():
        with one_transaction():
            report = create_report(builders.load_review(code), committee="Benchmark Committee",
                                   meeting_on=dt.date(2026, 12, 3))
            publish_report(report)
        report_id = report.id
    for label in ("first download", "second download"):
        started = time.perf_counter()
        response = client.get(f"/reports/{report_id}/appendix-b.pdf")
        print(f"published Appendix B PDF, {label}: {(time.perf_counter() - started) * 1000:.1f} ms "
              f"(HTTP {response.status_code})")
    _bench_update_requests(app, client, code)


def _bench_update_requests(app, client, code: str) -> None:
    """'Ask owners for updates' for the next meeting: every open action is a candidate."""
    import datetime as dt

    from sqlalchemy import event

    from ..extensions import db
    from ..transactions import one_transaction
    from .operations import create_report

    with app.test_request_context():
        with one_transaction():
            report = create_report(builders.load_review(code), committee="Benchmark Committee",
                                   meeting_on=dt.date(2027, 3, 4))
        report_id = report.id
        engine = db.engine
    statements = []

    def count(*args):
        statements.append(1)

    client.get(f"/reports/{report_id}/requests")  # warm
    timings = []
    for _ in range(5):
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        started = time.perf_counter()
        response = client.get(f"/reports/{report_id}/requests")
        timings.append((time.perf_counter() - started) * 1000)
        event.remove(engine, "before_cursor_execute", count)
    print(f"update requests for the next meeting: median {sorted(timings)[2]:.1f} ms, max {max(timings):.1f} ms, "
          f"{len(statements)} queries (HTTP {response.status_code})")
