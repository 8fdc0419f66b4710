"""The Content-Security-Policy nonce: one per response, made on first use."""
from __future__ import annotations

import secrets

from flask import g


def csp_nonce() -> str:
    """Error pages raised before any view get one too; a stored page served again gets a new one
    (tracker/page_store.py)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce
