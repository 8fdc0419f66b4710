"""Running one job: in a thread of the app process or in an RQ worker, always inside an app context.

Every change to the job row (running, progress, done, failed) is its own short transaction on its
own connection, so the job's page sees it at once whatever the job's work has open.
"""
from __future__ import annotations

import contextvars
import importlib
import logging
import os
import re
import shutil
from pathlib import Path
from typing import NamedTuple

from flask import Flask, current_app, has_app_context
from sqlalchemy import update

from ..extensions import db
from ..models import Job, utcnow
from ..refused import Refused
from ..transactions import one_transaction

log = logging.getLogger(__name__)

# The job the current thread (or RQ work horse) is running: report_progress() writes to its row.
_current_job: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_job", default=None)

FAILED = ("Sorry, the file could not be made because of a problem in the service. Try again; if it fails again, "
          "tell the system administrator.")


class JobFile(NamedTuple):
    """What a job function returns: the file's bytes, the name it is downloaded as, its type."""
    content: bytes
    filename: str
    mimetype: str


def report_progress(done: int, total: int | None, message: str = "") -> None:
    """Tell the job's page how far the work has got. Does nothing outside a job, so the same code
    can run in a request too."""
    job_id = _current_job.get()
    if job_id is not None:
        set_job(job_id, progress_done=done, progress_total=total, progress_message=message[:300] or None)


def set_job(job_id: str, **values) -> None:
    with db.engine.begin() as conn:
        conn.execute(update(Job.__table__).where(Job.__table__.c.id == job_id).values(**values))


def jobs_dir(app: Flask) -> Path:
    return Path(app.config.get("JOBS_DIR") or Path(app.instance_path) / "jobs")


def _stored_name(filename: str) -> str:
    # The name on disk is ours: letters, digits, dot, dash, underscore (the download keeps the real one).
    return re.sub(r"[^A-Za-z0-9._-]+", "_", filename).lstrip("._-")[:100] or "result"


def _load(target: str):
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def run_job(job_id: str, target: str, kwargs: dict) -> None:
    """Run ``target`` (``"module:function"``) for the job ``job_id``: the entry point of the thread
    and of the RQ worker alike. Never raises: a failure is recorded on the job for its page."""
    app = current_app._get_current_object() if has_app_context() else _standalone_app()
    with app.app_context():
        token = _current_job.set(job_id)
        try:
            _run(app, job_id, target, kwargs)
        finally:
            _current_job.reset(token)
            db.session.remove()


def _run(app: Flask, job_id: str, target: str, kwargs: dict) -> None:
    set_job(job_id, status="running", started_at=utcnow())
    folder = jobs_dir(app) / job_id
    try:
        with one_transaction():  # what the job writes, if anything, is kept only when it succeeds
            result = JobFile(*_load(target)(**kwargs))
        folder.mkdir(parents=True, exist_ok=True)
        name = _stored_name(result.filename)
        (folder / name).write_bytes(result.content)
    except Refused as exc:
        _failed(job_id, folder, str(exc))
        return
    except Exception:  # any failure must reach the person's page, not leave the job "running"
        log.exception("job %s (%s) failed", job_id, target)
        _failed(job_id, folder, FAILED)
        return
    set_job(job_id, status="done", finished_at=utcnow(), result_path=f"{job_id}/{name}",
            result_filename=result.filename[:300], result_mimetype=result.mimetype[:200])


def _failed(job_id: str, folder: Path, message: str) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    set_job(job_id, status="failed", finished_at=utcnow(), error=message)


_APP: Flask | None = None


def _standalone_app() -> Flask:
    """An RQ worker started without `flask jobs worker` (a plain `rq worker`) has no app: make one."""
    global _APP
    if _APP is None:
        from .. import create_app
        _APP = create_app(os.environ.get("TRACKER_CONFIG"))
    return _APP
