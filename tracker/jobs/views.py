"""A job's page: progress while it runs, then the download (or what went wrong).

Without JavaScript the page refreshes itself every two seconds while the job runs; with htmx only
the status part is asked for again. Only the person who started a job, or an admin, may see it.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, send_file
from flask_login import current_user

from ..downloads import attachment_headers
from ..extensions import db
from ..htmx import htmx
from ..models import Job
from .queue import LOST, lost
from .runner import jobs_dir

bp = Blueprint("jobs", __name__)
POLL_SECONDS = 2


def _own_job(job_id: str) -> Job:
    job = db.session.get(Job, job_id[:40]) or abort(404)
    if job.created_by != current_user.id and current_user.role != "admin":
        abort(403)
    return job


@bp.route("/jobs/<job_id>")
def job(job_id: str):
    found = _own_job(job_id)
    state = "lost" if lost(found) else found.status
    template = "jobs/_job.html" if htmx and htmx.target == "job-status" else "jobs/job.html"
    return render_template(template, job=found, state=state, lost_message=LOST, poll_seconds=POLL_SECONDS)


@bp.route("/jobs/<job_id>/download")
def download(job_id: str):
    found = _own_job(job_id)
    if found.status != "done" or not found.result_path:
        abort(404)
    root = jobs_dir(current_app).resolve()
    path = (root / found.result_path).resolve()
    if root not in path.parents or not path.is_file():
        abort(404)  # the file has been cleared away (JOB_KEEP_HOURS) or the path is not ours
    response = send_file(path, mimetype=found.result_mimetype, max_age=0)
    response.headers.update(attachment_headers(found.result_filename or path.name))
    return response
