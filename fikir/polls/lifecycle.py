"""A poll's life: opened (broadcast queued), closed (results shared), on command or on schedule."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.settings import Settings
from fikir.polls.broadcast import queue_broadcast, queue_results
from fikir.polls.manage import PollError, set_status
from fikir.polls.service import load_view, results
from fikir.storage.models import Poll


async def open_poll(
    session: AsyncSession, slug: str, settings: Settings, now: datetime
) -> tuple[Poll, int]:
    """Open the poll and queue it for its audience; returns the poll and messages queued."""
    poll = await set_status(session, slug, "open", now)
    await session.flush()
    view = await load_view(session, poll.id or 0)
    if view is None:
        raise PollError(f"poll {slug!r} vanished while opening")
    return poll, await queue_broadcast(session, view, settings, now)


async def close_poll(
    session: AsyncSession, slug: str, settings: Settings, now: datetime
) -> tuple[Poll, int]:
    """Close the poll; if its results are shared, queue them to everyone who answered."""
    poll = await set_status(session, slug, "closed", now)
    await session.flush()
    shared = 0
    if poll.share_results and poll.results_shared_at is None:
        view = await load_view(session, poll.id or 0)
        if view is not None:
            result = await results(session, view, settings.k_anonymity)
            shared = await queue_results(session, result, settings, now)
            poll.results_shared_at = now
            session.add(poll)
    return poll, shared


async def apply_schedule(session: AsyncSession, settings: Settings, now: datetime) -> list[str]:
    """Open scheduled polls whose time has come and close open polls past their end."""
    done = []
    due_open = (
        await session.exec(
            select(Poll).where(Poll.status == "scheduled", col(Poll.opens_at) <= now)
        )
    ).all()
    for poll in due_open:
        _, queued = await open_poll(session, poll.slug, settings, now)
        done.append(f"opened {poll.slug} ({queued} queued)")
    due_close = (
        await session.exec(
            select(Poll).where(
                Poll.status == "open", col(Poll.closes_at).is_not(None), col(Poll.closes_at) <= now
            )
        )
    ).all()
    for poll in due_close:
        _, shared = await close_poll(session, poll.slug, settings, now)
        done.append(f"closed {poll.slug} ({shared} results queued)")
    return done
