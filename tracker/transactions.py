"""Where transactions end: one commit per request, one per command, and the few named exceptions.

Operations (tracker/*/operations.py, the import writer) change the session and ``flush``; they never
commit, so a page, an import and the seed can each combine several of them and still write all or
nothing. The transaction then ends in exactly one of these places:

- ``commit_per_request`` wraps every view: the request commits when the view returns a response
  below 400 and rolls back when it raises or answers 4xx/5xx, so a refused change is never half
  saved. The commit runs inside the view call (not in ``after_request``), so a save that loses a
  race at commit time raises StaleDataError where tracker/web.py's retry and 409 page handle it.
- ``one_transaction`` / ``commits_at_end``: a CLI command (or script) commits once at its end, and
  rolls back when it fails or exits with an error.
- ``commit_now``: a write that must be kept even when the request then fails (the sign-in
  throttle's counters, the audit of a failed sign-in, a session ended as idle). Named so each use
  is visible and says why.
- ``discard_changes``: a view that refuses a change part way drops what was already set before it
  draws its answer, so the page shows what is stored, and a refusal answered with a redirect
  (which would otherwise commit) writes nothing.

Work that must not happen unless the transaction is kept (sending mail: a message whose reply link
points at a request that was rolled back leads its owner to a 403) is handed to ``after_commit``.
It runs once the commit has succeeded, in any of the three places above, and is dropped when the
session rolls back instead. Whatever it writes (a message's delivery) is committed after it.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from contextlib import contextmanager

from flask import Flask, current_app
from flask_sqlalchemy.session import Session
from sqlalchemy import event

from .extensions import db

log = logging.getLogger(__name__)
AFTER_COMMIT = "tracker.after_commit"

# Endpoints whose views never write and are added after the views are wrapped (tracker/__init__.py).
UNWRAPPED_ENDPOINTS = frozenset({"static", "govuk_assets"})


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the session's current transaction has committed; never if it rolls back."""
    db.session.info.setdefault(AFTER_COMMIT, []).append(callback)


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_commit_work(session, previous_transaction) -> None:
    # A rolled-back savepoint leaves the outer transaction (and its work to come) in place.
    if not previous_transaction.nested:
        session.info.pop(AFTER_COMMIT, None)


def commit() -> None:
    """Commit the session, then run the work that waited for it (and commit what that work wrote)."""
    db.session.commit()
    rounds = 0
    while db.session.info.get(AFTER_COMMIT) and rounds < 5:  # work may queue more work; never forever
        rounds += 1
        for callback in db.session.info.pop(AFTER_COMMIT):
            try:
                callback()
            except Exception:  # noqa: BLE001 (logged; one failure must not stop the rest)
                # The transaction is kept whatever happens here: the person's change was saved.
                log.exception("work after commit failed")
        try:
            db.session.commit()
        except Exception:  # noqa: BLE001 (logged: the messages went, only their record is lost)
            log.exception("could not record the work done after commit")
            rollback_quietly()


def rollback_quietly() -> None:
    # A lost connection may fail the rollback too; the original error is the one to report.
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 (rolling back after a failure must not raise a second one)
        pass


def commit_per_request(view):
    """Wrap a view so that its request commits once on success and rolls back otherwise."""
    if getattr(view, "commits_per_request", False):
        return view

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except BaseException:
            rollback_quietly()
            raise
        if response.status_code < 400:
            commit()
        else:
            rollback_quietly()
        return response

    wrapper.commits_per_request = True
    return wrapper


def register_transactions(app: Flask) -> None:
    """Wrap every view registered so far. Call after the blueprints are registered and before the
    lost-race retry wraps them (tracker/web.py), so that a retry re-runs the commit too."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint not in UNWRAPPED_ENDPOINTS:
            app.view_functions[endpoint] = commit_per_request(view)
    # Anything left open outside a view (a hook or error handler that wrote) is never committed:
    # Flask-SQLAlchemy closes the session, rolling it back, when the app context ends.


def commit_now() -> None:
    """Commit what the session holds *now*, inside a request, so it is kept even if the request fails.

    For writes whose point is to persist whatever happens next: the sign-in throttle's counters,
    the audit row of a refused sign-in, a server-side session ended as idle or too old. Call it
    before the request changes anything else: it commits the whole session.
    """
    commit()


def discard_changes() -> None:
    """Drop everything the request has set but not committed (a change refused part way)."""
    db.session.rollback()


@contextmanager
def one_transaction():
    """A command's (or script's) work: committed once at the end, rolled back on any error or exit."""
    try:
        yield
    except BaseException:
        rollback_quietly()
        raise
    commit()


def commits_at_end(command):
    """Decorator for a CLI command: the command's changes are committed once, when it returns."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        with one_transaction():
            return command(*args, **kwargs)
    return wrapper
