"""Telegram's update_id as an idempotency key, for updates the dialog engine does not see."""

from __future__ import annotations

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.bot.updates import CHANNEL
from fikir.storage.models import ProcessedEvent


async def claim_update(session: AsyncSession, update_id: int) -> bool:
    """Record the update in the caller's transaction; False when it was already processed."""
    key = str(update_id)
    seen = (
        await session.exec(
            select(ProcessedEvent.id).where(
                ProcessedEvent.source == CHANNEL, ProcessedEvent.key == key
            )
        )
    ).first()
    if seen is not None:
        return False
    session.add(ProcessedEvent(source=CHANNEL, key=key))
    await session.flush()
    return True


async def was_recorded(session: AsyncSession, update_id: int) -> bool:
    """True once the update's effects are committed (the engine claims it in its transaction)."""
    found = (
        await session.exec(
            select(ProcessedEvent.id).where(
                ProcessedEvent.source == CHANNEL, ProcessedEvent.key == str(update_id)
            )
        )
    ).first()
    return found is not None
