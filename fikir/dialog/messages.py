"""The typed messages between channels and the engine: an Inbound in, Replies out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime


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


# Channels the engine knows; SMS cannot show buttons, so its choices become numbered lines.
CHAT_CHANNELS = frozenset({"telegram", "console", "simulator"})
SMS_CHANNELS = frozenset({"sms", "sms-twilio", "sms-gateway", "simulator-sms"})


def is_sms(channel: str) -> bool:
    return channel in SMS_CHANNELS or channel.startswith("sms")
