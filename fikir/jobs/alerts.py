"""The alert jobs on the scheduler: immediate notices checked every minute, daily ones at
FIKIR_ALERT_DAILY_HOUR local time (checked hourly after it too, so a missed or failed day still
runs); each period is claimed so exactly one instance runs it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger

from fikir.alerts.run import daily_alerts, immediate_alerts
from fikir.runtime import Runtime

log = logging.getLogger(__name__)


async def immediate_job(runtime: Runtime, now: datetime) -> None:
    queued = await immediate_alerts(runtime.sessions, runtime.services.vault, runtime.settings, now)
    if queued:
        log.info("alerts: %d immediate notices queued", queued)
        runtime.wake_outbox()


async def daily_job(runtime: Runtime, now: datetime) -> None:
    queued = await daily_alerts(runtime.sessions, runtime.services.vault, runtime.settings, now)
    log.info("alerts: %d daily and sharp-rise notices queued", queued)
    if queued:
        runtime.wake_outbox()


Job = Callable[[Runtime, datetime], Awaitable[None]]
Guard = Callable[[Runtime, str, str, Job, datetime], Awaitable[bool]]


def add_alert_jobs(scheduler: BaseScheduler, runtime: Runtime, run_guarded: Guard) -> None:
    """Register both alert jobs, each period claimed through `run_guarded` (call before the
    scheduler starts; fikir.jobs.scheduler does, passing its own guard)."""

    async def immediate() -> None:
        now = datetime.now(UTC)
        await run_guarded(runtime, "alerts", now.strftime("%Y-%m-%dT%H:%M"), immediate_job, now)

    async def daily() -> None:
        now = datetime.now(UTC)
        today = now.astimezone(ZoneInfo(runtime.settings.timezone))
        if today.hour < runtime.settings.alert_daily_hour:
            return  # the catch-up below runs before the hour: not yet
        await run_guarded(runtime, "alerts-daily", today.strftime("%Y-%m-%d"), daily_job, now)

    scheduler.add_job(
        immediate,
        "interval",
        seconds=60,
        id="alerts",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
    )
    scheduler.add_job(
        daily,
        CronTrigger(hour=runtime.settings.alert_daily_hour, timezone=runtime.settings.timezone),
        id="alerts-daily",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=3600 * 6,
    )
    # Like the digest's catch-up: a day whose hour passed while fikir was down, or whose run
    # failed (its claim is given back), runs at the next hourly check; a done day is skipped.
    scheduler.add_job(
        daily,
        "interval",
        hours=1,
        id="alerts-daily-catch-up",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        next_run_time=datetime.now(UTC) + timedelta(minutes=5),
    )
