"""Signed reply links: an owner answers their update request without a password.

The link carries the request and owner ids, signed with the app's SECRET_KEY (itsdangerous). It is
good only for that owner's request and only until the end of the meeting day, checked against the
request as stored, so a tampered, expired or other owner's link is refused (403) and changes nothing.
"""
from __future__ import annotations

import datetime as dt

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..extensions import db
from ..models import UpdateRequest

SALT = "owner-update-reply"


class BadLink(Exception):
    """The link is not one this service made, or no longer works."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(request: UpdateRequest) -> str:
    return _serializer().dumps({"request": request.id, "owner": request.owner_id})


def reply_url(request: UpdateRequest, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/reply/{token_for(request)}"


def request_for(token: str, today: dt.date | None = None) -> UpdateRequest:
    """The request a link answers; BadLink when it was altered, names another owner, or has expired."""
    try:
        # The signature's own age limit is a backstop; the request's meeting date is the real one.
        payload = _serializer().loads(token, max_age=400 * 24 * 3600)
    except BadSignature:
        raise BadLink("This link is not valid") from None
    if not isinstance(payload, dict):
        raise BadLink("This link is not valid")
    request_id, owner_id = payload.get("request"), payload.get("owner")
    if not isinstance(request_id, int) or not isinstance(owner_id, int):
        raise BadLink("This link is not valid")
    found = db.session.get(UpdateRequest, request_id)
    if found is None or found.owner_id != owner_id:
        raise BadLink("This link is not valid")
    if (today or dt.date.today()) > found.expires_on:
        raise BadLink("This link has expired: the meeting it was for has taken place")
    return found
