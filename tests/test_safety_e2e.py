"""Acceptance: a safety message on Telegram (webhook, loopback Bot API) and on SMS (signed Twilio
webhook) gets referral contacts at once in the writer's language, enters the safety queue, and a
reprisal alerts the duty officer by Telegram and e-mail (loopback SMTP) with neither the
message's text nor anything that leads to its writer."""

from __future__ import annotations

import asyncio
import time
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest
import pytest_asyncio
import uvicorn
from sqlmodel import col, select

from fikir.bot.staff import staff_pseudonym
from fikir.config.referrals import cached_referrals, shipped_text
from fikir.dialog import prompts as p
from fikir.dialog.safety import SAFETY_HELP, SMS_SAFETY_HELP, referral_text
from fikir.i18n import translate
from fikir.outbox.segments import count_segments
from fikir.runtime import Runtime, build_runtime
from fikir.safety.duty import DUTY_SUBJECT
from fikir.storage.migrate import upgrade
from fikir.storage.models import Contact, Feedback, StaffUser
from fikir.storage.safety_tables import FeedbackSafety, SafetyCase
from fikir.web.app import create_app
from tests.conftest import free_port, make_settings
from tests.fakes.telegram_server import FakeTelegram, FakeUser, SentMessage
from tests.fakes.twilio_server import FakeTwilio
from tests.test_digest_delivery import Mailbox, start_mailbox

pytestmark = pytest.mark.asyncio(loop_scope="module")

SECRET = "safety-webhook-Secret_0123"
SEVDA = FakeUser(7712345678, "Sevda", "Quliyeva", "sevda_quliyeva_88", "az")
DUTY_CHAT = 7799000111
DUTY_EMAIL = "duty@un.example.org"
SMS_NUMBER = "+994557001122"
AZ_REPRISAL = "Bu barədə sizə yazdığım üçün bələdiyyə sədri məni hədələdi, işdən çıxaracağını dedi"
RU_REPRISAL = "После того как я написал вам, глава администрации угрожал уволить меня за жалобу"
SMS_PATH = "/webhooks/twilio/sms"


@dataclass
class Stack:
    fake: FakeTelegram
    twilio: FakeTwilio
    mailbox: Mailbox
    runtime: Runtime
    url: str
    client: httpx.AsyncClient

    async def post(self, update: dict[str, object]) -> None:
        assert await self.fake.deliver(update, secret=SECRET) == 200

    async def sms(self, body: str) -> list[str]:
        params = self.twilio.inbound_params(SMS_NUMBER, body)
        response = await self.twilio.post_webhook(
            self.client, self.url + SMS_PATH, self.url + SMS_PATH, params
        )
        assert response.status_code == 200, response.text
        root = ET.fromstring(response.text)  # noqa: S314 - our own service's answer
        return [m.text or "" for m in root.iter("Message")]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    tmp = tmp_path_factory.mktemp("safety-e2e")
    url = f"sqlite:///{tmp / 'fikir.db'}"
    upgrade(url)
    fake = FakeTelegram()
    await fake.start()
    mailbox, controller = await start_mailbox()
    async with FakeTwilio() as twilio:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        settings = make_settings(
            tmp, url, port=port, public_url=base,
            telegram_token=fake.token, telegram_api_url=fake.url,
            telegram_webhook_url=f"{base}/webhooks/telegram", telegram_webhook_secret=SECRET,
            twilio_account_sid=twilio.account_sid, twilio_auth_token=twilio.auth_token,
            twilio_from="FIKIR", twilio_api_url=twilio.url,
            smtp_url=mailbox.url, duty_emails=DUTY_EMAIL,
        )  # fmt: skip
        runtime = build_runtime(settings)
        await _duty_officer(runtime)
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(settings, runtime),
                host="127.0.0.1",
                port=port,
                log_config=None,
                access_log=False,
                lifespan="on",
            )  # fmt: skip
        )
        serving = asyncio.create_task(server.serve())
        try:
            await fake.wait_for(lambda: server.started and fake.webhook is not None, 30, "startup")
            async with httpx.AsyncClient(timeout=30) as client:
                yield Stack(fake, twilio, mailbox, runtime, base, client)
        finally:
            server.should_exit = True
            await asyncio.wait_for(serving, 30)
            await runtime.close()
            await fake.stop()
            await asyncio.to_thread(controller.stop)


async def _duty_officer(runtime: Runtime) -> None:
    """An analyst on duty whose Telegram chat is linked (as `/staff CODE` would link it)."""
    pseudonym = staff_pseudonym(runtime.services, DUTY_CHAT)
    async with runtime.sessions() as session, session.begin():
        session.add(
            StaffUser(name="leyla.duty", role="analyst", language="en", duty=True,
                      telegram_pseudonym=pseudonym)
        )  # fmt: skip
        session.add(
            Contact(
                pseudonym=pseudonym,
                channel="telegram",
                address_enc=runtime.services.vault.seal(str(DUTY_CHAT)),
                created_at=datetime.now(UTC),
            )
        )


def _expected_referral(lang: str, *, sms: bool) -> str:
    services = cached_referrals(shipped_text()).for_writer(lang, None, ("reprisal",))
    return referral_text(lang, services, sms=sms)


