"""HTTP validators for read-mostly pages: an ``ETag`` worked out before the page is drawn, and 304 Not
Modified when the browser already holds that version.

Signed-in pages say ``Cache-Control: private, no-cache``: a browser keeps them but asks every time, and
shared caches never store them. Their tag covers who is asking (user, role, name and the session's
CSRF secret, which the page carries in its forms), the address (query string and htmx target too) and
the code that draws pages, besides what the page shows. A page with a message to show once (a flash)
gets no tag, so a revalidated copy never shows an old message. A 304 carries no
Content-Security-Policy (tracker/web.py): the browser keeps the stored page's, whose nonce its
scripts carry. Only the anonymous public page may be stored by shared caches, for five minutes.

A page drawn once is also kept by the server under its tag (tracker/page_store.py), so another
request for the same version from the same session is answered without drawing it again.
``stored_page`` keeps any page that way under the data version (tracker/data_version.py), the review
and the day, for pages whose own fingerprint would cost as much as the page; those carry no tag.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from flask import current_app, g, make_response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from . import data_version, page_store
from .csp import csp_nonce

PRIVATE = "private, no-cache"
PUBLIC = "public, max-age=300"
_ROOT = Path(__file__).resolve().parent.parent
_build: str | None = None


def build_token() -> str:
    """Changes when the code or templates that draw pages change (a deployment): the same in every
    worker of one deployment, so any of them can answer 304."""
    global _build
    if _build is None:
        stamps = []
        for folder in (_ROOT / "tracker", _ROOT / "templates"):
            for dirpath, _dirs, files in os.walk(folder):
                stamps += [f"{f}:{os.stat(os.path.join(dirpath, f)).st_mtime_ns}" for f in files
                           if f.endswith((".py", ".html"))]
        _build = hashlib.sha256("\n".join(sorted(stamps)).encode()).hexdigest()[:16]
    return _build


def _who() -> tuple:
    if not current_user.is_authenticated:
        return ("anonymous",)
    if "csrf_token" not in session:
        generate_csrf()  # the page will carry one: make the session's secret now, so the first tag already holds it
    return (current_user.id, current_user.role, current_user.name, session.get("csrf_token"))


def page_etag(*what, per_user: bool = True) -> str:
    raw = repr((build_token(), _who() if per_user else None, request.full_path,
                request.headers.get("HX-Request"), request.headers.get("HX-Target"), what))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def conditional(render: Callable, *what, last_modified=None, per_user: bool = True, shared: bool = False,
                browser: bool = True):
    """The response of ``render()`` with an ETag made of ``what`` (the page's cheap fingerprint), or a
    304 when the request's If-None-Match holds that tag. ``shared``: an anonymous page any cache may
    keep for five minutes; ``per_user=False``: a file that is the same for everyone who may read it;
    ``browser=False``: only the server keeps the page, the browser is told not to store it at all."""
    if "_flashes" in session:
        return render()
    etag = page_etag(*what, per_user=per_user)
    if browser and request.if_none_match.contains_weak(etag):
        response = current_app.response_class(status=304)
    elif (response := page_store.serve(etag, csp_nonce())) is None:
        response = make_response(render())
        if response.status_code != 200:
            return response
        page_store.keep(etag, response)
    if not browser:
        return response  # tracker/web.py marks it no-store, as every page without validators
    g.validated = True  # tracker/web.py leaves this Cache-Control alone
    response.set_etag(etag)
    response.headers["Cache-Control"] = PUBLIC if shared and not current_user.is_authenticated else PRIVATE
    response.vary.add("Cookie")
    if last_modified is not None:
        response.last_modified = last_modified
    return response


def today() -> str:
    """The day pages are drawn for: overdue and "since" wording move with it."""
    return dt.date.today().isoformat()


def stored_page(view):
    """A GET page kept by the server under the data version, the review it shows and the day: drawn
    again only after a write or on a new day. Browsers are still told not to store it (no-store):
    these pages name owners and their work, and a shared computer must not keep them."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.method != "GET":
            return view(*args, **kwargs)
        version = data_version.current()
        if version is None:
            return view(*args, **kwargs)
        review = g.get("review")
        return conditional(lambda: view(*args, **kwargs), "data", version, review.id if review is not None else None,
                           today(), browser=False)
    return wrapper
