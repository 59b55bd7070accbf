"""The SMS channel end to end: `fikir run` as a subprocess, Twilio and the Android gateway as fakes.

Webhooks are signed the way each provider signs them; replies come back as TwiML (Twilio) or
arrive at the fake gateway through the outbox (Android phone). One service serves the module.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from sqlmodel import col, func, select

from fikir.dialog import prompts as p
from fikir.outbox.message import OutboundMessage
from fikir.outbox.queue import enqueue
from fikir.polls.manage import PollSpec, create_poll, set_status
from fikir.privacy.pseudonym import Pseudonymizer
from fikir.privacy.vault import Vault
from fikir.sms.audit import CONSENT_LIMIT, POLL_LIMIT, REPLY_LIMIT, prompt_lines
from fikir.sms.segments import count_segments, to_gsm7_azerbaijani
from fikir.storage.engine import SessionMaker, create_async_db_engine, make_sessionmaker
from fikir.storage.migrate import upgrade
from fikir.storage.models import (
    Contact,
    Feedback,
    OutboxMessage,
    PollAnswer,
    ProcessedEvent,
    Respondent,
)
from tests.conftest import TEST_SECRET, free_port
from tests.fakes.smsgate_server import FakeSmsGate
from tests.fakes.twilio_server import FakeTwilio
from tests.harness import spoken

pytestmark = pytest.mark.asyncio(loop_scope="module")

PUBLIC_URL = "https://fikir.example.org"  # what Twilio signs; the service sits behind a proxy
SMS_PATH = "/webhooks/twilio/sms"
STATUS_PATH = "/webhooks/twilio/status"
GATE_PATH = "/webhooks/smsgate"
FIKIR = Path(sys.executable).with_name("fikir")
PSEUDONYMS = Pseudonymizer(TEST_SECRET.encode())
VAULT = Vault(TEST_SECRET.encode())


# The service as a subprocess ---------------------------------------------------------------------
@dataclass
class ServiceProcess:
    """`fikir run` with its environment; started, killed and restarted by the tests."""

    env: dict[str, str]
    port: int
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, timeout: float = 90.0) -> None:
        command = (
            [str(FIKIR), "run"] if FIKIR.exists() else [sys.executable, "-m", "fikir.cli", "run"]
        )
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                command, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"fikir run exited early:\n{self.tail()}")
                try:
                    if (await client.get(f"{self.url}/healthz", timeout=1)).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
        raise TimeoutError(f"fikir run did not become healthy:\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, exactly like a crash or an OOM kill."""
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    async def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        for _ in range(100):
            if self.proc.poll() is not None:
                return
            await asyncio.sleep(0.1)
        self.kill()

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