async def _wait(predicate: object, what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


async def _cases(runtime: Runtime) -> list[tuple[SafetyCase, Feedback, list[str]]]:
    async with runtime.sessions() as session:
        rows = (
            await session.exec(
                select(SafetyCase, Feedback)
                .join(Feedback, col(Feedback.id) == col(SafetyCase.feedback_id))
                .order_by(col(SafetyCase.id))
            )
        ).all()
        found = []
        for case, feedback in rows:
            cats = (
                await session.exec(
                    select(FeedbackSafety.category).where(FeedbackSafety.feedback_id == feedback.id)
                )
            ).all()
            found.append((case, feedback, list(cats)))
        return found


def _alert_is_clean(text: str, message: str) -> None:
    """No text of the message, no chat id, name, username, phone number or pseudonym."""
    for leak in (
        *message.split()[2:6], str(SEVDA.id), SEVDA.first_name, str(SEVDA.username),
        SMS_NUMBER, SMS_NUMBER[4:],
    ):  # fmt: skip
        assert leak not in text, leak


async def _press(stack: Stack, user: FakeUser, data: str, count: int) -> list[SentMessage]:
    before = len(stack.fake.to_chat(user.id))
    last = next(m for m in reversed(stack.fake.to_chat(user.id)) if m.buttons)
    await stack.post(stack.fake.callback_update(user, last, data))
    return (await stack.fake.replies(user.id, before + count, timeout=20))[before:]


async def test_telegram_referral_queue_and_duty_alert(stack: Stack) -> None:
    fake = stack.fake
    await stack.post(fake.text_update(SEVDA, "/start"))
    await fake.replies(SEVDA.id, 1, timeout=20)
    await _press(stack, SEVDA, "lang:az", 1)
    await _press(stack, SEVDA, "consent:yes", 2)  # intro and the region question
    before = len(fake.to_chat(SEVDA.id))
    await stack.post(fake.text_update(SEVDA, AZ_REPRISAL))
    replies = (await fake.replies(SEVDA.id, before + 2, timeout=20))[before:]
    # First the referral, in Azerbaijani, then the usual thanks with its reference.
    assert replies[0].text == _expected_referral("az", sms=False)
    assert replies[0].text.startswith(translate("az", SAFETY_HELP).split("{")[0])
    assert translate("az", SAFETY_HELP) != SAFETY_HELP  # really Azerbaijani, not the msgid
    assert "112" in replies[0].text and "102" in replies[0].text
    assert replies[1].text.startswith(translate("az", p.THANKS).split("{")[0])

    [(case, feedback, categories)] = await _cases(stack.runtime)
    assert categories == ["reprisal"] and case.status == "new"
    assert feedback.language == "az" and feedback.channel == "telegram"

    # The duty officer hears of it at once, in Telegram and by e-mail: a link, no text.
    await fake.replies(DUTY_CHAT, 1, timeout=20)
    [alert] = fake.to_chat(DUTY_CHAT)
    assert f"/admin/safety/{case.id}" in alert.text and "Reprisal for taking part" in alert.text
    _alert_is_clean(alert.text, AZ_REPRISAL)
    await _wait(lambda: stack.mailbox.to(DUTY_EMAIL), "the duty e-mail")
    [mail] = stack.mailbox.to(DUTY_EMAIL)
    assert mail["Subject"] == translate("en", DUTY_SUBJECT)
    body = mail.get_content()
    assert f"{stack.url}/admin/safety/{case.id}" in body
    _alert_is_clean(body + str(mail), AZ_REPRISAL)
    assert feedback.ref_code not in body and feedback.ref_code not in alert.text

    # Nor is it ever on the public page.
    page = (await stack.client.get(stack.url + "/results")).text
    assert AZ_REPRISAL[:30] not in page


async def test_sms_referral_fits_two_parts_in_the_writers_language(stack: Stack) -> None:
    assert any("ПОДПИСКА" in body or body for body in await stack.sms("ПОДПИСКА"))
    await stack.sms("да")
    bodies = await stack.sms(RU_REPRISAL)
    assert len(bodies) >= 2, bodies
    referral, thanks = bodies[0], bodies[1]
    assert referral == _expected_referral("ru", sms=True)
    assert referral.startswith(translate("ru", SMS_SAFETY_HELP).split("{")[0])
    assert count_segments(referral).segments <= 2
    assert thanks.startswith(translate("ru", p.SMS_THANKS).split("{")[0])
    assert count_segments(thanks).segments == 1

    cases = await _cases(stack.runtime)
    case, feedback, categories = cases[-1]
    assert categories == ["reprisal"] and feedback.channel.startswith("sms")
    # A second alert, for the second case, in both ways.
    await _wait(lambda: len(stack.fake.to_chat(DUTY_CHAT)) == 2, "the second Telegram alert")
    alert = stack.fake.to_chat(DUTY_CHAT)[-1]
    assert f"/admin/safety/{case.id}" in alert.text
    _alert_is_clean(alert.text, RU_REPRISAL)
    await _wait(lambda: len(stack.mailbox.to(DUTY_EMAIL)) == 2, "the second duty e-mail")
    _alert_is_clean(str(stack.mailbox.to(DUTY_EMAIL)[-1]), RU_REPRISAL)
