"""Writing the append-only change record. Operations call this; views never do."""
from __future__ import annotations

from flask_login import current_user

from .extensions import db
from .models import Change


def actor(by=None):
    """The user a change is attributed to: the one given, else whoever is signed in, else nobody (CLI)."""
    if by is not None:
        return by
    try:
        if current_user and current_user.is_authenticated:
            return current_user._get_current_object()
    except RuntimeError:  # outside a request
        pass
    return None


def _text(value) -> str | None:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def record(*, entity_type: str, entity_id: int | None, field: str, before=None, after=None,
           by=None, note: str | None = None, review_id: int | None = None,
           label: str | None = None) -> Change:
    user = actor(by)
    change = Change(entity_type=entity_type, entity_id=entity_id, field=field,
                    before=_text(before), after=_text(after), note=note or None,
                    review_id=review_id, entity_label=label,
                    user_id=getattr(user, "id", None), user_name=getattr(user, "name", None))
    db.session.add(change)
    return change
