"""`flask --app wsgi jobs worker`: runs the jobs queued on Redis (REDIS_URL) by every app process."""
from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db

jobs_group = AppGroup("jobs", help="Background jobs (committee packs, large appendices).")


@jobs_group.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty instead of waiting for more jobs.")
def worker_command(burst: bool):
    """Run jobs from the queue on REDIS_URL, each in a fresh child process, until stopped."""
    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: without it, jobs run in a thread of the app process "
                                   "and need no worker")
    from rq import Worker

    from .queue import rq_queue

    queue = rq_queue(current_app)
    engine = db.engine
    # RQ runs each job in a forked child: the child must open its own database connections rather
    # than share the parent's sockets (SQLAlchemy's advice for os.fork).
    os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
    click.echo(f"Working on queue {queue.name!r} at {current_app.config['REDIS_URL']}", err=True)
    Worker([queue], connection=queue.connection).work(burst=burst, with_scheduler=False)
