"""Starting a job: record it, then hand it to RQ (REDIS_URL set) or to a thread of this process."""
from __future__ import annotations

import datetime as dt
import re
import secrets
import shutil
import threading

from flask import Flask, after_this_request, current_app, has_request_context
from flask_login import current_user
from sqlalchemy import insert, select

from ..extensions import db
from ..models import Job, utcnow
from ..transactions import after_commit
from .runner import jobs_dir, run_job, set_job

TARGET = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
NOT_STARTED = "The job was not started because the request that asked for it failed. Try again."
LOST = ("The job stopped without finishing, perhaps because the service was restarted. "
        "Go back and ask for the file again.")


def start(kind: str, target: str, **kwargs) -> Job:
    """Record a job and run ``target`` (``"module:function"``) with ``kwargs`` off the request path.

    The row is committed at once, on its own connection, so the job's page and the worker find it.
    Inside a request the work is handed over only once the request has committed, so the job reads
    what the request wrote; when the request fails instead, the job is marked failed, never run.
    """
    if not TARGET.match(target):
        raise ValueError(f"a job target is 'module:function', not {target!r}")
    app = current_app._get_current_object()
    _forget_old_results(app)
    job_id = secrets.token_urlsafe(16)
    created_by = current_user.id if has_request_context() and current_user.is_authenticated else None
    with db.engine.begin() as conn:
        conn.execute(insert(Job.__table__).values(id=job_id, kind=kind[:60], created_by=created_by,
                                                  created_at=utcnow(), status="queued", progress_done=0))
    if has_request_context():
        # Handed over by the one door's commit (tracker/transactions.after_commit), which drops it
        # when the request rolls back, and re-queues it when a lost race re-runs the view.
        after_commit(lambda: _dispatch(app, job_id, target, kwargs))

        @after_this_request
        def not_started(response):
            if response.status_code >= 400:
                set_job(job_id, status="failed", finished_at=utcnow(), error=NOT_STARTED)
            return response
    else:
        _dispatch(app, job_id, target, kwargs)
    return db.session.get(Job, job_id)


def _dispatch(app: Flask, job_id: str, target: str, kwargs: dict) -> None:
    if app.config.get("REDIS_URL"):
        rq_queue(app).enqueue("tracker.jobs.runner.run_job", job_id, target, kwargs, job_id=job_id,
                              job_timeout=app.config["JOB_TIMEOUT"], result_ttl=3600, failure_ttl=86400)
        return
    thread = threading.Thread(target=_in_thread, args=(app, job_id, target, kwargs), name=f"job-{job_id}",
                              daemon=True)
    thread.start()


def _in_thread(app: Flask, job_id: str, target: str, kwargs: dict) -> None:
    with app.app_context():
        run_job(job_id, target, kwargs)


def rq_queue(app: Flask):
    """The RQ queue every app process and worker on this REDIS_URL shares (one Redis connection pool
    per process)."""
    from redis import Redis
    from rq import Queue

    state = app.extensions.setdefault("jobs", {})
    key = (app.config["REDIS_URL"], app.config["JOBS_QUEUE"])
    if state.get("key") != key:
        state["key"], state["queue"] = key, Queue(app.config["JOBS_QUEUE"],
                                                  connection=Redis.from_url(app.config["REDIS_URL"]))
    return state["queue"]


def lost(job: Job, now: dt.datetime | None = None) -> bool:
    """A job not finished long after it could have: its thread or worker died with it."""
    limit = dt.timedelta(seconds=current_app.config["JOB_TIMEOUT"] + 300)
    return not job.finished and (now or utcnow()) - job.created_at > limit


def _forget_old_results(app: Flask) -> None:
    """Files of jobs finished more than JOB_KEEP_HOURS ago are deleted (the row stays, without a file)."""
    cutoff = utcnow() - dt.timedelta(hours=app.config["JOB_KEEP_HOURS"])
    old = db.session.scalars(select(Job.id).where(Job.finished_at < cutoff, Job.result_path.is_not(None))
                             .limit(100)).all()
    for job_id in old:
        shutil.rmtree(jobs_dir(app) / job_id, ignore_errors=True)
        set_job(job_id, result_path=None)
