"""A poll's life: opened (broadcast queued), closed (results shared), on command or on schedule."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.settings import Settings
from fikir.polls.broadcast import Recipient, queue_broadcast, queue_results
from fikir.polls.manage import PollError, set_status
from fikir.polls.model import PollView
from fikir.polls.service import load_view, results
from fikir.storage.models import Poll
from fikir.surveys.service import load_survey
from fikir.surveys.share import queue_survey_results


async def open_poll(
    session: AsyncSession, slug: str, settings: Settings, now: datetime
) -> tuple[Poll, PollView, list[Recipient]]:
    """Open the poll and queue it for its audience; returns the poll and those newly queued.

    Call it through fikir.dialog.outreach.open_poll, which also puts their conversations on
    the poll."""
    poll = await set_status(session, slug, "open", now)
    await session.flush()
    view = await load_view(session, poll.id or 0)
    if view is None:
        raise PollError(f"poll {slug!r} vanished while opening")
    return poll, view, await queue_broadcast(session, view, settings, now)


async def close_poll(
    session: AsyncSession, slug: str, settings: Settings, now: datetime
) -> tuple[Poll, int]:
    """Close the poll; if its results are shared, queue them to everyone who answered (a
    survey's as a summary per question)."""
    poll = await set_status(session, slug, "closed", now)
    await session.flush()
    shared = 0
    if poll.share_results and poll.results_shared_at is None:
        view = await load_view(session, poll.id or 0)
        survey = await load_survey(session, poll.id or 0)
        if survey is not None:
            shared = await queue_survey_results(session, survey, settings, now)
            poll.results_shared_at = now
            session.add(poll)
        elif view is not None:
            result = await results(session, view, settings.k_anonymity)
            shared = await queue_results(session, result, settings, now)
            poll.results_shared_at = now
            session.add(poll)
    return poll, shared


async def due_polls(session: AsyncSession, now: datetime) -> tuple[list[Poll], list[Poll]]:
    """Scheduled polls whose time has come, and open polls past their end."""
    due_open = (
        await session.exec(
            select(Poll).where(Poll.status == "scheduled", col(Poll.opens_at) <= now)
        )
    ).all()
    due_close = (
        await session.exec(
            select(Poll).where(
                Poll.status == "open", col(Poll.closes_at).is_not(None), col(Poll.closes_at) <= now
            )
        )
    ).all()
    return list(due_open), list(due_close)
