"""Admins' language settings and community translations: the fallback chains edited over the
registry's defaults, and which poll or update texts were uploaded by a translator and reviewed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.fallbacks import DEFAULT_FALLBACKS, Fallbacks
from fikir.storage.models import _ts, utcnow


class LanguageFallback(SQLModel, table=True):
    """An admin's fallback chain for one language; it replaces the registry's entry."""

    __tablename__ = "language_fallback"

    code: str = Field(primary_key=True, max_length=8)
    chain: str = Field(default="", max_length=120)  # codes, comma-separated, best first
    staff_user_id: int | None = Field(default=None, foreign_key="staff_user.id")
    saved_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class TextTranslation(SQLModel, table=True):
    """A poll's or an update's texts in one language that a translator supplied (the texts
    themselves live with the poll or update), and who reviewed them when."""

    __tablename__ = "text_translation"
    __table_args__ = (UniqueConstraint("kind", "item_id", "language"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)  # "poll" or "update"
    item_id: int = Field(index=True)
    language: str = Field(max_length=8)
    source_language: str = Field(max_length=8)
    uploaded_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    uploaded_by: int | None = Field(default=None, foreign_key="staff_user.id")
    reviewed_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    reviewed_by: int | None = Field(default=None, foreign_key="staff_user.id")


async def load_fallbacks(session: AsyncSession) -> Fallbacks:
    """The chains in force: the registry's, with every chain an admin saved in its place."""
    chains = DEFAULT_FALLBACKS
    for row in (await session.exec(select(LanguageFallback))).all():
        if row.code in dict(chains.chains):
            chains = chains.edited(row.code, tuple(c for c in row.chain.split(",") if c))
    return chains
