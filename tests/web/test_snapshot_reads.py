"""A published report's snapshot (3 MB of JSON at 1,000 actions) is read a part at a time: listing
reports never loads it, and a page or download reads only the part it shows, the same part that
was frozen."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect, select

from tracker.extensions import db
from tracker.models import CommitteeReport, Review
from tracker.reports import queries
from tracker.reports.operations import create_report, part_data, publish_report
from tracker.reports.snapshots import snapshot_state


def _published(app) -> int:
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        report = create_report(review, committee="Overview and Scrutiny Committee", meeting_on=dt.date(2026, 6, 1))
        db.session.flush()
        publish_report(report)
        db.session.commit()
        return report.id


def test_a_part_is_read_alone_and_is_the_part_frozen(app):
    report_id = _published(app)
    with app.app_context():
        frozen = db.session.get(CommitteeReport, report_id).snapshot
        assert set(frozen["parts"]) >= {"summary", "appendix-b", "appendix-b+owners"}
        db.session.expunge_all()
        report = db.session.get(CommitteeReport, report_id)
        assert "snapshot" not in inspect(report).dict, "the snapshot is loaded only when asked for"
        assert part_data(report, "summary") == frozen["parts"]["summary"]
        assert part_data(report, "appendix-b") == frozen["parts"]["appendix-b"]
        assert part_data(report, "appendix-b", owners=True) == frozen["parts"]["appendix-b+owners"]
        assert part_data(report, "appendix-a", owners=True) == frozen["parts"]["appendix-a"]
        assert part_data(report, None) == frozen["parts"]
        assert snapshot_state(report) == frozen["state"]
        assert "snapshot" not in inspect(report).dict


def test_listing_reports_leaves_every_snapshot_unread(app, client_for):
    _published(app)
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        found = queries.reports_of(review, published_only=True)
        assert found and all("snapshot" not in inspect(r).dict for r in found)
    page = client_for("committee").get("/reports?review=CC")
    assert page.status_code == 200 and "Overview and Scrutiny Committee" in page.get_data(as_text=True)
