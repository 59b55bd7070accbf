"""Database down and spool unusable at once: no channel acknowledges a message it did not keep.

The service runs in-process under uvicorn on loopback, with Telegram (webhook), Twilio and the
Android gateway configured. "Down" is the SQLite file's directory moved away (an unmounted disk);
"unusable" is the spool's directory replaced by a file. Every webhook must then answer non-2xx so
that its platform retries; once both are back, the retried deliveries are stored exactly once.
Polling mode must not advance its offset past an update that was not kept.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import func
from sqlmodel import select

from fikir.bot.client import make_bot
from fikir.bot.polling import poll
from fikir.bot.processor import UpdateProcessor
from fikir.runtime import Runtime, build_runtime
from fikir.spool import InboundSpool
from fikir.storage.migrate import upgrade
from fikir.storage.models import ProcessedEvent
from fikir.web.app import create_app
from tests.conftest import TEST_SECRET, free_port, make_settings
from tests.fakes.smsgate_server import FakeSmsGate
from tests.fakes.telegram_server import FakeTelegram, FakeUser
from tests.fakes.twilio_server import FakeTwilio

SECRET = "webhook-Secret_0123456789"
PUBLIC_URL = "https://fikir.example.org"
LALA = FakeUser(7712345678, "Lalə", "Qasımova", "lala_q", "az")
MURAD = FakeUser(7723456789, "Murad", "Əhmədov", "murad_ah", "az")
PHONE = "+994501112233"


@dataclass
class Faults:
    """Switches for the two faults, both on by default in the tests below."""

    runtime: Runtime
    home: Path
    spool_dir: Path

    def database_down(self) -> None:
        self.home.rename(self.home.with_name("db-away"))

    def database_up(self) -> None:
        self.home.with_name("db-away").rename(self.home)

    def spool_unusable(self) -> None:
        # A file where the spool's directory should be: nothing can be written under it.
        shutil.rmtree(self.spool_dir, ignore_errors=True)
        self.spool_dir.write_text("not a directory")
        self.runtime.spool = InboundSpool(
            self.spool_dir, TEST_SECRET.encode(), self.runtime.metrics
        )

    def spool_usable(self) -> None:
        self.spool_dir.unlink()
        self.runtime.spool = InboundSpool(
            self.spool_dir, TEST_SECRET.encode(), self.runtime.metrics
        )

    async def both(self) -> None:
        await self.runtime.db.dispose()
        self.database_down()
        self.spool_unusable()

    async def neither(self) -> None:
        self.database_up()
        self.spool_usable()


async def events(runtime: Runtime) -> int:
    async with runtime.sessions() as session:
        return int((await session.exec(select(func.count()).select_from(ProcessedEvent))).one())


def _database(tmp: Path) -> tuple[Path, str]:
    home = tmp / "db"
    home.mkdir()
    url = f"sqlite:///{home / 'fikir.db'}"
    upgrade(url)
    return home, url


@pytest.fixture
async def webhooks(
    tmp_path: Path,
) -> AsyncIterator[tuple[Faults, FakeTelegram, FakeTwilio, FakeSmsGate, str]]:
    home, url = _database(tmp_path)
    fake = FakeTelegram()
    await fake.start()
    port = free_port()
    async with FakeTwilio() as twilio, FakeSmsGate() as gate:
        settings = make_settings(
            tmp_path,
            url,
            port=port,
            telegram_token=fake.token,
            telegram_api_url=fake.url,
            telegram_webhook_url=f"http://127.0.0.1:{port}/webhooks/telegram",
            telegram_webhook_secret=SECRET,
            twilio_account_sid=twilio.account_sid,
            twilio_auth_token=twilio.auth_token,
            twilio_from="+994125550000",
            twilio_api_url=twilio.url,
            public_url=PUBLIC_URL,
            smsgate_url=gate.url,
            smsgate_user=gate.user,
            smsgate_password=gate.password,
            smsgate_webhook_secret=gate.signing_key,
        )
        runtime = build_runtime(settings)
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(settings, runtime),
                host="127.0.0.1",
                port=port,
                log_config=None,
                access_log=False,
                lifespan="on",
            )
        )
        serving = asyncio.create_task(server.serve())
        try:
            await fake.wait_for(lambda: server.started and fake.webhook is not None, 30, "start")
            faults = Faults(runtime, home, tmp_path / "spool-here")
            yield faults, fake, twilio, gate, f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            await asyncio.wait_for(serving, 30)
            await runtime.close()
            await fake.stop()


async def test_no_webhook_acknowledges_what_neither_database_nor_spool_kept(
    webhooks: tuple[Faults, FakeTelegram, FakeTwilio, FakeSmsGate, str],
) -> None:
    faults, fake, twilio, gate, base = webhooks
    said = fake.text_update(LALA, "Salam, kənddə su yoxdur")
    pressed = fake.callback_update(MURAD, None, "lang:az")
    sms = twilio.inbound_params(PHONE, "Salam, yollar pisdir")
    phone_body = gate.received_event(PHONE, "Məktəbdə müəllim yoxdur")
    await faults.both()
    async with httpx.AsyncClient(timeout=30) as client:
        refused = {
            "telegram text": await fake.deliver(said, secret=SECRET),
            "telegram button": await fake.deliver(pressed, secret=SECRET),
            "twilio": (
                await twilio.post_webhook(
                    client, f"{base}/webhooks/twilio/sms", f"{PUBLIC_URL}/webhooks/twilio/sms", sms
                )
            ).status_code,
            "smsgate": (
                await gate.post_webhook(client, f"{base}/webhooks/smsgate", phone_body)
            ).status_code,
        }
        # Twilio's status is part of the contract (a 500 makes it try the fallback URL).
        assert refused["twilio"] == 500, refused
        assert all(status >= 500 for status in refused.values()), refused

        await faults.neither()
        # The platforms retry: now each is stored, once.
        assert await fake.deliver(said, secret=SECRET) == 200
        assert await fake.deliver(pressed, secret=SECRET) == 200
        assert (
            await twilio.post_webhook(
                client, f"{base}/webhooks/twilio/sms", f"{PUBLIC_URL}/webhooks/twilio/sms", sms
            )
        ).status_code == 200
        assert (
            await gate.post_webhook(client, f"{base}/webhooks/smsgate", phone_body)
        ).status_code == 204
    assert await events(faults.runtime) == 4
    assert fake.unanswered_callbacks() == set()


async def test_a_webhook_with_only_the_spool_still_acknowledges(
    webhooks: tuple[Faults, FakeTelegram, FakeTwilio, FakeSmsGate, str],
) -> None:
    faults, fake, _twilio, _gate, _base = webhooks
    await faults.runtime.db.dispose()
    faults.database_down()  # the spool is fine: the message is durable, so it is acknowledged
    assert await fake.deliver(fake.text_update(LALA, "Salam"), secret=SECRET) == 200
    assert await faults.runtime.spool.backlog() == 1


async def test_polling_does_not_acknowledge_an_update_it_could_not_keep(tmp_path: Path) -> None:
    home, url = _database(tmp_path)
    fake = FakeTelegram()
    await fake.start()
    settings = make_settings(tmp_path, url, telegram_token=fake.token, telegram_api_url=fake.url)
    runtime = build_runtime(settings)
    faults = Faults(runtime, home, tmp_path / "spool-here")
    bot = make_bot(settings)
    processor = UpdateProcessor(runtime, bot, lambda: None)
    stop = asyncio.Event()
    polling: asyncio.Task[None] | None = None
    try:
        first = fake.say(LALA, "Salam")
        await faults.both()
        polling = asyncio.create_task(poll(bot, processor, stop, timeout=1))
        # A first fetch that brings it, and two more after it failed to be kept.
        await fake.wait_for(lambda: len(fake.calls_to("getUpdates")) >= 3, 15, "fetches")
        assert fake.acknowledged <= int(first["update_id"]), "offset moved past a lost update"
        assert processor.processed == 0

        await faults.neither()
        second = fake.say(MURAD, "Salam")
        await fake.wait_for(fake.all_acknowledged, 30, "both acknowledged once kept")
        assert fake.acknowledged > int(second["update_id"])
        assert await events(runtime) == 2
    finally:
        stop.set()
        if polling is not None:
            await asyncio.wait_for(polling, 10)
        await bot.session.close()
        await runtime.close()
        await fake.stop()
