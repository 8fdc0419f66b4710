"""Officers who own actions."""
from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class Owner(db.Model):
    """An officer and/or business unit; may or may not have a login."""
    __table_args__ = (UniqueConstraint("authority_id", "name", "business_unit"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    name: Mapped[str] = mapped_column(String(200))
    business_unit: Mapped[str] = mapped_column(String(200), default="")
    # Where update requests go when no account linked to this owner has an address (most owners
    # have no login). None: not known, so their messages are written to the outbox to forward.
    email: Mapped[str | None] = mapped_column(String(320))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    # Two managers editing one owner at once: the second is refused, not silently applied.
    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return f"{self.name} ({self.business_unit})" if self.business_unit else self.name
