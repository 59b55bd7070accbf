"""The safety tables: what a message was flagged as, its place in the staff queue, and the
admins' edited referral contacts. None holds message text, an address or a pseudonym."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from fikir.storage.models import _ts, utcnow

CASE_STATES = ("new", "seen", "handled")


class FeedbackSafety(SQLModel, table=True):
    """One safety category found in one message (the detector's word, never the text)."""

    __tablename__ = "feedback_safety"
    __table_args__ = (UniqueConstraint("feedback_id", "category"),)

    id: int | None = Field(default=None, primary_key=True)
    feedback_id: int = Field(foreign_key="feedback.id", index=True)
    category: str = Field(max_length=16, index=True)


class SafetyCase(SQLModel, table=True):
    """A flagged message in the staff safety queue: new, seen or handled, by whom and when."""

    __tablename__ = "safety_case"

    id: int | None = Field(default=None, primary_key=True)
    feedback_id: int = Field(foreign_key="feedback.id", unique=True, index=True)
    status: str = Field(default="new", max_length=16, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(index=True))
    seen_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    seen_by: int | None = Field(default=None, foreign_key="staff_user.id")
    handled_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    handled_by: int | None = Field(default=None, foreign_key="staff_user.id")


class ReferralConfig(SQLModel, table=True):
    """One saved version of the referral contacts (YAML); the newest is in force."""

    __tablename__ = "referral_config"

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    staff_user_id: int | None = Field(default=None, foreign_key="staff_user.id")
    saved_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


SAFETY_TABLES = (FeedbackSafety, SafetyCase, ReferralConfig)
