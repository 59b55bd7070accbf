"""Staff's edits to a month's digest before it goes out: a theme renamed, merged into another or
hidden, and a quote's English rendering. Kept per month, applied when the month is built."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from fikir.storage.models import _ts, utcnow

EDIT_KINDS = ("theme", "quote")


class DigestEdit(SQLModel, table=True):
    """One theme's or quote's edit for one month; `key` is the theme's key or the quote's hash."""

    __tablename__ = "digest_edit"
    __table_args__ = (UniqueConstraint("month", "kind", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(max_length=7, index=True)
    kind: str = Field(max_length=8)
    key: str = Field(max_length=200)
    hidden: bool = False
    name: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    merge_into: str | None = Field(default=None, max_length=200)
    english: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    updated_by: int | None = Field(default=None, foreign_key="staff_user.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
