"""Officers who own actions."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class Owner(db.Model):
    """An officer and/or business unit; may or may not have a login."""
    __table_args__ = (UniqueConstraint("authority_id", "name", "business_unit"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    name: Mapped[str] = mapped_column(String(200))
    business_unit: Mapped[str] = mapped_column(String(200), default="")

    @property
    def label(self) -> str:
        return f"{self.name} ({self.business_unit})" if self.business_unit else self.name
