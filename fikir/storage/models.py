"""The tables of DESIGN.md; none of them holds a raw chat id, phone number, username or name."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Dialect,
    Index,
    LargeBinary,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """The current time, time-zone aware, for column defaults."""
    return datetime.now(UTC)


class AwareDateTime(TypeDecorator[datetime]):
    """Time-zone aware on every backend: SQLite hands back naive values, read here as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _ts(*, nullable: bool = False, index: bool = False) -> Column[datetime]:
    return Column(AwareDateTime(), nullable=nullable, index=index)


class Respondent(SQLModel, table=True):
    """A participant known only by a keyed pseudonym of channel and address."""

    id: int | None = Field(default=None, primary_key=True)
    pseudonym: str = Field(max_length=64, unique=True, index=True)
    channel: str = Field(max_length=16, index=True)
    language: str | None = Field(default=None, max_length=8)
    region: str | None = Field(default=None, max_length=32)
    age_band: str | None = Field(default=None, max_length=16)
    gender: str | None = Field(default=None, max_length=16)
    state: str = Field(default="new", max_length=32)
    state_data: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    consent_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    profile_asked: bool = False
    subscribed: bool = Field(default=False, index=True)
    opted_out: bool = False
    blocked: bool = False
    # "You said, we did" updates: None until asked (once, after the first feedback).
    updates_opt_in: bool | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    last_seen_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class Contact(SQLModel, table=True):
    """The vault: an encrypted address for proactive messages, deleted on opt-out or erasure."""

    id: int | None = Field(default=None, primary_key=True)
    pseudonym: str = Field(max_length=64, unique=True, index=True)
    channel: str = Field(max_length=16)
    address_enc: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class Feedback(SQLModel, table=True):
    """A redacted message with the profile it was written under (a snapshot, not a link)."""

    id: int | None = Field(default=None, primary_key=True)
    ref_code: str = Field(max_length=16, unique=True, index=True)
    respondent_id: int | None = Field(default=None, foreign_key="respondent.id", index=True)
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    language: str | None = Field(default=None, max_length=8, index=True)
    channel: str = Field(max_length=16, index=True)
    region: str | None = Field(default=None, max_length=32, index=True)
    age_band: str | None = Field(default=None, max_length=16)
    gender: str | None = Field(default=None, max_length=16)
    redactions: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(index=True))


