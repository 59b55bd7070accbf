"""Retention: free text older than the configured months goes; tag counts stay for the trends."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.storage.models import Feedback, Respondent, ThreadMessage
from fikir.storage.opinion_tables import OpinionStatement, OpinionVote

NEVER_CONSENTED_DAYS = 30


def months_before(now: datetime, months: int) -> datetime:
    """The same day-of-month `months` earlier (clamped to the 28th to stay valid)."""
    year, month = divmod(now.year * 12 + (now.month - 1) - months, 12)
    return now.replace(year=year, month=month + 1, day=min(now.day, 28))


async def apply_retention(session: AsyncSession, now: datetime, months: int) -> tuple[int, int]:
    """Blank old feedback text and drop never-consented respondents; returns both counts.

    The text of reply threads (staff replies and the answers) and participants' own statements
    on the opinion map (with the votes on them) go with the same cutoff.
    """
    cutoff = months_before(now, months)
    blanked = await session.exec(
        update(Feedback)
        .where(col(Feedback.created_at) < cutoff, col(Feedback.text).is_not(None))
        .values(text=None)
    )
    await session.exec(
        update(ThreadMessage)
        .where(col(ThreadMessage.created_at) < cutoff, col(ThreadMessage.text).is_not(None))
        .values(text=None)
    )
    await expire_statements(session, cutoff)
    stale = now - timedelta(days=NEVER_CONSENTED_DAYS)
    dropped = await session.exec(
        delete(Respondent).where(
            col(Respondent.consent_at).is_(None), col(Respondent.last_seen_at) < stale
        )
    )
    return int(blanked.rowcount or 0), int(dropped.rowcount or 0)


async def expire_statements(session: AsyncSession, cutoff: datetime) -> int:
    """Delete participants' statements written before `cutoff` (free text, like feedback) and
    every vote on them; staff's seed statements stay. Returns how many statements went."""
    written_before = (
        col(OpinionStatement.author_id).is_not(None),
        col(OpinionStatement.created_at) < cutoff,
    )
    old = select(OpinionStatement.id).where(*written_before)
    await session.exec(delete(OpinionVote).where(col(OpinionVote.statement_id).in_(old)))
    gone = await session.exec(delete(OpinionStatement).where(*written_before))
    return int(gone.rowcount or 0)
