"""Self-assessments of one service or site against a standard, and the rating of each element."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .plan import utcnow


class Assessment(db.Model):
    """E.g. "Customer Contact Centre" against CSE on 1 December 2003 (accreditation is per service)."""
    __table_args__ = (UniqueConstraint("standard_id", "site", "assessed_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standard.id"), index=True)
    site: Mapped[str] = mapped_column(String(200))
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    # The review whose actions provide the evidence (optional: a site may be assessed on its own).
    review_id: Mapped[int | None] = mapped_column(ForeignKey("review.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    standard = relationship("Standard")
    review = relationship("Review")
    ratings: Mapped[list[ElementRating]] = relationship(back_populates="assessment")

    @property
    def label(self) -> str:
        return f"{self.site}, {self.assessed_on.strftime('%-d %B %Y')}"


class ElementRating(db.Model):
    """One element's rating in one assessment; versioned like a measure's status."""
    __table_args__ = (UniqueConstraint("assessment_id", "element_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    element_id: Mapped[int] = mapped_column(ForeignKey("element.id"))
    # compliance_plus | compliance | partial | non_compliance | not_assessed (domain/readiness.py)
    rating: Mapped[str] = mapped_column(String(20), default="not_assessed")
    evidence: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Every UPDATE says "WHERE version = :seen" and bumps it: a lost race raises StaleDataError.
    __mapper_args__ = {"version_id_col": version}

    assessment: Mapped[Assessment] = relationship(back_populates="ratings")
    element = relationship("Element")
