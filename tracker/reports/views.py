"""Committee reports: create for a meeting, preview, publish, and download in every format."""
from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..downloads import attachment_headers
from ..forms import show_refusal
from ..http_cache import conditional, stored_page
from ..jobs import start
from ..models import CommitteeReport
from ..people.permissions import may
from ..plan import queries as plan_queries
from ..plan.review_context import review_or_404
from ..public.forms import public_page_form
from ..refused import Refused
from ..transactions import discard_changes
from . import builders, queries
from .forms import NewReportForm
from .jobs import download_name, job_kind
from .operations import create_report, part_data, publish_report
from .renderers import FORMATS, render
from .renderers.html import chart_svg
from .renderers.xlsx import render_workbook

bp = Blueprint("reports", __name__)

# A published report never changes, and before a meeting every member downloads the same files:
# each process keeps the last few rendered files (a PDF takes a second or two to lay out).
_RENDERED: OrderedDict = OrderedDict()
_RENDERED_MAX = 32
_LOCK = threading.Lock()


def cached_render(found: CommitteeReport, key: tuple, make) -> bytes:
    if not found.published:
        return make()
    key = (found.id, found.published_at.isoformat(), *key)
    with _LOCK:
        if key in _RENDERED:
            _RENDERED.move_to_end(key)
            return _RENDERED[key]
    content = make()
    with _LOCK:
        _RENDERED[key] = content
        while len(_RENDERED) > _RENDERED_MAX:
            _RENDERED.popitem(last=False)
    return content


def _get(report_id: int) -> CommitteeReport:
    report = queries.get_report(report_id) or abort(404)
    if not report.published and not may(current_user.role, "publish_reports"):
        abort(403)  # committee members see published reports only
    return report


@bp.route("/reports", methods=["GET", "POST"])
@stored_page
def reports():
    review = review_or_404()
    form = NewReportForm()
    if form.is_submitted():
        if form.validate():
            try:
                report = create_report(review, committee=form.committee.data or "",
                                       meeting_on=form.meeting_on.data)
            except Refused as refusal:
                discard_changes()
                show_refusal(form, refusal)
            else:
                flash(f"Draft report for {report.label} created. Check it, then publish it.", "success")
                return redirect(url_for("reports.report", report_id=report.id), 303)
    found = queries.reports_of(review, published_only=not may(current_user.role, "publish_reports"))
    return render_template("reports/reports.html", review=review, reports=found, form=form,
                           public_form=public_page_form(review), parts=builders.PARTS,
                           formats=FORMATS), (400 if form.errors else 200)


@bp.route("/reports/<int:report_id>")
def report(report_id: int):
    found = _get(report_id)
    part = request.args.get("part", "summary")
    if part not in builders.PARTS:
        abort(404)
    # A draft shows the plan as it is now: warn of statuses kept for texts no rule recognised.
    to_check = 0 if found.published else plan_queries.statuses_to_check(found.review)

    def render():
        return render_template("reports/report.html", report=found, review=found.review, part=part,
                               data=part_data(found, part), parts=builders.PARTS, formats=FORMATS,
                               chart_svg=chart_svg, to_check=to_check)

    return published_conditional(found, render)


def published_conditional(found: CommitteeReport, render, *, per_user: bool = True):
    """A published report never changes: its pages and files carry an ETag made of its id and
    publishing time (and a Last-Modified), and a browser holding them is answered 304. Drafts change
    with the plan and are never validated."""
    if not found.published:
        return render()
    return conditional(render, "report", found.id, found.published_at.isoformat(), found.review.code,
                       found.review.version, per_user=per_user, last_modified=found.published_at)


@bp.route("/reports/<int:report_id>/publish", methods=["POST"])
def publish(report_id: int):
    found = _get(report_id)
    try:
        publish_report(found)
    except Refused as exc:
        discard_changes()
        flash(str(exc), "error")
        return redirect(url_for("reports.report", report_id=found.id), 303)
    flash(f"Published: the report to {found.label} is frozen and can be downloaded unchanged.", "success")
    return redirect(url_for("reports.report", report_id=found.id), 303)


def _attachment(found: CommitteeReport, stem: str, fmt: str, content: bytes) -> Response:
    return Response(content, content_type=FORMATS[fmt][0], headers=attachment_headers(download_name(found, stem, fmt)))


@bp.route("/reports/<int:report_id>/<part>.<fmt>")
def download(report_id: int, part: str, fmt: str):
    found = _get(report_id)
    if part not in builders.PARTS or fmt not in FORMATS:
        abort(404)
    owners = part == "appendix-b" and request.args.get("owners") == "1"
    return published_conditional(found, lambda: as_job(found, part, fmt, owners)
                                 or part_file(found, part, fmt, owners=owners), per_user=False)


def as_job(found: CommitteeReport, part: str, fmt: str, owners: bool) -> Response | None:
    """Appendix B as PDF of a review larger than REPORT_JOB_THRESHOLD actions is laid out by a background
    job (about 0.3 s a page): the answer is its progress page. None: render it in this request."""
    from flask import current_app

    if (part, fmt) != ("appendix-b", "pdf") or (found.published and _is_cached(found, (part, owners, fmt))):
        return None
    if plan_queries.review_sizes(found.review)["actions"] <= current_app.config["REPORT_JOB_THRESHOLD"]:
        return None
    job = start(job_kind(part, fmt), "tracker.reports.jobs:render_part", report_id=found.id, part=part, fmt=fmt,
                owners=owners)
    return redirect(url_for("jobs.job", job_id=job.id), 303)


def _is_cached(found: CommitteeReport, key: tuple) -> bool:
    with _LOCK:
        return (found.id, found.published_at.isoformat(), *key) in _RENDERED


def part_file(found: CommitteeReport, part: str, fmt: str, *, owners: bool = False) -> Response:
    """One part of a report as a file to download (rendered once while it is published)."""
    content = cached_render(found, (part, owners, fmt), lambda: render(part_data(found, part, owners=owners), fmt))
    return _attachment(found, part + ("-owners" if owners else ""), fmt, content)


@bp.route("/reports/<int:report_id>/requests")
def update_requests(report_id: int):
    """Who to ask for updates before this meeting, with each message ready to send."""
    from flask import current_app

    from .requests import update_requests as build
    found = queries.get_report(report_id) or abort(404)
    result = build(found, stale_days=current_app.config["STALE_AFTER_DAYS"], sender=current_user.name)
    return render_template("reports/requests.html", report=found, review=found.review, result=result)


@bp.route("/reports/<int:report_id>/workbook.xlsx")
def workbook(report_id: int):
    """Every part in one Excel workbook: the summary's tables, then a sheet per appendix."""
    found = _get(report_id)

    def render():
        content = cached_render(found, ("all-parts", False, "xlsx"),
                                lambda: render_workbook([part_data(found, None)[p] for p in builders.PARTS]))
        return _attachment(found, "all-parts", "xlsx", content)

    return published_conditional(found, render, per_user=False)


# The committee pack's pages add their routes to this blueprint (imported last: they use the helpers above).
from . import covering, drafts, pack_views, word_template  # noqa: E402, F401
