"""Background jobs: long work (a large appendix as PDF, a committee pack) run off the request path.

A job row is written by the job machinery only (tracker/jobs), each change in its own short
transaction, so a page polling it sees progress while the work runs in another thread or process.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .plan import utcnow

JOB_STATES = ("queued", "running", "done", "failed")


class Job(db.Model):
    # A random url-safe token, not a sequence: the address of a job does not reveal or invite guessing
    # of anyone else's.
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))  # what the person asked for, e.g. "Appendix B as PDF"
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)  # None: from a command
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default="queued")  # one of JOB_STATES
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int | None] = mapped_column(Integer)
    progress_message: Mapped[str | None] = mapped_column(String(300))
    # The result: a file under JOBS_DIR (path relative to it) with the name and type it is served as,
    # or, for a failed job, a message for the person.
    result_path: Mapped[str | None] = mapped_column(String(300))
    result_filename: Mapped[str | None] = mapped_column(String(300))
    result_mimetype: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")
