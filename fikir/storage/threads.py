"""The reply thread on a message as staff see it: its entries, their delivery, new answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.storage.models import OutboxMessage, ThreadMessage


async def thread_of(session: AsyncSession, feedback_id: int) -> list[ThreadEntry]:
    """The thread on a message, oldest first, with each reply's delivery state."""
    rows = (
        await session.exec(
            select(ThreadMessage, OutboxMessage.status, OutboxMessage.delivery_status)
            .join(
                OutboxMessage,
                col(OutboxMessage.id) == col(ThreadMessage.outbox_id),
                isouter=True,
            )
            .where(ThreadMessage.feedback_id == feedback_id)
            .order_by(col(ThreadMessage.created_at), col(ThreadMessage.id))
        )
    ).all()
    return [ThreadEntry(entry, status, delivery) for entry, status, delivery in rows]


@dataclass(frozen=True)
class ThreadEntry:
    """One entry of a thread as staff see it."""

    message: ThreadMessage
    outbox_status: str | None
    delivery_status: str | None

    @property
    def status(self) -> str:
        """queued, sent, delivered, failed, cancelled (STOP), or gone (erased meanwhile)."""
        if self.message.direction != "staff":
            return ""
        if self.outbox_status is None:
            return "gone"
        if self.delivery_status in {"delivered", "failed", "undelivered"}:
            return "delivered" if self.delivery_status == "delivered" else "failed"
        if self.outbox_status in {"pending", "sending"}:
            return "queued"
        return self.outbox_status


async def mark_read(session: AsyncSession, feedback_id: int, now: datetime) -> None:
    """Staff opened the thread: its answers are no longer new."""
    for entry in (
        await session.exec(
            select(ThreadMessage).where(
                ThreadMessage.feedback_id == feedback_id,
                ThreadMessage.direction == "writer",
                col(ThreadMessage.read_at).is_(None),
            )
        )
    ).all():
        entry.read_at = now
        session.add(entry)


async def with_new_answers(session: AsyncSession, feedback_ids: list[int]) -> set[int]:
    """Which of these messages have answers staff have not opened yet (marked in the inbox)."""
    if not feedback_ids:
        return set()
    rows = await session.exec(
        select(ThreadMessage.feedback_id)
        .where(
            col(ThreadMessage.feedback_id).in_(feedback_ids),
            ThreadMessage.direction == "writer",
            col(ThreadMessage.read_at).is_(None),
        )
        .distinct()
    )
    return set(rows.all())
