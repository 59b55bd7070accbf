"""Idempotency keys of inbound events: one lookup for the engine and every channel."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.storage.bulk import insert_new, table_of
from fikir.storage.models import ProcessedEvent


async def event_recorded(session: AsyncSession, source: str, key: str) -> bool:
    """True once an event with this key was committed (or added in the caller's transaction)."""
    found = (
        await session.exec(
            select(ProcessedEvent.id).where(
                ProcessedEvent.source == source, ProcessedEvent.key == key[:128]
            )
        )
    ).first()
    return found is not None


async def claim_event(session: AsyncSession, source: str, key: str) -> bool:
    """Record the event in the caller's transaction; False when it was already processed."""
    return bool(await claim_events(session, [(source, key)], datetime.now(UTC)))


async def claim_events(
    session: AsyncSession, keys: Sequence[tuple[str, str]], now: datetime
) -> set[tuple[str, str]]:
    """Record many events in one statement; returns those that were not processed before.

    INSERT … ON CONFLICT DO NOTHING also settles a race with another instance: PostgreSQL
    makes the second insert of a key wait for the first transaction and then skip it.
    """
    unique = list(dict.fromkeys((source, key[:128]) for source, key in keys))
    rows = [{"source": source, "key": key, "created_at": now} for source, key in unique]
    added = await insert_new(
        session, table_of(ProcessedEvent), rows, ("source", "key"), ("source", "key")
    )
    return {(str(source), str(key)) for source, key in added}
