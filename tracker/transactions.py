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
"""
from __future__ import annotations

import functools
from contextlib import contextmanager

from flask import Flask, current_app

from .extensions import db

# Endpoints whose views never write and are added after the views are wrapped (tracker/__init__.py).
UNWRAPPED_ENDPOINTS = frozenset({"static", "govuk_assets"})


def rollback_quietly() -> None:
    # A lost connection may fail the rollback too; the original error is the one to report.
    try:
        db.session.rollback()
    except Exception:
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
            db.session.commit()
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
    db.session.commit()


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
    db.session.commit()


def commits_at_end(command):
    """Decorator for a CLI command: the command's changes are committed once, when it returns."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        with one_transaction():
            return command(*args, **kwargs)
    return wrapper
