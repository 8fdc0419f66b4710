"""Reading users for the people pages (the pages themselves do not touch the database session)."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import User


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def users_for_management() -> list[User]:
    """Active users first, then by name: the users page."""
    return db.session.scalars(select(User).order_by(User.active.desc(), User.name)).all()


def users_by_name() -> list[User]:
    return db.session.scalars(select(User).order_by(User.name)).all()
