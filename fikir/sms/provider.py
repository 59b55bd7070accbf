"""The small contract every SMS provider fits, and how a message becomes the text of one SMS."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from fikir.dialog.messages import Choice, Reply
from fikir.dialog.render import numbered
from fikir.outbox.message import OutboundMessage, SendResult
from fikir.sms.segments import fit_for_sms

# Failures after which the provider may or may not have taken the message: ask before resending.
AMBIGUOUS = frozenset({"network", "timeout", "server_error"})


class SmsProvider(Protocol):
    """One way of sending SMS (Twilio's REST API, or an Android phone running SMS Gateway)."""

    name: str

    async def send(self, to: str, body: str, ref: str) -> SendResult:
        """Hand one SMS to the provider; answer with a result, never raise for its errors."""
        ...

    async def find_sent(self, to: str, body: str, ref: str, since: datetime) -> list[str]:
        """Provider ids of messages it already has for this send (after a crash or a timeout)."""
        ...

    async def aclose(self) -> None:
        """Release HTTP sessions."""
        ...


def sms_text(reply: Reply, transliterate: str = "auto") -> str:
    """A reply as one SMS body: choices as a numbered line, GSM-7 when that saves a part."""
    return fit_for_sms(numbered(reply, compact=True), reply.language, transliterate)


def outbound_text(message: OutboundMessage, transliterate: str = "auto") -> str:
    """An outbox message as one SMS body (documents cannot travel by SMS and are left out)."""
    reply = Reply(
        message.text,
        tuple(Choice(payload, label) for payload, label in message.choices),
        message.language,
    )
    return sms_text(reply, transliterate)
