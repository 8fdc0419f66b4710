"""Reading reviews for the public pages and the public-page switch."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Review


def review_by_code(code: str) -> Review | None:
    return db.session.scalar(select(Review).where(Review.code == code).options(joinedload(Review.authority)))


def public_reviews() -> list[Review]:
    return db.session.scalars(select(Review).where(Review.public_page.is_(True)).order_by(Review.code)).all()
