"""Every WeasyPrint call goes through here, so a PDF never makes the server fetch anything.

WeasyPrint fetches each URL it meets in HTML or CSS (images, @import, url(), fonts). Report text
comes from users (committee names, titles, measure text), and a published PDF can be rendered by
anyone through the public page, so a URL smuggled into a report would make the server call any
address it can reach (SSRF). The fetcher below serves only files from the app's own static folder
and data: URLs, and refuses everything else. (Values written into CSS are escaped by
``tracker.css_escape.css_string`` so they cannot add rules in the first place.)
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_DIR = (Path(__file__).resolve().parent.parent / "static").resolve()


class FetchRefused(ValueError):
    """A URL outside the static folder (WeasyPrint logs it and leaves the resource out)."""


class StaticOnlyFetcher(URLFetcher):
    """file: URLs inside STATIC_DIR and data: URLs; never the network, never another file."""

    def __init__(self, static_dir: Path = STATIC_DIR):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.static_dir = Path(static_dir).resolve()

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)  # decoded in memory by urllib's DataHandler
        if scheme != "file":
            raise FetchRefused(f"refused to fetch {url[:200]!r}: only the app's static files are served")
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"refused to fetch {url[:200]!r}: not a local file")
        # realpath resolves "..", symlinks and percent-encoded tricks before the containment check.
        path = Path(os.path.realpath(unquote(parts.path)))
        if not path.is_relative_to(self.static_dir) or not path.is_file():
            raise FetchRefused(f"refused to fetch {url[:200]!r}: outside the static folder")
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), headers=_content_type(path))


def _content_type(path: Path) -> dict:
    types = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
             ".jpeg": "image/jpeg", ".gif": "image/gif", ".woff": "font/woff", ".woff2": "font/woff2",
             ".ttf": "font/ttf", ".otf": "font/otf"}
    kind = types.get(path.suffix.lower())
    return {"Content-Type": kind} if kind else {}


FETCHER = StaticOnlyFetcher()


def stylesheet(*, filename: str | os.PathLike | None = None, string: str | None = None) -> CSS:
    """A WeasyPrint stylesheet that can only reach static files (its @import and url() included)."""
    if filename is not None:
        return CSS(filename=str(filename), url_fetcher=FETCHER)
    return CSS(string=string, base_url=str(STATIC_DIR) + os.sep, url_fetcher=FETCHER)


def html_to_pdf(html: str, *, stylesheets: list[CSS] = (), base_url: str | os.PathLike = STATIC_DIR) -> bytes:
    """The one way this app makes a PDF."""
    document = HTML(string=html, base_url=str(base_url) + os.sep, url_fetcher=FETCHER)
    return document.write_pdf(stylesheets=list(stylesheets))

