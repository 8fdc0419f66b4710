"""The covering report: the committee report the appendices are attached to.

``CoveringSettings`` is per authority: the council's own list of report sections (councils' report
templates differ) and its Word template, uploaded by an admin. ``CoveringReport`` is per committee
report: its reference ("CS 01/03"), contact officer and extension, and the narrative texts of its
sections, carried forward from the last report so an officer edits instead of retyping.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .plan import utcnow


class CoveringSettings(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), unique=True)
    # [{"key", "title", "kind", "items": [{"key", "title"}]}]; None: the built-in list (the seed's).
    sections: Mapped[list | None] = mapped_column(JSON)
    # The council's .docx report template (a .dotx is stored as the .docx it describes). Kept in the
    # database so every app process and every backup has it; the upload limits keep it small.
    word_template: Mapped[bytes | None] = mapped_column(LargeBinary)
    word_template_name: Mapped[str | None] = mapped_column(String(255))
    word_template_uploaded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    word_template_uploaded_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class CoveringReport(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("committee_report.id"), unique=True)
    reference: Mapped[str | None] = mapped_column(String(40))
    contact_officer: Mapped[str | None] = mapped_column(String(200))
    extension: Mapped[str | None] = mapped_column(String(40))
    # Section key -> text; an implication's key is "<section key>.<item key>".
    texts: Mapped[dict | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __mapper_args__ = {"version_id_col": version}

    report = relationship("CommitteeReport")
