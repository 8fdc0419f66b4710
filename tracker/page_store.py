"""Pages already drawn, kept in the worker's memory and served again while nothing they show has changed.

A page is stored under its ETag (tracker/http_cache.py), which names who asked (user, role, name, the
session's CSRF secret that its forms carry), the address, the deployment, the data version and the
day, so a stored page is only ever served to the session it was drawn for and only until the next
write (tracker/data_version.py). What a page shows by the clock alone (stale since 90 days, overdue
since today) is at most ``PAGE_STORE_SECONDS`` late. The CSP nonce is the one part that differs
per response: the stored page's nonce is swapped for the new response's.

Bounded by ``PAGE_STORE_MB`` per worker (least recently used pages go first); 0 turns it off.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import Response, current_app, g

# Headers of the drawn response that are kept; the rest (cookies, CSP, Cache-Control) belong to
# each response and are set again by tracker/web.py and tracker/http_cache.py.
KEPT_HEADERS = frozenset({"content-type", "hx-trigger", "hx-push-url", "hx-retarget", "hx-reswap", "vary",
                          "content-language"})
LARGEST_PAGE = 1024 * 1024


@dataclass(frozen=True)
class Stored:
    body: bytes
    status: int
    headers: tuple[tuple[str, str], ...]
    nonce: bytes | None
    at: float


class PageStore:
    def __init__(self, max_bytes: int, max_age: float):
        self.max_bytes = max_bytes
        self.max_age = max_age
        self._pages: OrderedDict[str, Stored] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Stored | None:
        with self._lock:
            stored = self._pages.get(key)
            if stored is None:
                return None
            if time.monotonic() - stored.at > self.max_age:
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return stored

    def put(self, key: str, stored: Stored) -> None:
        size = len(stored.body)
        if size > min(LARGEST_PAGE, self.max_bytes):
            return
        with self._lock:
            if key in self._pages:
                self._drop(key)
            self._pages[key] = stored
            self._bytes += size
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._pages)))

    def _drop(self, key: str) -> None:
        self._bytes -= len(self._pages.pop(key).body)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)


def store() -> PageStore | None:
    """This app's store, or None when PAGE_STORE_MB is 0."""
    app = current_app._get_current_object()
    wanted = int(float(app.config.get("PAGE_STORE_MB", 8)) * 1024 * 1024)
    if wanted <= 0:
        return None
    pages = app.extensions.get("page_store")
    if pages is None or pages.max_bytes != wanted:
        pages = PageStore(wanted, float(app.config.get("PAGE_STORE_SECONDS", 300)))
        app.extensions["page_store"] = pages
    return pages


def keep(key: str, response: Response) -> None:
    """Store a drawn page: a complete 200 HTML response only (no file, no stream, no cookie set)."""
    pages = store()
    if pages is None or response.status_code != 200 or response.is_streamed or response.direct_passthrough \
            or response.mimetype != "text/html" or "Set-Cookie" in response.headers:
        return
    nonce = g.get("csp_nonce")
    headers = tuple((k, v) for k, v in response.headers.items() if k.lower() in KEPT_HEADERS)
    pages.put(key, Stored(response.get_data(), 200, headers, nonce.encode() if nonce else None, time.monotonic()))


def serve(key: str, nonce: str) -> Response | None:
    """The stored page under ``key`` as a new response carrying ``nonce``, or None."""
    pages = store()
    stored = pages.get(key) if pages is not None else None
    if stored is None:
        return None
    body = stored.body if stored.nonce is None else stored.body.replace(stored.nonce, nonce.encode())
    response = current_app.response_class(body, status=stored.status)
    for name, value in stored.headers:
        response.headers[name] = value
    return response
