"""The Content-Disposition header of a download, safe whatever its name is made from.

File names are built from review and standard codes, site names and dates. A quote, line break or
non-ASCII letter in one must neither break the header (Werkzeug refuses newlines with a 500) nor add
parameters to it, so the plain ``filename`` keeps only letters, digits, ".", "-" and "_", and the
full name, when it differs, goes percent-encoded in ``filename*`` (RFC 6266 / RFC 5987).
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_NAME = 150


def content_disposition(filename: str) -> str:
    # Control characters (CR, LF, NUL, ...) have no place in any file name.
    readable = "".join(ch for ch in filename if unicodedata.category(ch)[0] != "C")[:MAX_NAME]
    readable = re.sub(r"[/\\]", "_", readable)  # a name, never a path
    plain = re.sub(r"[^A-Za-z0-9._-]+", "_", readable).lstrip(".-_") or "download"
    header = f'attachment; filename="{plain}"'
    if readable and readable != plain:
        header += f"; filename*=UTF-8''{quote(readable, safe='')}"
    return header


def attachment_headers(filename: str) -> dict[str, str]:
    return {"Content-Disposition": content_disposition(filename)}
