"""APScheduler only triggers; each job is a plain async function of (runtime, now) run once per period."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from fikir.privacy.retention import apply_retention
from fikir.runtime import Runtime
from fikir.storage.claims import claim, finish, release

log = logging.getLogger(__name__)

Job = Callable[[Runtime, datetime], Awaitable[None]]


async def run_guarded(runtime: Runtime, name: str, period: str, job: Job, now: datetime) -> bool:
    """Run `job` unless another instance already claimed this period; False when skipped."""
    if not await claim(runtime.sessions, name, period, runtime.instance):
        log.info("job %s for %s already taken by another instance; skipping", name, period)
        return False
    try:
        await job(runtime, now)
    except Exception:
        log.exception("job %s for %s failed; it will be retried at its next trigger", name, period)
        await release(runtime.sessions, name, period)
        return False
    await finish(runtime.sessions, name, period)
    return True


async def retention_job(runtime: Runtime, now: datetime) -> None:
    async with runtime.sessions() as session, session.begin():
        blanked, dropped = await apply_retention(session, now, runtime.settings.retention_months)
    log.info(
        "retention: blanked the text of %d old messages, dropped %d unfinished sign-ups",
        blanked,
        dropped,
    )


async def poll_schedule_job(runtime: Runtime, now: datetime) -> None:
    from fikir.dialog.outreach import apply_schedule

    async with runtime.sessions() as session, session.begin():
        done = await apply_schedule(session, runtime.settings, now, runtime.services.vault)
    for line in done:
        log.info("poll schedule: %s", line)
    if done:
        runtime.wake_outbox()


def build_scheduler(runtime: Runtime) -> AsyncIOScheduler:
    """The scheduler with every periodic job of fikir; started by the service's lifespan."""
    scheduler = AsyncIOScheduler(timezone=runtime.settings.timezone)

    async def retention() -> None:
        now = datetime.now(UTC)
        await run_guarded(runtime, "retention", now.strftime("%Y-%m-%d"), retention_job, now)

    scheduler.add_job(
        retention,
        CronTrigger(hour=3, minute=15, timezone=runtime.settings.timezone),
        id="retention",
        replace_existing=True,
        coalesce=True,
        misfire_grace_time=3600 * 20,
    )

    async def polls() -> None:
        now = datetime.now(UTC)
        await run_guarded(runtime, "polls", now.strftime("%Y-%m-%dT%H:%M"), poll_schedule_job, now)

    scheduler.add_job(
        polls,
        "interval",
        seconds=60,
        id="polls",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        next_run_time=datetime.now(UTC),
    )
    from fikir.digest.schedule import add_digest_job

    add_digest_job(scheduler, runtime)
    from fikir.jobs.alerts import add_alert_jobs

    add_alert_jobs(scheduler, runtime, run_guarded)
    return scheduler
