"""Committee reports: create for a meeting, preview, publish, and download in every format."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models import CommitteeReport
from ..people.permissions import may
from ..plan import queries
from . import builders
from .operations import ReportError, build_parts, create_report, publish_report
from .renderers import FORMATS, render
from .renderers.html import chart_svg

bp = Blueprint("reports", __name__)


def _get(report_id: int) -> CommitteeReport:
    report = db.session.get(CommitteeReport, report_id) or abort(404)
    if not report.published and not may(current_user.role, "publish_reports"):
        abort(403)  # committee members see published reports only
    return report


@bp.route("/reports", methods=["GET", "POST"])
def reports():
    review = queries.current_review()
    typed, error = {}, None
    if request.method == "POST":
        if not may(current_user.role, "publish_reports"):
            abort(403)
        typed = {k: request.form.get(k, "").strip() for k in ("committee", "meeting_on")}
        try:
            meeting_on = dt.date.fromisoformat(typed["meeting_on"]) if typed["meeting_on"] else None
        except ValueError:
            meeting_on = None
        try:
            report = create_report(review, committee=typed["committee"], meeting_on=meeting_on)
            db.session.commit()
            flash(f"Draft report for {report.label} created. Check it, then publish it.", "success")
            return redirect(url_for("reports.report", report_id=report.id), 303)
        except ReportError as exc:
            db.session.rollback()
            error = exc
    query = select(CommitteeReport).where(CommitteeReport.review_id == review.id)
    if not may(current_user.role, "publish_reports"):
        query = query.where(CommitteeReport.status == "published")
    found = db.session.scalars(query.order_by(CommitteeReport.meeting_on.desc(), CommitteeReport.id.desc())).all()
    return render_template("reports/reports.html", review=review, reports=found, typed=typed, error=error,
                           parts=builders.PARTS, formats=FORMATS), (400 if error else 200)


@bp.route("/reports/<int:report_id>")
def report(report_id: int):
    found = _get(report_id)
    part = request.args.get("part", "summary")
    if part not in builders.PARTS:
        abort(404)
    review = builders.load_review(found.review.code)
    data = build_parts(found, review, live=False)[part] if found.published else \
        builders.build(part, review, **_live_args(found, review))
    return render_template("reports/report.html", report=found, review=review, part=part, data=data,
                           parts=builders.PARTS, formats=FORMATS, chart_svg=chart_svg)


def _live_args(found, review):
    from .operations import last_published, meeting_of
    baseline = last_published(review.id, before=found)
    return {"meeting": meeting_of(found), "since": baseline.snapshot["state"] if baseline else None,
            "since_label": f"the report to {baseline.label}" if baseline else None}


@bp.route("/reports/<int:report_id>/publish", methods=["POST"])
def publish(report_id: int):
    found = _get(report_id)
    try:
        publish_report(found)
        db.session.commit()
    except ReportError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("reports.report", report_id=found.id), 303)
    flash(f"Published: the report to {found.label} is frozen and can be downloaded unchanged.", "success")
    return redirect(url_for("reports.report", report_id=found.id), 303)


@bp.route("/reports/<int:report_id>/<part>.<fmt>")
def download(report_id: int, part: str, fmt: str):
    found = _get(report_id)
    if part not in builders.PARTS or fmt not in FORMATS:
        abort(404)
    review = builders.load_review(found.review.code)
    owners = part == "appendix-b" and request.args.get("owners") == "1"
    if found.published:
        parts = build_parts(found, review, live=False)
        data = parts.get(part + "+owners" if owners else part) or parts[part]
    else:
        data = builders.build(part, review, owners=owners, **_live_args(found, review))
    mimetype, extension = FORMATS[fmt]
    name = f"{review.code}-{part}-{found.meeting_on.isoformat()}{'' if found.published else '-draft'}.{extension}"
    return Response(render(data, fmt), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
