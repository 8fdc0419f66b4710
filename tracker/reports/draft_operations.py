"""Changing a draft committee report before it is published: its meeting, its committee, or deleting it.

A published report never changes (tracker/reports/operations.py). A draft holds nothing frozen, so a
mistyped meeting date is corrected, and an unwanted draft deleted, with the change record keeping both.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete

from .. import history
from ..extensions import db
from ..models import CommitteeReport, CoveringReport
from ..refused import Refused

NOT_A_DRAFT = "This report is published: it is frozen and cannot be changed or deleted"


def _committee(text: str | None) -> str:
    committee = (text or "").strip()
    if not committee:
        raise Refused("Enter the committee's name, for example Overview and Scrutiny Committee", "committee")
    if len(committee) > 200:
        raise Refused("The committee's name must be 200 characters or fewer", "committee")
    return committee


def edit_draft(report: CommitteeReport, *, committee: str, meeting_on: dt.date | None, by=None) -> bool:
    """Correct a draft's committee and meeting date; returns whether anything changed."""
    if report.published:
        raise Refused(NOT_A_DRAFT)
    committee = _committee(committee)
    if meeting_on is None:
        raise Refused("Enter the meeting date, for example 3 12 2026", "meeting_on")
    before = report.label
    changed = False
    for field, value in (("committee", committee), ("meeting_on", meeting_on)):
        if getattr(report, field) != value:
            history.record(entity_type="committee_report", entity_id=report.id, field=field,
                           before=getattr(report, field), after=value, by=by, review_id=report.review_id,
                           label=f"Report {report.id}", note=f"Was: {before}")
            setattr(report, field, value)
            changed = True
    db.session.flush()
    return changed


def delete_draft(report: CommitteeReport, *, by=None) -> str:
    """Delete a draft and its covering report; the change record keeps what it was. Returns its label."""
    if report.published:
        raise Refused(NOT_A_DRAFT)
    label = report.label
    history.record(entity_type="committee_report", entity_id=report.id, field="deleted", before=label,
                   after=None, by=by, review_id=report.review_id, label=f"Report {report.id}")
    db.session.execute(delete(CoveringReport).where(CoveringReport.report_id == report.id))
    db.session.delete(report)
    db.session.flush()
    return label
