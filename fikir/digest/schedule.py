"""When the digest goes out: FIKIR_DIGEST_CRON (09:00 Asia/Baku on the 1st by default).

APScheduler only triggers. The cron job lives in a persistent job store (a table in fikir's own
database), so a fire time that passed while the service was down is still pending when it comes
back and runs then (misfire grace of most of a month, coalesced into one run). Each run is
guarded by fikir.storage.claims for the month it reports on, so two instances never both send;
an hourly check retries a month whose run failed.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.util import undefined
from sqlalchemy import Engine, column, inspect, select, table
from sqlmodel import select as select_models

from fikir.config.settings import Settings
from fikir.digest.delivery import send_digest
from fikir.digest.period import Month, last_complete_month
from fikir.storage.claims import claim, finish, release
from fikir.storage.engine import create_sync_db_engine
from fikir.storage.models import JobRun

if TYPE_CHECKING:
    from fikir.runtime import Runtime

log = logging.getLogger(__name__)

JOB = "digest"
JOB_ID = "digest"
CATCH_UP_ID = "digest-catch-up"
JOBSTORE = "persistent"
JOBS_TABLE = "apscheduler_jobs"
MISFIRE_GRACE = timedelta(days=27)
CATCH_UP_EVERY = timedelta(hours=1)

# Jobs in a persistent store are saved by reference, so they find their runtime here by a key
# that stays the same across restarts (a hash of the database URL).
_RUNTIMES: dict[str, Runtime] = {}


class DigestRunError(RuntimeError):
    """Some recipients could not be reached; the month's claim is given back for a retry."""


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _crontab_weekdays(field: str) -> str:
    """Crontab counts weekdays from Sunday (0 or 7); APScheduler 3 from Monday: use names."""
    if field == "*" or any(ch.isalpha() for ch in field):
        return field
    days: set[int] = set()
    for part in field.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            first, last = (int(x) for x in span.split("-", 1))
        else:
            first = last = int(span)
        if not (0 <= first <= 7 and 0 <= last <= 7 and first <= last and step > 0):
            raise ValueError(f"bad day of week {part!r}")
        days.update(day % 7 for day in range(first, last + 1, step))
    # Crontab day 0 is Sunday; APScheduler's index 0 is Monday.
    return ",".join(_WEEKDAYS[(day - 1) % 7] for day in sorted(days, key=lambda d: (d - 1) % 7))


def cron_trigger(settings: Settings) -> CronTrigger:
    """FIKIR_DIGEST_CRON read with crontab's meaning (weekday 1 is Monday), in FIKIR_TIMEZONE."""
    try:
        fields = settings.digest_cron.split()
        if len(fields) != 5:
            raise ValueError("a crontab line has five fields")
        minute, hour, day, month, weekday = fields
        return CronTrigger(
            minute=minute,
            hour=hour,
            day=day,
            month=month,
            day_of_week=_crontab_weekdays(weekday),
            timezone=settings.timezone,
        )
    except ValueError as exc:
        raise ValueError(
            f"FIKIR_DIGEST_CRON={settings.digest_cron!r} is not a crontab line such as '0 9 1 * *'"
        ) from exc


def runtime_key(settings: Settings) -> str:
    return hashlib.sha256(settings.effective_database_url.encode()).hexdigest()[:16]


async def digest_job(runtime: Runtime, now: datetime) -> None:
    """Send the last complete month's digest to everyone who has not had it (a plain job)."""
    month = last_complete_month(now, runtime.settings.timezone)
    report = await send_digest(runtime, month, now)
    for line in report.lines():
        log.info("%s", line)
    if report.failed:
        raise DigestRunError(f"{len(report.failed)} digest deliveries failed for {month}")


