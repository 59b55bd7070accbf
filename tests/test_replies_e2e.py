"""Acceptance: anonymous reply threads through the real `fikir run`, on Telegram and on SMS.

A writer messages the loopback Bot API (or Twilio); a member of staff signs in to the running
dashboard and replies; the reply reaches exactly that writer through their own channel; the
writer answers by simply writing back, and the answer shows in the thread. STOP stops delivery,
/forget erases the thread, and no table or log holds an address.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from fikir.dialog import prompts as p
from fikir.dialog.feedback import display_code
from fikir.dialog.flows.thread import SMS_THREAD_THANKS, THREAD_THANKS
from fikir.dialog.threads import REPLY_CHAT, REPLY_SMS
from fikir.i18n import translate
from fikir.outbox.segments import count_segments
from fikir.staff.accounts import add_staff
from fikir.storage.engine import create_async_db_engine, make_sessionmaker
from fikir.storage.migrate import upgrade
from tests.conftest import free_port
from tests.fakes.fikir_process import FikirProcess, personal_data_found, settle, table_rows
from tests.fakes.telegram_server import FakeTelegram, FakeUser
from tests.fakes.twilio_server import FakeTwilio
from tests.test_sms_service import ServiceProcess, service_env, twiml_bodies
from tests.test_web_helpers import PASSWORD, password_hash

pytestmark = pytest.mark.asyncio(loop_scope="module")

AYTAN = FakeUser(7612345678, "Aytən", "Quliyeva", "aytan_q_lenkoran", "ru")
SAMIR = FakeUser(7623456789, "Samir", "Hüseynov", "samir_huseynov_88", "ru")
KAMALA = FakeUser(7634567890, "Kamala", "Rzayeva", "kamala_rz", "ru")
WATER = "В нашем селе третью неделю нет питьевой воды, дети болеют"
STAFF_TEXT = "Спасибо. Мы передали ваш вопрос в водоканал района и ждём ответа до пятницы."
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
NONCE = re.compile(r'name="nonce" value="([^"]+)"')


async def add_analyst(database_url: str) -> None:
    db = create_async_db_engine(database_url)
    try:
        async with make_sessionmaker(db)() as session, session.begin():
            user, _ = await add_staff(session, "ana", "analyst", "en", datetime.now(UTC))
            user.password_hash = password_hash()
            session.add(user)
    finally:
        await db.dispose()


async def signed_in(base: str) -> httpx.AsyncClient:
    """A staff browser on the running service, signed in as the analyst."""
    client = httpx.AsyncClient(base_url=base, timeout=30)
    page = (await client.get("/admin/login")).text
    token = TOKEN.search(page)
    assert token
    data = {"name": "ana", "password": PASSWORD, "csrf_token": token.group(1)}
    response = await client.post("/admin/login", data=data)
    assert response.status_code == 303, response.text[:300]
    return client


async def reply_form(client: httpx.AsyncClient, feedback_id: int) -> dict[str, str]:
    """The hidden fields of the reply form on the message page."""
    page = (await client.get(f"/admin/feedback/{feedback_id}")).text
    token, nonce = TOKEN.search(page), NONCE.search(page)
    assert token and nonce, "the page has a reply form"
    return {"csrf_token": token.group(1), "nonce": nonce.group(1), "action": "send"}


async def reply(
    client: httpx.AsyncClient,
    feedback_id: int,
    text: str,
    form: dict[str, str] | None = None,
    **extra: str,
) -> httpx.Response:
    """Fill in the reply form on the message page, as a browser would, and send it."""
    data = (form or await reply_form(client, feedback_id)) | {"text": text} | extra
    return await client.post(f"/admin/feedback/{feedback_id}/reply", data=data)


def feedback_of(database: Path, code_in: str) -> dict[str, object]:
    """The stored message whose reference the writer was told (in `code_in`)."""
    code = re.search(r"\b([A-Z0-9]{3})-([A-Z0-9]{3})\b", code_in)
    assert code, code_in
    ref = code.group(1) + code.group(2)
    [row] = [row for row in table_rows(database, "feedback") if row["ref_code"] == ref]
    return row


# Telegram -------------------------------------------------------------------------------------
@dataclass
class Bot:
    fake: FakeTelegram
    process: FikirProcess
    written: dict[int, dict[str, object]] = field(default_factory=dict)

    @property
    def database(self) -> Path:
        return self.process.data_dir / "fikir.db"

    async def say(self, user: FakeUser, text: str, expect: int = 1) -> list[str]:
        before = len(self.fake.to_chat(user.id))
        self.fake.say(user, text)
        return [m.text for m in (await self.fake.replies(user.id, before + expect, 20))[before:]]

    async def press(self, user: FakeUser, data: str, expect: int = 1) -> list[str]:
        before = len(self.fake.to_chat(user.id))
        self.fake.queue(self.fake.callback_update(user, None, data))
        return [m.text for m in (await self.fake.replies(user.id, before + expect, 20))[before:]]

    async def writer(self, user: FakeUser) -> dict[str, object]:
        """Onboard in Russian, leave one message, skip its topic; the stored message."""
        await self.say(user, "/start")
        await self.press(user, "lang:ru")
        await self.press(user, "consent:yes", expect=2)
        await self.press(user, "region:baku")
        await self.press(user, "age:skip")
        await self.press(user, "gender:skip")
        thanks = await self.say(user, WATER)
        await settle(self.fake, self.database)  # the topic question may follow the thanks
        await self.say(user, "/menu")
        await settle(self.fake, self.database)
        self.written[user.id] = feedback_of(self.database, thanks[0])
        return self.written[user.id]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Bot]:
    fake = FakeTelegram()
    await fake.start()
    process = FikirProcess(
        tmp_path_factory.mktemp("replies-telegram"),
        {"FIKIR_TELEGRAM_TOKEN": fake.token, "FIKIR_TELEGRAM_API_URL": fake.url},
    )
    try:
        await process.start()
        await fake.wait_for(lambda: bool(fake.calls_to("getUpdates")), 20, "polling")
        await add_analyst(process.database_url)
        yield Bot(fake, process)
    finally:
        await process.stop()
        await fake.stop()


async def test_telegram_reply_reaches_that_writer_and_the_answer_returns(bot: Bot) -> None:
    written = await bot.writer(AYTAN)
    await bot.writer(SAMIR)
    feedback_id = int(str(written["id"]))
    staff = await signed_in(bot.process.url)
    try:
        before = {user.id: len(bot.fake.to_chat(user.id)) for user in (AYTAN, SAMIR)}
        response = await reply(staff, feedback_id, STAFF_TEXT)
        assert response.status_code == 303
        code = display_code(str(written["ref_code"]))
        expected = translate("ru", REPLY_CHAT, code=code, text=STAFF_TEXT)
        [delivered] = (await bot.fake.replies(AYTAN.id, before[AYTAN.id] + 1, 20))[
            before[AYTAN.id] :
        ]
        assert delivered.text == expected and delivered.buttons == []
        await settle(bot.fake, bot.database)
        assert len(bot.fake.to_chat(SAMIR.id)) == before[SAMIR.id]  # nobody else got it
        [queued] = [r for r in table_rows(bot.database, "outbox_message") if r["kind"] == "thread"]
        assert queued["status"] == "sent" and queued["address_enc"] is None

        # The writer simply writes back: thanked, and the answer is in the thread.
        [thanks] = await bot.say(AYTAN, "Спасибо, что ответили! Воды всё ещё нет.")
        answer = feedback_of(bot.database, thanks)
        assert thanks == translate("ru", THREAD_THANKS, code=display_code(str(answer["ref_code"])))
        assert "new answer" in (await staff.get("/admin/inbox")).text
        page = (await staff.get(f"/admin/feedback/{feedback_id}")).text
        assert "Team reply" in page and "Writer&#39;s answer" in page
        assert "Воды всё ещё нет." in page and "sent" in page
        thread = table_rows(bot.database, "thread_message")
        assert [(t["direction"], t["answer_feedback_id"]) for t in thread] == [
            ("staff", None),
            ("writer", answer["id"]),
        ]
    finally:
        await staff.aclose()


async def test_telegram_stop_stops_replies_and_forget_erases_the_thread(bot: Bot) -> None:
    staff = await signed_in(bot.process.url)
    try:
        # SAMIR wrote in the first test; after STOP nothing more can reach him.
        samir = int(str(bot.written[SAMIR.id]["id"]))
        opened = await reply_form(staff, samir)  # the page was open before he sent STOP
        await bot.say(SAMIR, "/stop")
        sent = len(bot.fake.to_chat(SAMIR.id))
        page = (await staff.get(f"/admin/feedback/{samir}")).text
        assert "asked to receive no more messages (STOP)" in page and 'name="text"' not in page
        refused = await reply(staff, samir, "Спасибо", opened)
        assert refused.status_code == 409
        await settle(bot.fake, bot.database)
        assert len(bot.fake.to_chat(SAMIR.id)) == sent

        written = await bot.writer(KAMALA)
        feedback_id = int(str(written["id"]))
        assert (await reply(staff, feedback_id, STAFF_TEXT)).status_code == 303
        await bot.fake.wait_for(
            lambda: STAFF_TEXT in bot.fake.to_chat(KAMALA.id)[-1].text, 20, "the reply"
        )
        await bot.say(KAMALA, "Хорошо, ждём")
        assert {t["feedback_id"] for t in table_rows(bot.database, "thread_message")} >= {
            feedback_id
        }
        await bot.say(KAMALA, "/forget")
        await bot.press(KAMALA, "forget:yes")
        assert feedback_id not in {
            t["feedback_id"] for t in table_rows(bot.database, "thread_message")
        }
        assert (await staff.get(f"/admin/feedback/{feedback_id}")).status_code == 404
    finally:
        await staff.aclose()


async def test_telegram_no_trace_of_any_writer(bot: Bot) -> None:
    await settle(bot.fake, bot.database)
    needles = set()
    for user in (AYTAN, SAMIR, KAMALA):
        needles |= {str(user.id), user.first_name, str(user.last_name), str(user.username)}
    found = personal_data_found(bot.process.database_files, bot.process.logs(), needles)
    assert found == []
    assert "Traceback" not in bot.process.logs()


# SMS ------------------------------------------------------------------------------------------
async def test_sms_reply_cost_first_answer_returns_and_stop_stops(tmp_path: Path) -> None:
    db_path = tmp_path / "fikir.db"
    url = f"sqlite:///{db_path}"
    upgrade(url)
    await add_analyst(url)
    writer, stopped = "+994507771122", "+994557771133"
    async with FakeTwilio() as twilio, httpx.AsyncClient(timeout=30) as client:
        port = free_port()
        env = service_env(tmp_path, url, port, twilio, None, 50.0)
        # Staff sign in over plain http on loopback: the public URL (what Twilio signs) is it.
        env["FIKIR_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
        svc = ServiceProcess(env, port, tmp_path / "svc.log")
        await svc.start()
        public = f"{svc.url}/webhooks/twilio/sms"

        async def text(sender: str, body: str) -> list[str]:
            params = twilio.inbound_params(sender, body)
            response = await twilio.post_webhook(
                client, f"{svc.url}/webhooks/twilio/sms", public, params
            )
            assert response.status_code == 200, response.text
            return twiml_bodies(response.text)

        staff = await signed_in(svc.url)
        try:
            for number in (writer, stopped):
                await text(number, "ПОДПИСКА")
                await text(number, "1")
            [thanks, *_] = await text(writer, WATER)
            written = feedback_of(db_path, thanks)
            feedback_id = int(str(written["id"]))
            body = translate(
                "ru", REPLY_SMS, code=display_code(str(written["ref_code"])), text=STAFF_TEXT
            )
            segments = count_segments(body).segments

            # The cost first: "send" from the form shows the parts and price, sends nothing.
            page = (await staff.get(f"/admin/feedback/{feedback_id}")).text
            assert "Show the cost" in page
            shown = await reply(staff, feedback_id, STAFF_TEXT)
            assert shown.status_code == 200
            cost = f"{segments * 0.05:.2f}"
            assert f"SMS parts: {segments} (UCS-2); estimated cost: {cost} USD." in shown.text
            assert twilio.to(writer) == []
            nonce = NONCE.search(shown.text)
            token = TOKEN.search(shown.text)
            assert nonce and token
            confirm = {
                "csrf_token": token.group(1),
                "nonce": nonce.group(1),
                "text": STAFF_TEXT,
                "action": "send",
                "segments": str(segments),
            }
            sent = await staff.post(f"/admin/feedback/{feedback_id}/reply", data=confirm)
            assert sent.status_code == 303
            for _ in range(200):
                if twilio.to(writer):
                    break
                await asyncio.sleep(0.05)
            [delivered] = twilio.to(writer)
            assert delivered.body == body
            assert twilio.to(stopped) == []

            # The writer answers by SMS: thanked in one part, the answer in the thread.
            [thanks] = await text(writer, "Спасибо, будем ждать воду")
            answer = feedback_of(db_path, thanks)
            code = display_code(str(answer["ref_code"]))
            assert thanks == translate("ru", SMS_THREAD_THANKS, code=code)
            page = (await staff.get(f"/admin/feedback/{feedback_id}")).text
            assert "будем ждать воду" in page

            # STOP: the other writer can no longer be reached.
            [stopped_thanks, *_] = await text(stopped, "Автобус к нам ходит раз в день")
            other = int(str(feedback_of(db_path, stopped_thanks)["id"]))
            opened = await reply_form(staff, other)
            assert await text(stopped, "СТОП") == [translate("ru", p.SMS_UNSUBSCRIBED)]
            refused = await reply(staff, other, "Спасибо", opened, segments="1")
            assert refused.status_code == 409
            assert twilio.to(stopped) == []
        finally:
            await staff.aclose()
            await svc.stop()
    needles = {writer, stopped, writer.lstrip("+"), stopped.lstrip("+"), writer[-9:], stopped[-9:]}
    logs = svc.log_text()
    files = [path for path in (db_path, db_path.with_name("fikir.db-wal")) if path.exists()]
    found = personal_data_found(files, logs, needles)
    assert found == [] and "Traceback" not in logs
