"""Creating and publishing committee reports. Publishing freezes every appendix for ever."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from .. import history
from ..extensions import db
from ..models import CommitteeReport, Review, utcnow
from . import builders


class ReportError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def last_published(review_id: int, before: CommitteeReport | None = None) -> CommitteeReport | None:
    query = select(CommitteeReport).where(CommitteeReport.review_id == review_id,
                                          CommitteeReport.status == "published")
    if before is not None and before.id:
        query = query.where(CommitteeReport.id != before.id)
    return db.session.scalar(query.order_by(CommitteeReport.published_at.desc(), CommitteeReport.id.desc()).limit(1))


def meeting_of(report: CommitteeReport) -> dict:
    return {"committee": report.committee, "date": report.meeting_on.isoformat(), "label": report.label,
            "published": report.published_at.strftime("%-d %B %Y") if report.published_at else None,
            "report_id": report.id}


def create_report(review: Review, *, committee: str, meeting_on: dt.date | None, by=None) -> CommitteeReport:
    committee = (committee or "").strip()
    if not committee:
        raise ReportError("Enter the committee's name, for example Overview and Scrutiny Committee", "committee")
    if meeting_on is None:
        raise ReportError("Enter the meeting date as YYYY-MM-DD, for example 2026-12-03", "meeting_on")
    user = history.actor(by)
    report = CommitteeReport(review_id=review.id, committee=committee, meeting_on=meeting_on,
                             created_by=getattr(user, "name", None))
    db.session.add(report)
    db.session.flush()
    history.record(entity_type="committee_report", entity_id=report.id, field="created", after=report.label,
                   by=by, review_id=review.id, label=f"Report {report.id}")
    return report


def build_parts(report: CommitteeReport, review: Review, *, live: bool = True) -> dict:
    """Every part of a report: from its snapshot once published, from the live plan while a draft."""
    if report.published and not live:
        return report.snapshot["parts"]
    baseline = last_published(review.id, before=report)
    since = baseline.snapshot["state"] if baseline else None
    since_label = f"the report to {baseline.label}" if baseline else None
    meeting = meeting_of(report)
    return {part: builders.build(part, review, meeting, since=since, since_label=since_label)
            for part in builders.PARTS}


def publish_report(report: CommitteeReport, *, by=None) -> None:
    if report.published:
        raise ReportError("This report is already published and cannot change")
    review = builders.load_review(report.review.code)
    baseline = last_published(review.id, before=report)
    user = history.actor(by)
    report.status = "published"
    report.published_at = utcnow()
    report.published_by = getattr(user, "name", None)
    report.since_report_id = baseline.id if baseline else None
    parts = build_parts(report, review)
    # The owner/target-date version of Appendix B is frozen too, for committees that ask for it.
    parts["appendix-b+owners"] = builders.appendix_b(review, meeting_of(report), owners=True)
    report.snapshot = {"parts": parts, "state": builders.plan_state(review)}
    history.record(entity_type="committee_report", entity_id=report.id, field="status", before="draft",
                   after="published", by=by, review_id=review.id, label=f"Report {report.id}")
