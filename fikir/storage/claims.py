"""Exactly-once job runs across instances: the first to insert the (job, period) row runs it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from fikir.storage.engine import SessionMaker
from fikir.storage.models import JobRun


async def claim(sessions: SessionMaker, job: str, period: str, instance: str) -> bool:
    """True for the one instance that gets to run `job` for `period`; a unique row decides."""
    try:
        async with sessions() as session, session.begin():
            session.add(JobRun(job=job, period=period, instance=instance))
    except IntegrityError:
        return False
    return True


async def finish(sessions: SessionMaker, job: str, period: str, status: str = "done") -> None:
    async with sessions() as session, session.begin():
        run = (
            await session.exec(select(JobRun).where(JobRun.job == job, JobRun.period == period))
        ).first()
        if run is not None:
            run.status = status
            run.finished_at = datetime.now(UTC)
            session.add(run)


async def release(sessions: SessionMaker, job: str, period: str) -> None:
    """Give a failed run back so that the next trigger (on any instance) tries again."""
    async with sessions() as session, session.begin():
        run = (
            await session.exec(select(JobRun).where(JobRun.job == job, JobRun.period == period))
        ).first()
        if run is not None:
            await session.delete(run)
