"""The typed messages between channels and the engine: an Inbound in, Replies out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Inbound:
    """One thing a person sent, as a channel understood it, before anything is stored."""

    channel: str
    address: str
    text: str | None = None
    payload: str | None = None
    external_id: str | None = None
    received_at: datetime = field(default_factory=_now)
    language_hint: str | None = None
    media: str | None = None


@dataclass(frozen=True)
class Choice:
    """A button (Telegram) or a numbered line (SMS, console); `payload` is at most 64 bytes."""

    payload: str
    label: str


@dataclass(frozen=True)
class Reply:
    """One message back to the person, already in their language."""

    text: str
    choices: tuple[Choice, ...] = ()
    language: str | None = None


class Outcome(StrEnum):
    """What became of an inbound message, for the channel that brought it."""

    REPLIED = "replied"  # stored and answered (the replies may be empty)
    DUPLICATE = "duplicate"  # a redelivery of something already handled: say nothing
    APOLOGISED = "apologised"  # not processed, nothing stored: the reply is an apology
    ERASED = "erased"  # the person's data was erased in this turn
    UNSUBSCRIBED = "unsubscribed"  # STOP: nothing more will be sent to them
    SPOOLED = "spooled"  # the database was away; kept on disk, answered when it is back


@dataclass(frozen=True)
class Handled:
    """The engine's answer to one inbound message: its outcome and the replies to send."""

    outcome: Outcome
    replies: tuple[Reply, ...] = ()

    @property
    def stored(self) -> bool:
        """Whether the message is durable (committed, known already, or spooled)."""
        return self.outcome is not Outcome.APOLOGISED
