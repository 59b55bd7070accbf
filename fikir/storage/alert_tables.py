"""Staff's alert subscriptions and the plan a scheduled poll was confirmed with; neither holds
message text, an address of a participant or a pseudonym."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from fikir.storage.models import _ts, utcnow

FREQUENCIES = ("immediate", "daily")


class AlertSubscription(SQLModel, table=True):
    """One staff member's wish to hear of new messages about a goal and/or a region.

    `since` is the watermark: messages that arrived after it are counted in the next notice.
    """

    __tablename__ = "alert_subscription"

    id: int | None = Field(default=None, primary_key=True)
    staff_user_id: int = Field(foreign_key="staff_user.id", index=True)
    goal: int | None = Field(default=None, ge=1, le=17)
    region: str | None = Field(default=None, max_length=32)
    frequency: str = Field(default="daily", max_length=16)
    # The member's linked chat (fikir.safety.duty's staff channel), and/or the address below.
    to_chat: bool = True
    # The staff member's own address for notices (their account, not a participant's).
    email: str | None = Field(default=None, max_length=254)
    since: datetime = Field(default_factory=utcnow, sa_column=_ts())
    last_sent_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class PollPlan(SQLModel, table=True):
    """The paid cost a scheduled poll's opening was confirmed with, and whether it was held."""

    __tablename__ = "poll_plan"

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", unique=True, index=True)
    segments: int = 0
    cost: float = 0.0
    sms_recipients: int = 0
    confirmed_by: int | None = Field(default=None, foreign_key="staff_user.id")
    confirmed_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    held_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    held_cost: float | None = None


ALERT_TABLES = (AlertSubscription, PollPlan)
