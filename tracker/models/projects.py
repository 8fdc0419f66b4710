"""Projects that measures wait on (the CCC project, the Civic Centre space review ...)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class Project(db.Model):
    __table_args__ = (UniqueConstraint("authority_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    expected_on: Mapped[dt.date | None] = mapped_column(Date)
    # Phrases that name the project in progress text ("Outcome of CCC Project").
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Every UPDATE says "WHERE version = :seen" and bumps it: a lost race raises StaleDataError.
    __mapper_args__ = {"version_id_col": version}

    measures: Mapped[list[Measure]] = relationship(back_populates="depends_on")  # noqa: F821
