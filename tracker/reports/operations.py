"""Creating and publishing committee reports. Publishing freezes every appendix for ever."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from .. import history
from ..refused import Refused
from ..extensions import db
from ..models import CommitteeReport, Review, utcnow
from . import builders


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
        raise Refused("Enter the committee's name, for example Overview and Scrutiny Committee", "committee")
    if len(committee) > 200:
        raise Refused("The committee's name must be 200 characters or fewer", "committee")
    if meeting_on is None:
        raise Refused("Enter the meeting date, for example 3 12 2026", "meeting_on")
    user = history.actor(by)
    report = CommitteeReport(review_id=review.id, committee=committee, meeting_on=meeting_on,
                             created_by=getattr(user, "name", None))
    db.session.add(report)
    db.session.flush()
    history.record(entity_type="committee_report", entity_id=report.id, field="created", after=report.label,
                   by=by, review_id=review.id, label=f"Report {report.id}")
    return report


def _baseline(review_id: int, report: CommitteeReport) -> tuple[dict | None, str | None]:
    baseline = last_published(review_id, before=report)
    if baseline is None:
        return None, None
    return baseline.snapshot["state"], f"the report to {baseline.label}"


def _live(report: CommitteeReport, review: Review, part: str, owners: bool = False) -> dict:
    since, since_label = _baseline(review.id, report)
    return builders.build(part, review, meeting_of(report), since=since, since_label=since_label, owners=owners)


def part_data(report: CommitteeReport, part: str | None, *, owners: bool = False):
    """One part's report data (every part, as a dict, when ``part`` is None): from the snapshot
    once published, so a published report never changes; from the live plan while a draft."""
    if report.published:
        from .queries import snapshot_part
        if part is None:
            return snapshot_part(report.id, "parts")
        found = snapshot_part(report.id, "parts", part + "+owners") if owners else None
        return found if found is not None else snapshot_part(report.id, "parts", part)
    review = builders.load_review(report.review.code)
    if part is None:
        return {p: _live(report, review, p) for p in builders.PARTS}
    return _live(report, review, part, owners)


ALREADY_PUBLISHED = ("Someone else published this report a moment ago: their published version is kept "
                     "and nothing was changed")


def publish_report(report: CommitteeReport, *, by=None) -> None:
    """Freeze the report. The switch from draft to published is one conditional UPDATE
    (``WHERE id = :id AND status = 'draft'``): of two people publishing at once, one wins, the
    other is told, and the winner's snapshot is never overwritten."""
    if report.published:
        raise Refused("This report is already published and cannot change")
    review = builders.load_review(report.review.code)
    baseline = last_published(review.id, before=report)
    user = history.actor(by)
    values = dict(status="published", published_at=utcnow(), published_by=getattr(user, "name", None),
                  since_report_id=baseline.id if baseline else None)
    # The parts are built with published_at set, so every part carries its publishing date; the
    # in-memory values are only for building (no_autoflush: the UPDATE below is what writes them).
    with db.session.no_autoflush:
        for name, value in values.items():
            setattr(report, name, value)
        # The baseline is the previous published report (this one is excluded by id).
        parts = {p: _live(report, review, p) for p in builders.PARTS}
        # The owner/target-date version of Appendix B is frozen too, for committees that ask for it.
        parts["appendix-b+owners"] = _live(report, review, "appendix-b", owners=True)
        values["snapshot"] = {"parts": parts, "state": builders.plan_state(review)}
    db.session.expire(report)
    won = db.session.execute(
        update(CommitteeReport).where(CommitteeReport.id == report.id, CommitteeReport.status == "draft")
        .values(**values).execution_options(synchronize_session=False)).rowcount
    if won != 1:
        raise Refused(ALREADY_PUBLISHED)
    history.record(entity_type="committee_report", entity_id=report.id, field="status", before="draft",
                   after="published", by=by, review_id=review.id, label=f"Report {report.id}")