def service_env(
    tmp: Path, url: str, port: int, twilio: FakeTwilio, gate: FakeSmsGate | None, rate: float
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FIKIR_", "TWILIO_"))}
    env.update(
        FIKIR_ENV="test",
        FIKIR_DATA_DIR=str(tmp / "var"),
        FIKIR_DATABASE_URL=url,
        FIKIR_SECRET_KEY=TEST_SECRET,
        FIKIR_HOST="127.0.0.1",
        FIKIR_PORT=str(port),
        FIKIR_PUBLIC_URL=PUBLIC_URL,
        FIKIR_SCHEDULER="false",
        FIKIR_SMS_RATE=str(rate),
        TWILIO_ACCOUNT_SID=twilio.account_sid,
        TWILIO_AUTH_TOKEN=twilio.auth_token,
        FIKIR_TWILIO_FROM="FIKIR",
        FIKIR_TWILIO_API_URL=twilio.url,
    )
    if gate is not None:
        env.update(
            FIKIR_SMSGATE_URL=gate.url,
            FIKIR_SMSGATE_USER=gate.user,
            FIKIR_SMSGATE_PASSWORD=gate.password,
            FIKIR_SMSGATE_WEBHOOK_SECRET=gate.signing_key,
        )
    return env


# The module's service -------------------------------------------------------------------------
@dataclass
class Stack:
    svc: ServiceProcess
    twilio: FakeTwilio
    gate: FakeSmsGate
    client: httpx.AsyncClient
    sessions: SessionMaker
    db_files: list[Path]
    numbers: list[str] = field(default_factory=list)

    async def twilio_sms(self, sender: str, body: str, limit: int = REPLY_LIMIT) -> list[str]:
        """Text the service through Twilio; the SMS bodies of its TwiML answer, each in budget."""
        self.numbers.append(sender)
        params = self.twilio.inbound_params(sender, body)
        response = await self.twilio.post_webhook(
            self.client, self.svc.url + SMS_PATH, PUBLIC_URL + SMS_PATH, params
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/xml")
        return within_budget(twiml_bodies(response.text), limit)

    async def gateway_sms(
        self, phone: str, e164: str, text: str, expect: int = 1, received_at: datetime | None = None
    ) -> list[str]:
        """Text the service through the Android phone; the replies the phone is asked to send."""
        self.numbers.append(e164)
        before = len(self.gate.to(e164))
        body = self.gate.received_event(phone, text, received_at)
        response = await self.gate.post_webhook(self.client, self.svc.url + GATE_PATH, body)
        assert response.status_code == 204, response.text
        return within_budget(await self.wait_gateway(e164, before, expect), REPLY_LIMIT)

    async def wait_gateway(self, e164: str, before: int, expect: int) -> list[str]:
        deadline = time.monotonic() + 10
        while len(self.gate.to(e164)) < before + expect and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.4)  # anything more than expected would show up now
        return self.gate.texts(e164)[before:]


def twiml_bodies(xml: str) -> list[str]:
    root = ET.fromstring(xml)  # noqa: S314 - our own service's answer
    assert root.tag == "Response"
    return [message.text or "" for message in root.iter("Message")]


CONSENTS = {line.text for line in prompt_lines() if line.name == "CONSENT_SMS"}


def within_budget(bodies: list[str], limit: int) -> list[str]:
    """The bodies, once each is checked to cost at most `limit` parts (a reply 1, a poll 2;
    the consent, said once, 2)."""
    for body in bodies:
        budget = max(limit, CONSENT_LIMIT) if body in CONSENTS else limit
        assert count_segments(body).segments <= budget, body
    return bodies


def says(bodies: list[str], lang: str, msgid: str, *, sms: bool = True) -> bool:
    """True when a body starts like `msgid` in `lang` (in either spelling of Azerbaijani).

    As tests/harness.py does, a chat prompt stands for the short text SMS sends instead.
    """
    if sms and p.SMS_VARIANTS.get(msgid):
        msgid = p.SMS_VARIANTS[msgid] or msgid
    head = spoken(lang, msgid).split("{")[0][:40]
    return any(head in body or to_gsm7_azerbaijani(head) in body for body in bodies)


def pseudonym(e164: str) -> str:
    return PSEUDONYMS.pseudonym("sms", e164)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    tmp = tmp_path_factory.mktemp("sms-service")
    db_path = tmp / "fikir.db"
    url = f"sqlite:///{db_path}"
    upgrade(url)
    async with FakeTwilio(callbacks=True) as twilio, FakeSmsGate() as gate:
        port = free_port()
        twilio.callback_rewrite = (PUBLIC_URL, f"http://127.0.0.1:{port}")
        svc = ServiceProcess(
            service_env(tmp, url, port, twilio, gate, rate=50.0), port, tmp / "service.log"
        )
        await svc.start()
        db = create_async_db_engine(url)
        try:
            async with httpx.AsyncClient(timeout=30) as client:
                yield Stack(
                    svc,
                    twilio,
                    gate,
                    client,
                    make_sessionmaker(db),
                    [db_path, db_path.with_name("fikir.db-wal")],
                )
        finally:
            await svc.stop()
            await db.dispose()


async def count(stack: Stack, model: type, *where: object) -> int:
    async with stack.sessions() as session:
        query = select(func.count()).select_from(model)
        for condition in where:
            query = query.where(condition)  # type: ignore[arg-type]
        return int((await session.exec(query)).one())


async def respondent(stack: Stack, e164: str) -> Respondent | None:
    async with stack.sessions() as session:
        return (
            await session.exec(select(Respondent).where(Respondent.pseudonym == pseudonym(e164)))
        ).first()


# Conversations ----------------------------------------------------------------------------------
async def test_subscribe_in_azerbaijani_onboarding_and_feedback_over_twilio(stack: Stack) -> None:
    number = "+994501110001"
    bodies = await stack.twilio_sms(number, "QOŞUL")
    assert says(bodies, "az", p.CONSENT_SMS), bodies  # answered in the language it came in
    assert await count(stack, Contact, Contact.pseudonym == pseudonym(number)) == 0

    bodies = await stack.twilio_sms(number, "1")
    # One SMS: the district question says "subscribed"; no separate intro or confirmation.
    assert len(bodies) == 1 and says(bodies, "az", p.ASK_REGION), bodies
    assert not says(bodies, "az", p.PROFILE_INTRO, sms=False)
    assert not says(bodies, "az", p.SUBSCRIBED) and not says(bodies, "az", p.SUBSCRIBED, sms=False)
    bodies = await stack.twilio_sms(number, "Lerik")  # a district of Lənkəran-Astara, typed
    assert says(bodies, "az", p.ASK_AGE), bodies
    bodies = await stack.twilio_sms(number, "55+")  # the band as shown, typed
    assert says(bodies, "az", p.ASK_GENDER), bodies
    bodies = await stack.twilio_sms(number, "kec")  # "Keç" typed without its ç
    assert says(bodies, "az", p.HELP_SMS), bodies

    bodies = await stack.twilio_sms(
        number, "Kendimizde 3 gundur su yoxdur, usaqlar mektebe gede bilmir"
    )
    assert says(bodies, "az", p.THANKS), bodies
    person = await respondent(stack, number)
    assert person is not None and person.language == "az" and person.subscribed
    assert person.region == "lankaran_astara" and person.age_band == "55_plus"
    async with stack.sessions() as session:
        contact = (
            await session.exec(select(Contact).where(Contact.pseudonym == pseudonym(number)))
        ).one()
        feedback = (
            await session.exec(select(Feedback).where(Feedback.respondent_id == person.id))
        ).one()
    assert VAULT.open(contact.address_enc) == number  # only in the vault, encrypted
    assert feedback.channel == "sms" and feedback.region == "lankaran_astara"
    assert feedback.ref_code.replace("-", "") in bodies[0].replace("-", "")


async def test_subscribe_in_russian_through_the_android_gateway(stack: Stack) -> None:
    local, number = "055 765 43 21", "+994557654321"  # the phone reports numbers its own way
    replies = await stack.gateway_sms(local, number, "ПОДПИСКА")
    assert len(replies) == 1 and says(replies, "ru", p.CONSENT_SMS), replies
    replies = await stack.gateway_sms(local, number, "да")
    assert len(replies) == 1 and says(replies, "ru", p.ASK_REGION), replies
    # Replies to the phone go back through the phone, never through Twilio.
    assert stack.twilio.to(number) == []
    # A sentence instead of a district is kept as feedback, and the question asked again.
    replies = await stack.gateway_sms(
        local, number, "Автобус в наш посёлок ходит раз в день", expect=2
    )
    assert says(replies, "ru", p.THANKS) and says(replies, "ru", p.ASK_REGION), replies
    for answer, question in (("Баку", p.ASK_AGE), ("2", p.ASK_GENDER), ("пропустить", p.HELP_SMS)):
        replies = await stack.gateway_sms(local, number, answer)
        assert says(replies, "ru", question), (answer, replies)
    replies = await stack.gateway_sms(local, number, "ПОМОЩЬ")
    assert says(replies, "ru", p.HELP_SMS), replies
    replies = await stack.gateway_sms(
        local, number, "В нашем селе уже неделю нет газа, дети мёрзнут"
    )
    assert says(replies, "ru", p.THANKS), replies
    person = await respondent(stack, number)
    assert person is not None and person.language == "ru" and person.subscribed
    assert person.region == "baku" and person.age_band == "18_24" and person.gender is None


async def test_gateway_redelivery_is_recognised_without_trusting_message_id(stack: Stack) -> None:
    local, number = "+994 70 222 33 44", "+994702223344"
    await stack.gateway_sms(local, number, "Здравствуйте")
    moment = datetime.now(UTC)
    first = await stack.gateway_sms(local, number, "ПОМОЩЬ", received_at=moment)
    assert len(first) == 1
    # The phone retries the same webhook (same content, same receivedAt): nothing new happens.
    again = await stack.gateway_sms(local, number, "ПОМОЩЬ", expect=0, received_at=moment)
    assert again == []
    # The same words sent again a minute later are a new message (messageId would collide).
    later = await stack.gateway_sms(
        local, number, "ПОМОЩЬ", received_at=moment + timedelta(minutes=1)
    )
    assert len(later) == 1


async def test_a_poll_answered_in_several_reply_styles(stack: Stack) -> None:
    spec = PollSpec(
        slug="village-problem",
        question={
            "az": "Kəndinizdə ən böyük problem nədir?",
            "ru": "Какая самая большая проблема в вашем селе?",
            "en": "What is the biggest problem in your village?",
            "tly": "Şıə dıhədə ən pilə problem çiçe?",
            "lez": "Квен хуьре виридалайни чӀехи месэла вуч я?",
            "ka": "რა არის თქვენს სოფელში ყველაზე დიდი პრობლემა?",
            "uk": "Яка найбільша проблема у вашому селі?",
        },
        options=(
            {
                "az": "Su",
                "ru": "Вода",
                "en": "Water",
                "tly": "Ов",
                "lez": "Яд",
                "ka": "წყალი",
                "uk": "Вода",
            },
            {
                "az": "Yollar",
                "ru": "Дороги",
                "en": "Roads",
                "tly": "Rohon",
                "lez": "Рекьер",
                "ka": "გზები",
                "uk": "Дороги",
            },
            {
                "az": "İş yerləri",
                "ru": "Работа",
                "en": "Jobs",
                "tly": "Kor",
                "lez": "Кӏвалах",
                "ka": "სამუშაო",
                "uk": "Робота",
            },
        ),
    )
    async with stack.sessions() as session, session.begin():
        poll = await create_poll(session, spec)
        await set_status(session, spec.slug, "open", datetime.now(UTC))
    poll_id = poll.id
    # (first message, poll keyword, answer, expected option, language)
    people = [
        ("+994501230001", "Salam", "sorğu", "2", 1, "az"),
        ("+994501230002", "Salam", "SORGU", "yollar", 1, "az"),
        ("+994501230003", "Salam", "sorgu", "is yerleri", 2, "az"),
        ("+994501230004", "Здравствуйте", "опрос", "3)", 2, "ru"),
        ("+994501230005", "Здравствуйте", "ОПРОС", "вода", 0, "ru"),
        ("+994501230006", "Salam", "sorğu", "ikinci", 1, "az"),
    ]
    for number, hello, keyword, answer, _, lang in people:
        bodies = await stack.twilio_sms(number, hello)
        assert says(bodies, lang, p.CONSENT_SMS), bodies
        await stack.twilio_sms(number, "1")
        bodies = await stack.twilio_sms(number, keyword, POLL_LIMIT)
        assert any(to_gsm7_azerbaijani(spec.question[lang]) in body for body in bodies), bodies
        assert any("1 " in body and "3 " in body for body in bodies), bodies  # numbered options
        bodies = await stack.twilio_sms(number, answer)
        assert says(bodies, lang, p.POLL_THANKS), (answer, bodies)
    async with stack.sessions() as session:
        answers = {
            row.respondent_id: row.position
            for row in (
                await session.exec(select(PollAnswer).where(PollAnswer.poll_id == poll_id))
            ).all()
        }
    for number, *_, expected, _lang in people:
        person = await respondent(stack, number)
        assert person is not None and person.id is not None
        assert answers.get(person.id) == expected, number


async def test_help_stop_and_subscribing_again(stack: Stack) -> None:
    number = "+994519990001"
    await stack.twilio_sms(number, "Здравствуйте")
    await stack.twilio_sms(number, "1")
    bodies = await stack.twilio_sms(number, "помощь")
    assert says(bodies, "ru", p.HELP_SMS), bodies

    bodies = await stack.twilio_sms(number, "СТОП")
    assert says(bodies, "ru", p.UNSUBSCRIBED), bodies
    assert await count(stack, Contact, Contact.pseudonym == pseudonym(number)) == 0
    # A broadcast queued after STOP is never sent: the number is no longer in the vault.
    async with stack.sessions() as session, session.begin():
        await enqueue(
            session,
            pseudonym=pseudonym(number),
            channel="sms",
            kind="broadcast",
            message=OutboundMessage("Yeni sorğu / Новый опрос", language="ru"),
            dedupe_key="test-after-stop",
        )
    await asyncio.sleep(1.0)
    async with stack.sessions() as session:
        row = (
            await session.exec(
                select(OutboxMessage).where(OutboxMessage.dedupe_key == "test-after-stop")
            )
        ).one()
    assert row.status == "cancelled"
    assert not any("Новый опрос" in body for body in stack.twilio.bodies(number))

    bodies = await stack.twilio_sms(number, "ПОДПИСКА")
    assert says(bodies, "ru", p.SUBSCRIBED), bodies
    assert await count(stack, Contact, Contact.pseudonym == pseudonym(number)) == 1


async def test_forget_erases_everything(stack: Stack) -> None:
    number = "+994509990002"
    for text in ("Salam", "1", "Xaricdə", "kec", "kec"):
        await stack.twilio_sms(number, text)
    await stack.twilio_sms(number, "Bizim kənddə işıq tez-tez sönür, heç kim düzəltmir")
    person = await respondent(stack, number)
    assert person is not None
    assert await count(stack, Feedback, Feedback.respondent_id == person.id) == 1

    bodies = await stack.twilio_sms(number, "UNUT")
    assert says(bodies, "az", p.FORGET_CONFIRM), bodies
    bodies = await stack.twilio_sms(number, "1")
    # The chat wording is still sent here (it fits one GSM-7 part in Azerbaijani); accept only
    # SMS_FORGOTTEN once the engine swaps it in: /work/notes/requests-sms2.md.
    assert len(bodies) == 1, bodies
    assert says(bodies, "az", p.FORGOTTEN), bodies
    assert await respondent(stack, number) is None
    assert await count(stack, Feedback, Feedback.respondent_id == person.id) == 0
    assert await count(stack, Contact, Contact.pseudonym == pseudonym(number)) == 0


# Hostile and odd input --------------------------------------------------------------------------
async def test_forged_and_missing_signatures_are_refused_and_change_nothing(stack: Stack) -> None:
    number = "+994501119999"
    before = await count(stack, ProcessedEvent)
    forger = FakeTwilio(auth_token="not-our-token")
    cases = {
        "missing": "",
        "forged": forger.sign(PUBLIC_URL + SMS_PATH, stack.twilio.inbound_params(number, "x")),
        "garbage": "bm90IGEgc2lnbmF0dXJl",
    }
    for name, signature in cases.items():
        params = stack.twilio.inbound_params(number, "QOŞUL")
        response = await stack.twilio.post_webhook(
            stack.client,
            stack.svc.url + SMS_PATH,
            PUBLIC_URL + SMS_PATH,
            params,
            signature=signature,
        )
        assert response.status_code == 403, name
    # Signed over the URL we were reached at instead of the public one: also refused.
    params = stack.twilio.inbound_params(number, "QOŞUL")
    response = await stack.client.post(
        stack.svc.url + SMS_PATH,
        data=params,
        headers={"X-Twilio-Signature": stack.twilio.sign(stack.svc.url + SMS_PATH, params)},
    )
    assert response.status_code == 403
    # A correctly signed request whose body was altered afterwards.
    params = stack.twilio.inbound_params(number, "QOŞUL")
    signature = stack.twilio.sign(PUBLIC_URL + SMS_PATH, params)
    params["Body"] = "STOP"
    response = await stack.twilio.post_webhook(
        stack.client, stack.svc.url + SMS_PATH, PUBLIC_URL + SMS_PATH, params, signature=signature
    )
    assert response.status_code == 403
    # Status callbacks are checked too.
    response = await stack.client.post(
        stack.svc.url + STATUS_PATH, data={"MessageSid": "SM1", "MessageStatus": "delivered"}
    )
    assert response.status_code == 403
    assert await count(stack, ProcessedEvent) == before
    assert await respondent(stack, number) is None


async def test_gateway_signature_and_timestamp_are_checked(stack: Stack) -> None:
    number = "+994772223300"
    body = stack.gate.received_event(number, "ПОДПИСКА")
    url = stack.svc.url + GATE_PATH
    now = int(time.time())
    other = FakeSmsGate(signing_key="someone-else")
    cases = {
        "missing": await stack.gate.post_webhook(stack.client, url, body, signature=""),
        "forged": await stack.gate.post_webhook(
            stack.client, url, body, signature=other.sign(body, now)
        ),
        "stale": await stack.gate.post_webhook(stack.client, url, body, timestamp=now - 600),
        "future": await stack.gate.post_webhook(stack.client, url, body, timestamp=now + 600),
        "altered": await stack.client.post(
            url,
            content=body.replace("ПОДПИСКА".encode(), "СТОП".encode()),
            headers={"X-Timestamp": str(now), "X-Signature": stack.gate.sign(body, now)},
        ),
    }
    for name, response in cases.items():
        assert response.status_code == 403, name
    await asyncio.sleep(0.5)
    assert stack.gate.to(number) == [] and await respondent(stack, number) is None
    # A fresh timestamp within five minutes is fine.
    ok = await stack.gate.post_webhook(stack.client, url, body, timestamp=now - 120)
    assert ok.status_code == 204


async def test_replayed_message_sid_is_answered_once_and_stored_once(stack: Stack) -> None:
    number = "+994501112233"
    for text in ("Salam", "1", "0", "kec", "kec"):  # consent, then the profile skipped
        await stack.twilio_sms(number, text)
    params = stack.twilio.inbound_params(number, "Yolumuz çox pisdir, qışda maşın keçmir")
    url, public = stack.svc.url + SMS_PATH, PUBLIC_URL + SMS_PATH
    first = await stack.twilio.post_webhook(stack.client, url, public, params)
    second = await stack.twilio.post_webhook(stack.client, url, public, params)
    assert says(twiml_bodies(first.text), "az", p.THANKS)
    assert second.status_code == 200 and twiml_bodies(second.text) == []  # empty TwiML
    person = await respondent(stack, number)
    assert person is not None
    assert await count(stack, Feedback, Feedback.respondent_id == person.id) == 1


async def test_empty_long_and_mixed_script_bodies(stack: Stack) -> None:
    number = "+994501114455"
    for text in ("Salam", "1", "keç", "keç", "keç"):  # consent, then the profile skipped
        await stack.twilio_sms(number, text)
    bodies = await stack.twilio_sms(number, "")
    assert says(bodies, "az", p.EMPTY), bodies

    long_text = ("Kəndimizdə məktəb yoxdur, uşaqlar hər gün 12 km yol gedir. " * 40)[:1600]
    bodies = await stack.twilio_sms(number, long_text)
    assert says(bodies, "az", p.THANKS), bodies
    mixed = "Salam, у нас в селе нет воды, su yoxdur 3 gündür, помогите пожалуйста"
    bodies = await stack.twilio_sms(number, mixed)
    assert says(bodies, "az", p.THANKS), bodies
    person = await respondent(stack, number)
    assert person is not None
    async with stack.sessions() as session:
        texts = [
            row.text or ""
            for row in (
                await session.exec(
                    select(Feedback)
                    .where(Feedback.respondent_id == person.id)
                    .order_by(col(Feedback.id))
                )
            ).all()
        ]
    assert len(texts) == 2
    assert len(texts[0]) == 1600 or texts[0].startswith(long_text[:1000])  # nothing lost
    assert "нет воды" in texts[1] and "su yoxdur" in texts[1]
    # Every reply fitted the SMS it was sent in: no reply over one segment was cut.
    assert all(len(body) > 0 for body in bodies)


async def test_broadcast_goes_through_twilio_and_delivery_is_recorded(stack: Stack) -> None:
    number = "+994505556677"
    await stack.gateway_sms(number, number, "Salam")
    await stack.gateway_sms(number, number, "1")
    async with stack.sessions() as session, session.begin():
        await enqueue(
            session,
            pseudonym=pseudonym(number),
            channel="sms",
            kind="broadcast",
            message=OutboundMessage(
                "Yeni sorgu: kendinizde en boyuk problem nedir? SORGU yazin.", language="az"
            ),
            dedupe_key="test-broadcast-status",
        )
    deadline = time.monotonic() + 10
    row = None
    while time.monotonic() < deadline:
        async with stack.sessions() as session:
            row = (
                await session.exec(
                    select(OutboxMessage).where(OutboxMessage.dedupe_key == "test-broadcast-status")
                )
            ).one()
        if row.delivery_status == "delivered":
            break
        await asyncio.sleep(0.1)
    assert row is not None and row.status == "sent" and row.delivery_status == "delivered"
    sent = stack.twilio.to(number)
    assert len(sent) == 1 and sent[0].sid == row.provider_id and sent[0].sender == "FIKIR"
    assert sent[0].status_callback == PUBLIC_URL + STATUS_PATH
    assert row.address_enc is None  # a sealed address lives only until it is used


async def test_no_phone_number_in_clear_in_logs_or_database(stack: Stack) -> None:
    assert stack.numbers, "runs after the conversations"
    log = stack.svc.log_text()
    stored = b"".join(path.read_bytes() for path in stack.db_files if path.exists())
    for number in set(stack.numbers):
        digits = number.lstrip("+")
        assert digits not in log and digits[3:] not in log, number
        assert digits.encode() not in stored and digits[3:].encode() not in stored, number
    assert json.dumps(stack.numbers)  # the list itself only lives in this test process
