"""Telegram's update_id as an idempotency key, for updates the dialog engine does not see."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.bot.updates import CHANNEL
from fikir.storage.events import claim_event, event_recorded


async def claim_update(session: AsyncSession, update_id: int) -> bool:
    """Record the update in the caller's transaction; False when it was already processed."""
    return await claim_event(session, CHANNEL, str(update_id))


async def was_recorded(session: AsyncSession, update_id: int) -> bool:
    """True once the update's effects are committed (the engine claims it in its transaction)."""
    return await event_recorded(session, CHANNEL, str(update_id))
