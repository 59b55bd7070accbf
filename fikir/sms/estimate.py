"""What a broadcast will cost before it leaves: messages, segments and money, per language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.outbox.message import OutboundMessage
from fikir.sms.provider import outbound_text
from fikir.sms.segments import count_segments
from fikir.storage.models import OutboxMessage


@dataclass(frozen=True)
class BroadcastEstimate:
    """Totals for a set of SMS; `by_language` maps a language to (messages, segments)."""

    messages: int
    segments: int
    cost: float
    cost_per_segment: float
    by_language: dict[str, tuple[int, int]] = field(default_factory=dict)

    def describe(self) -> str:
        parts = ", ".join(
            f"{lang} {n:,} SMS / {segs:,} seg"
            for lang, (n, segs) in sorted(self.by_language.items())
        )
        return (
            f"{self.messages:,} SMS, {self.segments:,} segments, about ${self.cost:,.2f} "
            f"at ${self.cost_per_segment:.4f} a segment" + (f" ({parts})" if parts else "")
        )


def estimate(
    batches: Iterable[tuple[OutboundMessage, int]],
    cost_per_segment: float,
    transliterate: str = "auto",
) -> BroadcastEstimate:
    """Totals for (message, how many recipients) pairs, each rendered as the SMS adapter sends it."""
    messages = segments = 0
    by_language: dict[str, tuple[int, int]] = {}
    for message, recipients in batches:
        parts = count_segments(outbound_text(message, transliterate)).segments
        messages += recipients
        segments += parts * recipients
        lang = message.language or "?"
        seen_n, seen_s = by_language.get(lang, (0, 0))
        by_language[lang] = (seen_n + recipients, seen_s + parts * recipients)
    return BroadcastEstimate(
        messages, segments, round(segments * cost_per_segment, 2), cost_per_segment, by_language
    )


async def estimate_queued(
    session: AsyncSession,
    cost_per_segment: float,
    transliterate: str = "auto",
    kind: str | None = None,
) -> BroadcastEstimate:
    """The SMS waiting in the outbox (a broadcast shares one payload, so this groups by it)."""
    query = (
        select(OutboxMessage.payload, func.count())
        .where(
            OutboxMessage.channel == "sms",
            col(OutboxMessage.status).in_(("pending", "sending")),
        )
        .group_by(col(OutboxMessage.payload))
    )
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    rows = (await session.exec(query)).all()
    return estimate(
        ((OutboundMessage.from_json(payload), int(n)) for payload, n in rows),
        cost_per_segment,
        transliterate,
    )
