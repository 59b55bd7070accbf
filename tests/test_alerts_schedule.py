"""The alert jobs are on the service's scheduler: immediate every minute, daily at
FIKIR_ALERT_DAILY_HOUR local time, and each period runs on one instance only."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fikir.jobs.alerts import daily_job
from fikir.jobs.scheduler import build_scheduler, run_guarded
from fikir.runtime import build_runtime
from tests.conftest import make_settings


async def test_alert_jobs_are_scheduled_and_guarded(tmp_path: Path, sqlite_url: str) -> None:
    settings = make_settings(tmp_path, sqlite_url, alert_daily_hour=7, timezone="Asia/Baku")
    runtime = build_runtime(settings)
    try:
        scheduler = build_scheduler(runtime)
        scheduler.start(paused=True)
        try:
            daily = scheduler.get_job("alerts-daily")
            assert scheduler.get_job("alerts") is not None and daily is not None
            assert scheduler.get_job("alerts-daily-catch-up") is not None
            fire = daily.trigger.get_next_fire_time(None, datetime(2026, 12, 7, 12, tzinfo=UTC))
            assert fire.astimezone(ZoneInfo("Asia/Baku")).hour == 7
        finally:
            scheduler.shutdown(wait=False)
        now = datetime(2026, 12, 7, 3, tzinfo=UTC)
        assert await run_guarded(runtime, "alerts-daily", "2026-12-07", daily_job, now)
        # A second instance (or a second trigger) on the same day does nothing.
        assert not await run_guarded(runtime, "alerts-daily", "2026-12-07", daily_job, now)
    finally:
        await runtime.close()
