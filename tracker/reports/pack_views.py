"""Downloading the committee pack: one PDF or one Word document of the covering report and its
appendices (in the council's own Word template when it has uploaded one). For a review larger than
REPORT_JOB_THRESHOLD actions the pack is made by a background job (tracker/jobs): the answer is the
job's progress page, which offers the file when it is ready."""
from __future__ import annotations

from flask import current_app, redirect, request, url_for

from ..jobs import start
from ..plan import queries as plan_queries
from .covering_operations import settings_for
from .jobs import pack_file
from .views import _attachment, _get, _is_cached, bp, cached_render


def _pack_file(report_id: int, fmt: str):
    found = _get(report_id)
    owners = request.args.get("owners") == "1"
    settings = settings_for(found.review.authority_id) if fmt == "docx" else None
    template = settings.word_template if settings is not None else None
    stamp = settings.word_template_uploaded_at.isoformat() if template and settings.word_template_uploaded_at else ""
    key = ("pack", owners, fmt, stamp)
    if not (found.published and _is_cached(found, key)) and \
            plan_queries.review_sizes(found.review)["actions"] > current_app.config["REPORT_JOB_THRESHOLD"]:
        job = start(f"Committee pack as {'PDF' if fmt == 'pdf' else 'Word'}", "tracker.reports.jobs:pack_file",
                    report_id=found.id, fmt=fmt, owners=owners)
        return redirect(url_for("jobs.job", job_id=job.id), 303)
    content = cached_render(found, key, lambda: pack_file(found.id, fmt, owners).content)
    return _attachment(found, "pack" + ("-owners" if owners else ""), fmt, content)


# A route per format (not <fmt>): the pack for the agenda is a PDF or a Word file.
@bp.route("/reports/<int:report_id>/pack.pdf")
def pack_pdf(report_id: int):
    return _pack_file(report_id, "pdf")


@bp.route("/reports/<int:report_id>/pack.docx")
def pack_docx(report_id: int):
    return _pack_file(report_id, "docx")
