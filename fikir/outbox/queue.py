"""Putting messages in the outbox and claiming them, safely across several instances."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.outbox.message import OutboundMessage
from fikir.storage.bulk import insert_new, table_of
from fikir.storage.models import OutboxMessage


@dataclass(frozen=True)
class Queued:
    """One message to put in the outbox; `dedupe_key` makes it happen once."""

    pseudonym: str
    channel: str
    kind: str
    message: OutboundMessage
    dedupe_key: str
    segments: int = 1
    address_enc: bytes | None = None


async def enqueue_many(
    session: AsyncSession, messages: Sequence[Queued], now: datetime | None = None
) -> set[str]:
    """Add the messages whose dedupe key is new; returns those keys. The caller commits.

    A poll to 100,000 people is a hundred statements, not 200,000 lookups and inserts, and a
    key queued concurrently by another instance is skipped by the database.
    """
    moment = now or datetime.now(UTC)
    rows = [
        {
            "dedupe_key": queued.dedupe_key,
            "pseudonym": queued.pseudonym,
            "address_enc": queued.address_enc,
            "channel": queued.channel,
            "kind": queued.kind,
            "payload": queued.message.to_json(),
            "segments": queued.segments,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": moment,
            "created_at": moment,
        }
        for queued in messages
    ]
    added = await insert_new(
        session, table_of(OutboxMessage), rows, ("dedupe_key",), ("dedupe_key",)
    )
    return {str(key) for (key,) in added}


async def enqueue(
    session: AsyncSession,
    *,
    pseudonym: str,
    channel: str,
    kind: str,
    message: OutboundMessage,
    dedupe_key: str,
    segments: int = 1,
    now: datetime | None = None,
    address_enc: bytes | None = None,
) -> bool:
    """Add one message unless one with the same dedupe key exists; the caller commits."""
    queued = Queued(pseudonym, channel, kind, message, dedupe_key, segments, address_enc)
    return bool(await enqueue_many(session, [queued], now))


async def claim_batch(
    session: AsyncSession, channel: str, instance: str, now: datetime, limit: int
) -> list[OutboxMessage]:
    """Mark up to `limit` due messages as ours; PostgreSQL skips rows other instances hold."""
    due = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.status == "pending",
            col(OutboxMessage.next_attempt_at) <= now,
        )
        .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list((await session.exec(due)).all())
    if not ids:
        return []
    await session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(ids), col(OutboxMessage.status) == "pending")
        .values(
            status="sending",
            claimed_by=instance,
            claimed_at=now,
            attempts=OutboxMessage.attempts + 1,
        )
    )
    rows = (
        await session.exec(
            select(OutboxMessage)
            .where(
                col(OutboxMessage.id).in_(ids),
                OutboxMessage.claimed_by == instance,
                OutboxMessage.status == "sending",
            )
            .order_by(col(OutboxMessage.id))
            .execution_options(populate_existing=True)
        )
    ).all()
    return list(rows)


async def stale_claims(
    session: AsyncSession, channel: str, claimed_before: datetime, limit: int = 500
) -> list[OutboxMessage]:
    """Messages an instance claimed and then vanished with (a crash mid-send)."""
    rows = (
        await session.exec(
            select(OutboxMessage)
            .where(
                OutboxMessage.channel == channel,
                OutboxMessage.status == "sending",
                col(OutboxMessage.claimed_at) < claimed_before,
            )
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()
    return list(rows)


async def depth(session: AsyncSession) -> dict[str, int]:
    """Pending messages per channel (the outbox depth of /metrics)."""
    rows = (
        await session.exec(
            select(OutboxMessage.channel, func.count())
            .where(OutboxMessage.status.in_(("pending", "sending")))  # type: ignore[attr-defined]
            .group_by(OutboxMessage.channel)
        )
    ).all()
    return {str(channel): int(n) for channel, n in rows}
