"""The digest's schedule: a persistent cron job whose missed run happens when fikir comes back."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlmodel import select

from fikir.digest.delivery import email_key
from fikir.digest.period import last_complete_month
from fikir.digest.schedule import (
    CATCH_UP_ID,
    JOB_ID,
    JOBSTORE,
    add_digest_job,
    cron_trigger,
    due_at,
    stored_next_run,
)
from fikir.runtime import build_runtime
from fikir.storage.engine import create_sync_db_engine
from fikir.storage.models import DigestDelivery
from tests.conftest import make_settings
from tests.test_digest_delivery import start_mailbox


def test_due_time_follows_the_cron_in_baku(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, f"sqlite:///{tmp_path / 'f.db'}")
    fire = due_at(settings, datetime(2026, 11, 20, tzinfo=UTC))
    assert fire == datetime(2026, 11, 1, 5, 0, tzinfo=UTC)  # 09:00 Asia/Baku is 05:00 UTC
    weekly = make_settings(tmp_path, f"sqlite:///{tmp_path / 'f.db'}", digest_cron="30 8 * * 1")
    assert due_at(weekly, datetime(2026, 11, 20, tzinfo=UTC)) == datetime(
        2026, 11, 2, 4, 30, tzinfo=UTC
    )
    weekdays = make_settings(tmp_path, "sqlite://", digest_cron="0 9 * * 0,5-6")
    fires = [due_at(weekdays, datetime(2026, 11, 30, tzinfo=UTC))]
    assert fires[0] is not None and fires[0].strftime("%a %H:%M") == "Sun 09:00"  # 1 Nov 2026
    trigger = cron_trigger(weekdays)
    moment = datetime(2026, 11, 2, tzinfo=UTC)
    names = []
    for _ in range(3):
        fired = trigger.get_next_fire_time(None, moment)
        assert fired is not None
        names.append(fired.strftime("%a"))
        moment = fired + timedelta(minutes=1)
    assert names == ["Fri", "Sat", "Sun"]
    with pytest.raises(ValueError, match="FIKIR_DIGEST_CRON"):
        cron_trigger(make_settings(tmp_path, "sqlite://", digest_cron="every month"))


async def test_a_run_missed_while_down_happens_on_restart(tmp_path: Path, sqlite_url: str) -> None:
    box, controller = await start_mailbox()
    settings = make_settings(
        tmp_path, sqlite_url, smtp_url=box.url, digest_emails="partner@example.org"
    )
    engine = create_sync_db_engine(sqlite_url)
    try:
        # First life: the job is stored with its next fire time (the 1st of next month).
        runtime = build_runtime(settings)
        scheduler = AsyncIOScheduler(timezone=settings.timezone)
        add_digest_job(scheduler, runtime)
        scheduler.start(paused=True)
        stored = stored_next_run(engine)
        assert stored is not None and stored > datetime.now(UTC)
        assert scheduler.get_job(CATCH_UP_ID) is not None
        # The service goes down; the fire time passes meanwhile (as if it was down on the 1st).
        missed = datetime.now(UTC) - timedelta(hours=3)
        scheduler.modify_job(JOB_ID, jobstore=JOBSTORE, next_run_time=missed)
        scheduler.shutdown(wait=False)
        await runtime.close()
        kept = stored_next_run(engine)
        assert kept is not None and abs(kept - missed) < timedelta(milliseconds=1)

        # Second life: the missed run happens at start, once, and the next one is in the future.
        runtime = build_runtime(settings)
        scheduler = AsyncIOScheduler(timezone=settings.timezone)
        add_digest_job(scheduler, runtime)
        scheduler.start()
        month = str(last_complete_month(datetime.now(UTC), settings.timezone))
        for _ in range(300):
            if box.received:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)
        scheduler.shutdown(wait=False)
        assert len(box.received) == 1
        async with runtime.sessions() as session:
            rows = (await session.exec(select(DigestDelivery))).all()
        assert [(r.month, r.recipient, r.status) for r in rows] == [
            (month, email_key("partner@example.org"), "sent")
        ]
        upcoming = stored_next_run(engine)
        assert upcoming is not None and upcoming > datetime.now(UTC)
        await runtime.close()

        # A third start with a future fire time stored runs nothing now.
        runtime = build_runtime(settings)
        scheduler = AsyncIOScheduler(timezone=settings.timezone)
        add_digest_job(scheduler, runtime)
        scheduler.start()
        await asyncio.sleep(0.5)
        scheduler.shutdown(wait=False)
        await runtime.close()
        assert len(box.received) == 1 and stored_next_run(engine) == upcoming
    finally:
        engine.dispose()
        await asyncio.to_thread(controller.stop)
