"""The plan: authority, review, themes, recommendations, actions and their measures."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Authority(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)

    reviews: Mapped[list[Review]] = relationship(back_populates="authority", order_by="Review.code")


class Review(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    # A regular expression for this review's ref ids; "{theme}" stands for a theme code.
    ref_pattern: Mapped[str] = mapped_column(String(200))
    # Off by default: when on, the latest published report is shown to anyone at /public/<code>
    # (CSE 4.1.2, "we tell our customers about our performance").
    public_page: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # The review everyone lands on until they choose another: set by the seed or by a manager, never
    # by the order of codes, so importing a review coded "A1" changes nobody's page.
    is_main: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # Title and description are edited in the pages (tracker/plan/structure.py): a form built on
    # an old read is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    authority: Mapped[Authority] = relationship(back_populates="reviews")
    themes: Mapped[list[Theme]] = relationship(back_populates="review", order_by="Theme.position")
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="review", order_by="Recommendation.number")
    actions: Mapped[list[Action]] = relationship(back_populates="review", order_by="Action.position")


class Theme(db.Model):
    """A central issue (Environment, Ownership ...); sub-themes are SubTheme rows."""
    __table_args__ = (UniqueConstraint("review_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    review: Mapped[Review] = relationship(back_populates="themes")
    subthemes: Mapped[list[SubTheme]] = relationship(back_populates="theme", order_by="SubTheme.position")


class SubTheme(db.Model):
    __table_args__ = (UniqueConstraint("theme_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)

    theme: Mapped[Theme] = relationship(back_populates="subthemes")

    @property
    def label(self) -> str:
        return f"{self.code}) {self.name}"


action_recommendation = Table(
    "action_recommendation", db.metadata,
    Column("action_id", ForeignKey("action.id"), primary_key=True),
    Column("recommendation_id", ForeignKey("recommendation.id"), primary_key=True),
    # The primary key leads with the action: a recommendation's actions need their own index.
    Index("ix_action_recommendation_recommendation_id", "recommendation_id"),
)


class Recommendation(db.Model):
    __table_args__ = (UniqueConstraint("review_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    # The committee's commentary, verbatim.
    status_text: Mapped[str | None] = mapped_column(Text)
    # The response (accepted / partly accepted / rejected) is kept apart from progress.
    response: Mapped[str | None] = mapped_column(String(40))
    response_on: Mapped[dt.date | None] = mapped_column(Date)
    # Normally the status is rolled up from the linked actions' measures; a manager may set it by
    # hand, and must say why (the reason is shown beside it, with what the roll-up would say).
    status_override: Mapped[str | None] = mapped_column(String(20))
    status_override_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    # Every UPDATE says "WHERE version = :seen" and bumps it: a lost race raises StaleDataError.
    __mapper_args__ = {"version_id_col": version}

    review: Mapped[Review] = relationship(back_populates="recommendations")
    variations: Mapped[list[Variation]] = relationship(
        back_populates="recommendation", order_by="Variation.position")
    actions: Mapped[list[Action]] = relationship(
        secondary=action_recommendation, back_populates="recommendations", order_by="Action.position")


class Variation(db.Model):
    """A variation of a recommendation for one service (rec. 15 i-ix)."""
    __table_args__ = (UniqueConstraint("recommendation_id", "label"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendation.id"))
    label: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    status_text: Mapped[str | None] = mapped_column(Text)

    recommendation: Mapped[Recommendation] = relationship(back_populates="variations")


# The number of an action's own, unnumbered progress (see Action.own_progress).
OWN_PROGRESS = 0


class Action(db.Model):
    # (review_id, updated_at): the dashboard's and the master list's stale actions, oldest first.
    __table_args__ = (UniqueConstraint("review_id", "ref"), Index("ix_action_review_updated", "review_id", "updated_at"),
                      # The dashboard's overdue actions, soonest first, without reading other reviews'.
                      Index("ix_action_review_target", "review_id", "target_date"))
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"), index=True)
    # Ref ids are stable for ever: never renumbered by edits or imports.
    ref: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text)
    # An introductory paragraph a manager may write when adding an action in the pages.
    detail: Mapped[str | None] = mapped_column(Text)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id"), index=True)
    subtheme_id: Mapped[int | None] = mapped_column(ForeignKey("sub_theme.id"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owner.id"), index=True)
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    # Committees ask for the original date beside a revised one.
    original_target_date: Mapped[dt.date | None] = mapped_column(Date)
    target_date_reason: Mapped[str | None] = mapped_column(Text)
    target_date_slips: Mapped[int] = mapped_column(Integer, default=0)
    comment: Mapped[str | None] = mapped_column(Text)
    # Retired, never deleted: ``archived`` keeps it out of the working lists and roll-ups (every
    # query already filters on it); the date and reason are printed once in the next Appendix B.
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    retired_on: Mapped[dt.date | None] = mapped_column(Date)
    retired_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)

    __mapper_args__ = {"version_id_col": version}

    review: Mapped[Review] = relationship(back_populates="actions")
    theme: Mapped[Theme] = relationship()
    subtheme: Mapped[SubTheme | None] = relationship()
    owner: Mapped[Owner | None] = relationship()  # noqa: F821
    # Plan order: position (set when a manager reorders), then number; numbers never change.
    measures: Mapped[list[Measure]] = relationship(back_populates="action",
                                                     order_by="[Measure.position, Measure.number]")
    recommendations: Mapped[list[Recommendation]] = relationship(
        secondary=action_recommendation, back_populates="actions", order_by="Recommendation.number")

    # Two shapes of action. Carlisle's: numbered measures (1, 2, 3...), each with its measured
    # output and status. Most councils': no measures, one progress text on the action itself. The
    # second is stored as the action's one UNNUMBERED measure (number OWN_PROGRESS, empty text), so
    # every rule for progress (status words, status to check, waits on, history, optimistic
    # locking, conflicts, roll-ups, reports) is the same code for both shapes. An action holds
    # either that measure or numbered ones, never both (tracker/plan/structure_ops.py keeps it so).

    @property
    def own_progress(self) -> Measure | None:
        """The progress held on the action itself (its unnumbered measure), or None."""
        return next((m for m in self.measures if m.number == OWN_PROGRESS), None)

    @property
    def numbered_measures(self) -> list[Measure]:
        """The numbered measures (Carlisle's shape), retired ones included."""
        return [m for m in self.measures if m.number != OWN_PROGRESS]

    @property
    def live_measures(self) -> list[Measure]:
        """What rolls up into the action's status: its live numbered measures, or its own progress.
        Retired measures stay in history but out of roll-ups."""
        return [m for m in self.measures if m.retired_on is None]

    @property
    def live_numbered_measures(self) -> list[Measure]:
        return [m for m in self.measures if m.retired_on is None and m.number != OWN_PROGRESS]

    @property
    def retired_measures(self) -> list[Measure]:
        return [m for m in self.measures if m.retired_on is not None]


class Measure(db.Model):
    """A numbered point of an action's detail, with its measured output at the same number."""
    __table_args__ = (UniqueConstraint("action_id", "number"),
                      # Statuses to check are few: the dashboard counts them without a scan of every measure.
                      Index("ix_measure_to_check", "action_id", postgresql_where=text("status_to_check IS true"),
                            sqlite_where=text("status_to_check IS 1")))
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    # The committee's progress text, verbatim: never rewritten by the status rule.
    measured_output: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), index=True)
    # True when a person chose the category instead of the rule deriving it from the text.
    status_overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    # True when no rule recognised the progress text: the category is the one it had before (or
    # "not_started" for a new measure) and a person should confirm or choose it.
    status_to_check: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    depends_on_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"), index=True)
    retired_on: Mapped[dt.date | None] = mapped_column(Date)
    retired_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __mapper_args__ = {"version_id_col": version}

    action: Mapped[Action] = relationship(back_populates="measures")
    depends_on: Mapped[Project | None] = relationship(back_populates="measures")  # noqa: F821
