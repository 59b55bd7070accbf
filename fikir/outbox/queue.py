"""Putting messages in the outbox and claiming them, safely across several instances."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.outbox.message import OutboundMessage
from fikir.storage.models import OutboxMessage


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
    """Add a message unless one with the same dedupe key exists; the caller commits."""
    exists = (
        await session.exec(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key))
    ).first()
    if exists is not None:
        return False
    session.add(
        OutboxMessage(
            dedupe_key=dedupe_key,
            pseudonym=pseudonym,
            address_enc=address_enc,
            channel=channel,
            kind=kind,
            payload=message.to_json(),
            segments=segments,
            next_attempt_at=now or datetime.now(UTC),
            created_at=now or datetime.now(UTC),
        )
    )
    return True


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
