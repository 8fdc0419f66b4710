"""The owners' side: update requests sent before a meeting, the replies owners send back (which
count only once a manager has accepted them), and every message sent or written to the outbox."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .plan import utcnow


class UpdateRequest(db.Model):
    """One owner asked, once, for updates before one meeting (a draft committee report)."""
    __tablename__ = "update_request"
    __table_args__ = (UniqueConstraint("report_id", "owner_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("committee_report.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owner.id"), index=True)
    reply_by: Mapped[dt.date] = mapped_column(Date)
    # The reply link works until the end of this day: the meeting's.
    expires_on: Mapped[dt.date] = mapped_column(Date)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    sent_by_name: Mapped[str | None] = mapped_column(String(200))
    first_reply_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Set when the reminder went out: `flask reminders send` sends one per request, however often it runs.
    reminded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    report = relationship("CommitteeReport")
    owner = relationship("Owner")
    sent_by = relationship("User")
    items: Mapped[list[UpdateRequestItem]] = relationship(back_populates="request", order_by="UpdateRequestItem.id")


class UpdateRequestItem(db.Model):
    """A measure the owner was asked about, as it stood when the request was sent."""
    __tablename__ = "update_request_item"
    __table_args__ = (UniqueConstraint("request_id", "measure_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("update_request.id"), index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"), index=True)
    asked_text: Mapped[str] = mapped_column(Text, default="")
    asked_status: Mapped[str] = mapped_column(String(20))
    asked_version: Mapped[int] = mapped_column(Integer)

    request: Mapped[UpdateRequest] = relationship(back_populates="items")
    measure = relationship("Measure")


REPLY_STATES = ("waiting", "accepted", "returned", "superseded")


class OwnerReply(db.Model):
    """What an owner sent back about one measure. It changes nothing until a manager accepts it."""
    __tablename__ = "owner_reply"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owner.id"), index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("update_request.id"), index=True)
    no_change: Mapped[bool] = mapped_column(default=False)
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str | None] = mapped_column(String(20))  # None: work it out from the text
    # The measure as the owner was asked about it (the request's), or as their page showed it: a
    # reply to a measure changed since is shown beside the current text before it is accepted.
    based_on_text: Mapped[str] = mapped_column(Text, default="")
    based_on_version: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # None: by the signed link
    state: Mapped[str] = mapped_column(String(20), default="waiting", index=True)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reviewed_by_name: Mapped[str | None] = mapped_column(String(200))
    review_note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    # Two managers deciding on one reply at once: the second is refused, not silently applied.
    __mapper_args__ = {"version_id_col": version}

    owner = relationship("Owner")
    measure = relationship("Measure")
    request = relationship("UpdateRequest")


class SentMessage(db.Model):
    """Every message sent by SMTP or written to the outbox: who to, when, about what, and how."""
    __tablename__ = "sent_message"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # request | reminder | returned | missing
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    sent_on: Mapped[dt.date] = mapped_column(Date, index=True)
    to_addresses: Mapped[str] = mapped_column(Text, default="")  # comma separated; empty: none known
    to_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owner.id"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("committee_report.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("update_request.id"), index=True)
    action_refs: Mapped[list] = mapped_column(JSON, default=list)
    delivered_by: Mapped[str] = mapped_column(String(10))  # smtp | outbox
    outbox_file: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(Text)

    owner = relationship("Owner")
    report = relationship("CommitteeReport")
