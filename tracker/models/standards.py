"""Standards (Customer Service Excellence ...): criteria -> sub-criteria -> elements."""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..extensions import db


class Standard(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(Text)

    criteria: Mapped[list[Criterion]] = relationship(back_populates="standard", order_by="Criterion.position")


class Criterion(db.Model):
    __table_args__ = (UniqueConstraint("standard_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standard.id"))
    number: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)

    standard: Mapped[Standard] = relationship(back_populates="criteria")
    subcriteria: Mapped[list[SubCriterion]] = relationship(
        back_populates="criterion", order_by="SubCriterion.position")


class SubCriterion(db.Model):
    __table_args__ = (UniqueConstraint("criterion_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id"))
    number: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)

    criterion: Mapped[Criterion] = relationship(back_populates="subcriteria")
    elements: Mapped[list[Element]] = relationship(back_populates="subcriterion", order_by="Element.position")


action_element = Table(
    "action_element", db.metadata,
    Column("action_id", ForeignKey("action.id"), primary_key=True),
    Column("element_id", ForeignKey("element.id"), primary_key=True),
    # Why the action is evidence for the element, in a sentence (seeds/mappings give one per action).
    Column("why", Text, nullable=True),
)


class Element(db.Model):
    __table_args__ = (UniqueConstraint("subcriterion_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    subcriterion_id: Mapped[int] = mapped_column(ForeignKey("sub_criterion.id"))
    code: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    guidance: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)

    subcriterion: Mapped[SubCriterion] = relationship(back_populates="elements")
    # The actions that provide evidence for this element (and, from the action, its elements).
    actions = relationship("Action", secondary=action_element, order_by="Action.position",
                           backref=backref("elements", order_by="Element.code"))
