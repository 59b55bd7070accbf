"""Acceptance: webhook mode. The service (create_app under uvicorn, on loopback) registers its
webhook with a secret; posts without the right secret are refused and change nothing; a repeated
update_id changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
import uvicorn

from fikir.config.settings import Settings
from fikir.dialog import prompts as p
from fikir.runtime import Runtime, build_runtime
from fikir.storage.migrate import upgrade
from fikir.web.app import create_app
from tests.conftest import free_port, make_settings
from tests.fakes.fikir_process import outbox_busy, personal_data_found, snapshot
from tests.fakes.telegram_server import FakeTelegram, FakeUser
from tests.harness import spoken

pytestmark = pytest.mark.asyncio(loop_scope="module")

SECRET = "webhook-Secret_0123456789"
AYSEL = FakeUser(7612345678, "Aysel", "Rzayeva", "aysel_rzayeva_gnc", "az")
TARAS = FakeUser(7623456789, "Тарас", "Коваленко", "taras_kovalenko", "uk")
EVERYONE = (AYSEL, TARAS)


class LogCapture(logging.Handler):
    """Every log line the service writes while the module runs, as the operator would see it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@dataclass
class Webhooked:
    fake: FakeTelegram
    runtime: Runtime
    database: Path
    logs: LogCapture

    async def post(self, update: dict[str, object], secret: str | None = SECRET) -> int:
        return await self.fake.deliver(update, secret=secret)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def service(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Webhooked]:
    tmp = tmp_path_factory.mktemp("bot-webhook")
    database = tmp / "fikir.db"
    url = f"sqlite:///{database}"
    upgrade(url)
    fake = FakeTelegram()
    await fake.start()
    port = free_port()
    settings: Settings = make_settings(
        tmp,
        url,
        port=port,
        telegram_token=fake.token,
        telegram_api_url=fake.url,
        telegram_webhook_url=f"http://127.0.0.1:{port}/webhooks/telegram",
        telegram_webhook_secret=SECRET,
        log_level="DEBUG",
    )
    capture = LogCapture()
    root = logging.getLogger()
    root.addHandler(capture)
    level = root.level
    root.setLevel(logging.DEBUG)
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
        await fake.wait_for(lambda: server.started and fake.webhook is not None, 30, "startup")
        yield Webhooked(fake, runtime, database, capture)
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, 30)
        await runtime.close()
        await fake.stop()
        root.removeHandler(capture)
        root.setLevel(level)


async def test_the_webhook_is_registered_with_its_secret(service: Webhooked) -> None:
    fake = service.fake
    assert fake.webhook is not None
    assert fake.webhook["url"].endswith("/webhooks/telegram")
    assert fake.webhook["secret_token"] == SECRET
    assert fake.webhook["allowed_updates"] == ["message", "callback_query", "my_chat_member"]
    assert fake.calls_to("getUpdates") == [] and fake.calls_to("deleteWebhook") == []
    assert set(fake.commands) == {None, "az", "ru", "en", "ka", "uk"}


async def test_posts_without_the_right_secret_are_refused_and_change_nothing(
    service: Webhooked,
) -> None:
    fake = service.fake
    before = snapshot(service.database)
    update = fake.text_update(AYSEL, "/start")
    assert await service.post(update, secret=None) == 401
    assert await service.post(update, secret="wrong-secret") == 403
    assert await service.post(update, secret=SECRET[:-1]) == 403
    assert await service.post(update, secret=SECRET + "x") == 403
    await asyncio.sleep(1.2)
    assert snapshot(service.database) == before
    assert fake.to_chat(AYSEL.id) == []


async def test_an_update_is_answered_once_and_its_repeat_changes_nothing(
    service: Webhooked,
) -> None:
    fake = service.fake
    update = fake.text_update(AYSEL, "/start")
    assert await service.post(update) == 200
    [welcome] = await fake.replies(AYSEL.id, 1)
    assert welcome.text == spoken("az", p.WELCOME)
    await _drained(service)
    before = snapshot(service.database)
    for _ in range(3):
        assert await service.post(update) == 200
    await asyncio.sleep(1.5)
    assert snapshot(service.database) == before
    assert len(fake.to_chat(AYSEL.id)) == 1


async def test_buttons_work_through_the_webhook(service: Webhooked) -> None:
    fake = service.fake
    assert await service.post(fake.text_update(TARAS, "/start")) == 200
    [welcome] = await fake.replies(TARAS.id, 1)
    press = fake.callback_update(TARAS, welcome, welcome.data_for("Українська"))
    assert await service.post(press) == 200
    consent = (await fake.replies(TARAS.id, 2))[-1]
    assert consent.text == spoken("uk", p.CONSENT)
    assert welcome.keyboard_removed
    assert fake.answered == {press["callback_query"]["id"]: 1}
    press_again = await service.post(press)  # Telegram retrying a slow answer
    assert press_again == 200
    await _drained(service)
    assert len(fake.to_chat(TARAS.id)) == 2


async def test_garbage_with_the_right_secret_is_refused(service: Webhooked) -> None:
    before = snapshot(service.database)
    async with aiohttp.ClientSession() as session:
        url = str(service.fake.webhook["url"])  # type: ignore[index]
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with session.post(url, data=b"{not json", headers=headers) as response:
            assert response.status == 400
        async with session.post(url, json=[1, 2], headers=headers) as response:
            assert response.status == 400
    assert snapshot(service.database) == before


async def test_no_trace_of_any_user_in_tables_or_logs(service: Webhooked) -> None:
    await _drained(service)
    needles = set()
    for user in EVERYONE:
        needles |= {str(user.id), user.first_name, str(user.last_name), str(user.username)}
    files = sorted(service.database.parent.glob("fikir.db*"))
    found = personal_data_found(files, "\n".join(service.logs.lines), needles)
    assert found == []
    assert any("fikir.bot" in line for line in service.logs.lines)


async def _drained(service: Webhooked) -> None:
    await service.fake.wait_for(lambda: outbox_busy(service.database) == 0, 15, "the outbox")
