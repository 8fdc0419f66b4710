"""One counter that moves whenever the stored plan changes (tracker/data_version.py moves it)."""
from __future__ import annotations

from sqlalchemy import DDL, BigInteger, Integer, event
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class DataVersion(db.Model):
    """A single row (id 1). Pages drawn from the database are stored under its value, so a stored
    page is never served once anything it could show has been written."""
    __tablename__ = "data_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(BigInteger, default=0)


# The row exists from the start (migration 0017 inserts it for databases made by migrations).
event.listen(DataVersion.__table__, "after_create", DDL("INSERT INTO data_version (id, n) VALUES (1, 0)"))
