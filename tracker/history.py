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


def find_changes(*, review_id: int | None = None, user_id: int | None = None, start=None, end=None,
                 skip_created: bool = False, page: int = 1, size: int = 100) -> tuple[list[Change], bool]:
    """A page of changes, newest first, and whether there is another page."""
    from sqlalchemy import select

    from .domain.dates import day_bounds

    query = select(Change)
    if review_id is not None:
        query = query.where(Change.review_id == review_id)
    if user_id:
        query = query.where(Change.user_id == user_id)
    if skip_created:
        query = query.where(Change.field != "created")
    after, before = day_bounds(start, end)
    if after:
        query = query.where(Change.at >= after)
    if before:
        query = query.where(Change.at < before)
    rows = db.session.scalars(query.order_by(Change.at.desc(), Change.id.desc())
                              .offset((page - 1) * size).limit(size + 1)).all()
    return rows[:size], len(rows) > size
