"""Idempotency keys of inbound events: one lookup for the engine and every channel."""

from __future__ import annotations

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

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
    if await event_recorded(session, source, key):
        return False
    session.add(ProcessedEvent(source=source, key=key[:128]))
    await session.flush()
    return True