class FeedbackTag(SQLModel, table=True):
    """One goal on one message; staff and respondent tags outrank automatic ones."""

    __tablename__ = "feedback_tag"
    __table_args__ = (UniqueConstraint("feedback_id", "goal", "source"),)

    id: int | None = Field(default=None, primary_key=True)
    feedback_id: int = Field(foreign_key="feedback.id", index=True)
    goal: int = Field(ge=1, le=17, index=True)
    score: float = 1.0
    source: str = Field(default="auto", max_length=16)
    staff_user_id: int | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class Poll(SQLModel, table=True):
    """A question to an audience; texts are JSON objects keyed by language code."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True, index=True)
    question: str = Field(sa_column=Column(Text, nullable=False))
    audience: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    status: str = Field(default="draft", max_length=16, index=True)
    opens_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    closes_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    share_results: bool = True
    results_shared_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    # Live meeting mode (fikir.polls.live): may the projector page be shown without signing in,
    # and the figures last published on it (JSON counts) with the time they were taken.
    live_public: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, default=False)
    )
    live_counts: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    live_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class PollOption(SQLModel, table=True):
    """One numbered option of a poll, with its label in every language."""

    __tablename__ = "poll_option"
    __table_args__ = (UniqueConstraint("poll_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    position: int
    labels: str = Field(sa_column=Column(Text, nullable=False))


class PollAnswer(SQLModel, table=True):
    """One answer per respondent per poll; a later answer replaces the earlier one."""

    __tablename__ = "poll_answer"
    __table_args__ = (UniqueConstraint("poll_id", "respondent_id"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    respondent_id: int = Field(foreign_key="respondent.id", index=True)
    position: int
    channel: str = Field(max_length=16)
    language: str | None = Field(default=None, max_length=8)
    region: str | None = Field(default=None, max_length=32)
    age_band: str | None = Field(default=None, max_length=16)
    gender: str | None = Field(default=None, max_length=16)
    answered_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class OutboxMessage(SQLModel, table=True):
    """A proactive message waiting to leave; `dedupe_key` makes a queued send happen once."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_due", "status", "channel", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(max_length=128, unique=True)
    pseudonym: str = Field(max_length=64, index=True)
    # Replies to someone not yet in the vault carry their address sealed, until it is sent.
    address_enc: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    channel: str = Field(max_length=16)
    kind: str = Field(max_length=16)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    segments: int = 1
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    provider_id: str | None = Field(default=None, max_length=64, index=True)
    delivery_status: str | None = Field(default=None, max_length=16)
    error: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    sent_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class Digest(SQLModel, table=True):
    """A built monthly digest; `data` is the digest.json document."""

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(max_length=7, unique=True, index=True)
    data: str = Field(sa_column=Column(Text, nullable=False))
    built_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class DigestDelivery(SQLModel, table=True):
    """At most one delivery of one month's digest to one recipient, even across instances."""

    __tablename__ = "digest_delivery"
    __table_args__ = (UniqueConstraint("month", "recipient"),)

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(max_length=7, index=True)
    recipient: str = Field(max_length=80)
    channel: str = Field(max_length=16)
    status: str = Field(default="claimed", max_length=16)
    delivered_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class StaffUser(SQLModel, table=True):
    """A member of staff; their Telegram chat, if linked, is a pseudonym into the vault."""

    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True, index=True)
    role: str = Field(default="viewer", max_length=16)
    language: str = Field(default="en", max_length=8)
    password_hash: str | None = Field(default=None, max_length=200)
    link_code_hash: str | None = Field(default=None, max_length=64, index=True)
    link_code_expires_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    telegram_pseudonym: str | None = Field(default=None, max_length=64, index=True)
    duty: bool = False  # a duty officer: told at once of a reprisal report (docs/safety.md)
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class StaffSession(SQLModel, table=True):
    """A signed-in staff session: its cookie opens pages only while this row exists."""

    __tablename__ = "staff_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)  # SHA-256 of the cookie's id
    staff_user_id: int = Field(foreign_key="staff_user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    expires_at: datetime = Field(sa_column=_ts(index=True))


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins by source, and by source and name; a source is a keyed hash, never an address."""

    __tablename__ = "login_throttle"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True, index=True)
    failures: int = 0
    last_failure_at: datetime = Field(sa_column=_ts(index=True))
    next_allowed_at: datetime = Field(sa_column=_ts())


class AuditEvent(SQLModel, table=True):
    """What a member of staff did: viewed, exported, re-tagged, created."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=_ts(index=True))
    staff_user_id: int | None = Field(default=None, foreign_key="staff_user.id")
    action: str = Field(max_length=32)
    object_type: str = Field(default="", max_length=32)
    object_id: str = Field(default="", max_length=64)
    detail: str = Field(default="", max_length=500)


class ProcessedEvent(SQLModel, table=True):
    """Idempotency keys of inbound events (Twilio MessageSid, Telegram update_id, gateway hash)."""

    __tablename__ = "processed_event"
    __table_args__ = (UniqueConstraint("source", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=16)
    key: str = Field(max_length=128)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(index=True))


class JobRun(SQLModel, table=True):
    """A claim on one run of a scheduled job, so that exactly one instance performs it."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=32)
    period: str = Field(max_length=32)
    instance: str = Field(max_length=64)
    status: str = Field(default="running", max_length=16)
    started_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    finished_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class ThreadMessage(SQLModel, table=True):
    """One entry of the anonymous thread on a message: a staff reply or the writer's answer.

    No address: a reply is resolved pseudonym → vault → channel when the outbox sends it.
    """

    __tablename__ = "thread_message"

    id: int | None = Field(default=None, primary_key=True)
    feedback_id: int = Field(foreign_key="feedback.id", index=True)  # the thread's message
    direction: str = Field(max_length=8)  # "staff" (to the writer) or "writer" (their answer)
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    language: str | None = Field(default=None, max_length=8)
    channel: str = Field(max_length=16)
    segments: int = 0
    staff_user_id: int | None = Field(default=None, foreign_key="staff_user.id")
    outbox_id: int | None = Field(default=None, index=True)
    answer_feedback_id: int | None = Field(default=None, foreign_key="feedback.id", index=True)
    read_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(index=True))


class StaffUpdate(SQLModel, table=True):
    """What staff decided or did ("you said, we did"), per language, and whom it concerns."""

    __tablename__ = "staff_update"

    id: int | None = Field(default=None, primary_key=True)
    # JSON objects keyed by language code; at least one language, both texts in it.
    title: str = Field(sa_column=Column(Text, nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    # JSON lists: SDG numbers and economic-region codes the update answers.
    goals: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    regions: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    poll_id: int | None = Field(default=None, foreign_key="poll.id")
    status: str = Field(default="draft", max_length=16, index=True)
    created_by: int | None = Field(default=None, foreign_key="staff_user.id")
    recipients: int = 0  # messages queued when sent (shown to staff under the k rule)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    sent_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True, index=True))


ALL_TABLES = (
    Respondent,
    Contact,
    Feedback,
    FeedbackTag,
    Poll,
    PollOption,
    PollAnswer,
    OutboxMessage,
    Digest,
    DigestDelivery,
    StaffUser,
    StaffSession,
    LoginThrottle,
    AuditEvent,
    ProcessedEvent,
    JobRun,
    ThreadMessage,
    StaffUpdate,
)
