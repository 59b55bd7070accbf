"""What an outbox row carries, typed; and what a channel's sender answers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

ChoiceTuple = tuple[str, str]  # (payload, label)
# A staff reply to someone's message (fikir.dialog.threads).
THREAD_KIND = "thread"
# Kinds that continue a conversation the person started: SMS sends them back the way the
# person wrote (the Android phone's local number can be answered; an alphanumeric sender cannot).
CONVERSATION_KINDS = frozenset({"reply", THREAD_KIND})


@dataclass(frozen=True)
class OutboundMessage:
    """A message to one recipient: text, optional choices, optional document to attach."""

    text: str
    choices: tuple[ChoiceTuple, ...] = ()
    language: str | None = None
    document: str | None = None
    document_name: str | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "text": self.text,
                "choices": [list(c) for c in self.choices],
                "language": self.language,
                "document": self.document,
                "document_name": self.document_name,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, raw: str) -> OutboundMessage:
        data = json.loads(raw)
        return cls(
            text=str(data.get("text", "")),
            choices=tuple((str(c[0]), str(c[1])) for c in data.get("choices", ())),
            language=data.get("language"),
            document=data.get("document"),
            document_name=data.get("document_name"),
        )


@dataclass(frozen=True)
class Sent:
    """The provider accepted the message; its id is kept for delivery receipts."""

    provider_id: str | None = None


@dataclass(frozen=True)
class RetryLater:
    """Rate-limited or a passing failure: try again after `seconds` (429 retry_after, 5xx)."""

    seconds: float
    reason: str = "temporary"
    # False for a wait that is no failure (outside a channel's window): it never uses up the
    # message's attempts; the sender itself decides when it has waited long enough.
    counts: bool = True


@dataclass(frozen=True)
class Failed:
    """Will never succeed (invalid number, opted out at the provider, bot blocked)."""

    reason: str
    blocked: bool = False


SendResult = Sent | RetryLater | Failed


@dataclass
class SendStats:
    """Counters a worker keeps, for /metrics and for the benchmarks."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)