async def run_digest(runtime: Runtime, now: datetime) -> bool:
    """The digest job for the month before `now`, unless another instance claimed that month.

    Like fikir.jobs.scheduler.run_guarded (which this mirrors so the digest package stays below the
    service layer): a failed run gives its claim back so that the next trigger tries again.
    """
    period = str(last_complete_month(now, runtime.settings.timezone))
    if not await claim(runtime.sessions, JOB, period, runtime.instance):
        log.info("digest for %s already taken by another instance; skipping", period)
        return False
    try:
        await digest_job(runtime, now)
    except Exception:
        log.exception("digest for %s failed; it will be retried within the hour", period)
        await release(runtime.sessions, JOB, period)
        return False
    await finish(runtime.sessions, JOB, period)
    return True


def due_at(settings: Settings, now: datetime) -> datetime | None:
    """The cron's first fire time in the current local month, if that month has one."""
    this_month = Month.of(now, settings.timezone)
    start = this_month.start(settings.timezone)
    fire: datetime | None = cron_trigger(settings).get_next_fire_time(None, start)
    if fire is None or Month.of(fire, settings.timezone) != this_month:
        return None
    return fire


async def catch_up(runtime: Runtime, now: datetime) -> bool:
    """Run the digest if this month's fire time has passed and its month has no run yet."""
    fire = due_at(runtime.settings, now)
    if fire is None or fire > now:
        return False
    period = str(last_complete_month(now, runtime.settings.timezone))
    async with runtime.sessions() as session:
        taken = (
            await session.exec(
                select_models(JobRun.id).where(JobRun.job == JOB, JobRun.period == period)
            )
        ).first()
    if taken is not None:
        return False
    return await run_digest(runtime, now)


async def digest_tick(key: str) -> None:
    """What the persistent cron job calls (by reference); finds its runtime by `key`."""
    runtime = _RUNTIMES.get(key)
    if runtime is None:
        log.warning("digest trigger fired but this process has no runtime for it; skipped")
        return
    await run_digest(runtime, datetime.now(UTC))


async def digest_catch_up_tick(key: str) -> None:
    runtime = _RUNTIMES.get(key)
    if runtime is not None:
        await catch_up(runtime, datetime.now(UTC))


def stored_next_run(engine: Engine, job_id: str = JOB_ID) -> datetime | None:
    """The persisted next fire time of `job_id`, read before the scheduler overwrites it."""
    if not inspect(engine).has_table(JOBS_TABLE):
        return None
    jobs = table(JOBS_TABLE, column("id"), column("next_run_time"))
    with engine.connect() as connection:
        value = connection.execute(select(jobs.c.next_run_time).where(jobs.c.id == job_id)).scalar()
    return None if value is None else datetime.fromtimestamp(float(value), UTC)


def add_digest_job(scheduler: BaseScheduler, runtime: Runtime) -> None:
    """Register the digest on `scheduler` (call before it starts; fikir.jobs.scheduler does)."""
    settings = runtime.settings
    trigger = cron_trigger(settings)
    key = runtime_key(settings)
    _RUNTIMES[key] = runtime
    engine = create_sync_db_engine(settings.effective_database_url)
    now = datetime.now(UTC)
    # Re-adding a job with replace_existing would move its next run into the future and lose a
    # fire time missed while the service was down; keep a past one so it runs on start.
    missed = stored_next_run(engine)
    next_run = missed if missed is not None and missed <= now else undefined
    if missed is not None and missed <= now:
        log.info("the digest due at %s was missed while fikir was down; running it now", missed)
    scheduler.add_jobstore(SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE), JOBSTORE)
    scheduler.add_job(
        digest_tick,
        trigger,
        args=[key],
        id=JOB_ID,
        name="monthly SDG digest",
        jobstore=JOBSTORE,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(MISFIRE_GRACE.total_seconds()),
        next_run_time=next_run,
    )
    scheduler.add_job(
        digest_catch_up_tick,
        "interval",
        args=[key],
        id=CATCH_UP_ID,
        seconds=int(CATCH_UP_EVERY.total_seconds()),
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        next_run_time=now + timedelta(minutes=5),
    )
