"""Steps tests share for committee reports: a draft made and published through the pages."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Review
from tracker.reports.operations import create_report, publish_report


def draft_report(manager, meeting_on: str) -> int:
    response = manager.post("/reports", token_from="/reports",
                            data={"committee": "Overview and Scrutiny Committee", "meeting_on": meeting_on})
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


def publish(manager, report_id: int) -> None:
    assert manager.post(f"/reports/{report_id}/publish", token_from=f"/reports/{report_id}/publish").status_code == 303


def publish_in_month(app, month: int) -> None:
    """A report to the 1 MONTH 2026 meeting, published straight away, with the public page on."""
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.code == "CC"))
        review.public_page = True
        publish_report(create_report(review, committee="Overview and Scrutiny Committee",
                                     meeting_on=dt.date(2026, month, 1)))
        db.session.commit()
