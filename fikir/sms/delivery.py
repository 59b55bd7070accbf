"""Delivery receipts on the outbox row, matched by the provider's id; a late receipt never goes back."""

from __future__ import annotations

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.storage.models import OutboxMessage

# Receipts arrive out of order; a status only replaces one of lower rank.
_RANK = {
    "accepted": 0,
    "scheduled": 0,
    "queued": 1,
    "pending": 1,
    "processed": 2,
    "sending": 2,
    "sent": 3,
    "delivered": 4,
    "undelivered": 4,
    "failed": 4,
    "read": 5,
}


def normalise_status(status: str) -> str | None:
    """A provider's status in our words ("Delivered" → "delivered"), or None if unknown."""
    word = status.strip().lower()
    return word if word in _RANK else None


async def record_delivery(
    session: AsyncSession, provider_id: str, status: str, error_code: str | None = None
) -> bool:
    """Store the status on the message the provider knows by `provider_id`; False if none is."""
    word = normalise_status(status)
    if word is None or not provider_id:
        return False
    row = (
        await session.exec(
            select(OutboxMessage).where(OutboxMessage.provider_id == provider_id[:64])
        )
    ).first()
    if row is None:
        return False
    current = _RANK.get(row.delivery_status or "", -1)
    if _RANK[word] >= current:
        row.delivery_status = word
        if word in {"undelivered", "failed"} and error_code:
            row.error = f"delivery: {error_code}"[:200]
        session.add(row)
    return True
