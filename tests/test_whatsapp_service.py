"""WhatsApp end to end: `fikir run` as a subprocess, Twilio's WhatsApp as the loopback fake.

Webhooks are signed as Twilio signs them; replies come back as TwiML; broadcasts leave through
the outbox as free text inside the 24-hour window, as the approved template outside it, or wait.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from fikir.dialog import prompts as p
from fikir.i18n import translate
from fikir.privacy.pseudonym import Pseudonymizer
from tests.conftest import TEST_SECRET
from tests.fakes.fikir_process import FikirProcess, personal_data_found, snapshot, table_rows
from tests.fakes.twilio_server import FakeTwilio

pytestmark = pytest.mark.asyncio(loop_scope="module")

PUBLIC_URL = "https://fikir.example.org"
WA_PATH = "/webhooks/twilio/whatsapp"
SMS_PATH = "/webhooks/twilio/sms"
OUR_NUMBER = "whatsapp:+14155238886"
TEMPLATES = {"ru": "HX" + "5" * 32}
PSEUDONYMS = Pseudonymizer(TEST_SECRET.encode())


@dataclass
class Stack:
    svc: FikirProcess
    twilio: FakeTwilio
    client: httpx.AsyncClient
    numbers: list[str] = field(default_factory=list)

    @property
    def db(self) -> Path:
        return self.svc.data_dir / "fikir.db"

    async def post(
        self, path: str, params: dict[str, str], signature: str | None = None
    ) -> httpx.Response:
        return await self.twilio.post_webhook(
            self.client, self.svc.url + path, PUBLIC_URL + path, params, signature=signature
        )

    async def say(self, sender: str, body: str, path: str = WA_PATH, media: str = "") -> list[str]:
        """Write to fikir on WhatsApp; the bodies of its TwiML answer."""
        self.numbers.append(sender)
        response = await self.post(path, self.twilio.whatsapp_params(sender, body, media=media))
        assert response.status_code == 200, response.text
        return bodies(response.text)


def bodies(xml: str) -> list[str]:
    root = ET.fromstring(xml)  # noqa: S314 - our own service's answer
    assert root.tag == "Response"
    return [message.text or "" for message in root.iter("Message")]


def says(replies: list[str], lang: str, msgid: str) -> bool:
    head = translate(lang, msgid).split("{")[0][:40]
    return any(head in reply for reply in replies)


def wa_pseudonym(sender: str) -> str:
    return PSEUDONYMS.pseudonym("whatsapp", sender)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    tmp = tmp_path_factory.mktemp("whatsapp-service")
    async with FakeTwilio(callbacks=True) as twilio:
        svc = FikirProcess(
            tmp,
            {
                "FIKIR_PUBLIC_URL": PUBLIC_URL,
                "TWILIO_ACCOUNT_SID": twilio.account_sid,
                "TWILIO_AUTH_TOKEN": twilio.auth_token,
                "FIKIR_TWILIO_FROM": "FIKIR",
                "FIKIR_TWILIO_API_URL": twilio.url,
                "FIKIR_WHATSAPP_FROM": OUR_NUMBER,
                "FIKIR_WHATSAPP_TEMPLATES": json.dumps(TEMPLATES),
            },
        )
        twilio.callback_rewrite = (PUBLIC_URL, svc.url)
        await svc.start(timeout=90)
        try:
            async with httpx.AsyncClient(timeout=30) as client:
                yield Stack(svc, twilio, client)
        finally:
            await svc.stop()


def respondent(stack: Stack, sender: str) -> dict[str, object] | None:
    rows = [r for r in table_rows(stack.db, "respondent") if r["pseudonym"] == wa_pseudonym(sender)]
    return rows[0] if rows else None


async def onboard(stack: Stack, sender: str, lang_choice: str, region: str) -> list[list[str]]:
    """Language, consent, a region (by its number), then age and gender skipped."""
    said = []
    for text in ("Salam", lang_choice, "1", region, "7", "4"):
        said.append(await stack.say(sender, text))
    person = respondent(stack, sender)
    assert person is not None and person["consent_at"] and person["state"] == "menu", person
    return said


async def test_healthz_lists_whatsapp(stack: Stack) -> None:
    health = (await stack.client.get(stack.svc.url + "/healthz")).json()
    assert health["channels"]["whatsapp"] == "on (templates: ru)", health


async def test_onboarding_and_feedback_over_whatsapp(stack: Stack) -> None:
    sender = "whatsapp:+994501110001"
    said = await onboard(stack, sender, "1", "1")
    # No buttons on WhatsApp: every choice is a numbered line, never a bare payload.
    assert "1 Azərbaycanca" in said[0][0] and "2 Русский" in said[0][0], said[0]
    assert says(said[1], "az", p.CONSENT), said[1]
    person = respondent(stack, sender)
    assert person is not None and person["channel"] == "whatsapp" and person["language"] == "az"
    assert person["region"] == "baku"
    await stack.say(sender, "1")  # give feedback
    thanks = await stack.say(sender, "Kəndimizdə su yoxdur, yol da çox pisdir")
    assert says(thanks, "az", p.THANKS), thanks
    stored = [row for row in table_rows(stack.db, "feedback") if row["channel"] == "whatsapp"]
    assert len(stored) == 1 and "su yoxdur" in str(stored[0]["text"])
    # A photo is answered as on Telegram: only text is kept.
    media = await stack.say(sender, "", media="image/jpeg")
    assert says(media, "az", p.MEDIA), media


async def test_whatsapp_is_its_own_identity_not_the_phones_sms_one(stack: Stack) -> None:
    number = "+994501110002"
    sender = "whatsapp:" + number
    from fikir.sms.phone import to_e164

    assert to_e164(sender) is None and to_e164("WhatsApp:" + number) is None
    # The same phone by SMS, then by WhatsApp at the SMS webhook, then at its own webhook.
    sms = stack.twilio.inbound_params(number, "Salam")
    assert (await stack.post(SMS_PATH, sms)).status_code == 200
    stack.numbers.append(sender)
    wa = stack.twilio.whatsapp_params(sender, "Salam")
    at_sms_path = bodies((await stack.post(SMS_PATH, wa)).text)
    assert "1 Azərbaycanca" in at_sms_path[0]  # the chat's numbered list, not the SMS text
    await stack.say(sender, "1")
    pseudonyms = {row["pseudonym"]: row for row in table_rows(stack.db, "respondent")}
    sms_identity = pseudonyms[PSEUDONYMS.pseudonym("sms", number)]
    wa_identity = pseudonyms[wa_pseudonym(sender)]
    assert sms_identity["channel"] == "sms" and wa_identity["channel"] == "whatsapp"
    assert sms_identity["id"] != wa_identity["id"]
    assert wa_identity["language"] == "az" and wa_identity["state"] == "consent"
    sources = {row["key"]: row["source"] for row in table_rows(stack.db, "processed_event")}
    assert sources["twilio:" + sms["MessageSid"]] == "sms"
    assert sources["twilio:" + wa["MessageSid"]] == "whatsapp"  # whichever webhook brought it


async def test_replayed_message_sid_is_stored_once(stack: Stack) -> None:
    sender = "whatsapp:+994501110003"
    await onboard(stack, sender, "1", "2")
    await stack.say(sender, "1")
    params = stack.twilio.whatsapp_params(sender, "Məktəbdə müəllim çatışmır")
    first = await stack.post(WA_PATH, params)
    second = await stack.post(WA_PATH, params)
    assert says(bodies(first.text), "az", p.THANKS)
    assert second.status_code == 200 and bodies(second.text) == []
    person = respondent(stack, sender)
    assert person is not None
    mine = [r for r in table_rows(stack.db, "feedback") if r["respondent_id"] == person["id"]]
    assert len(mine) == 1


async def test_forged_signatures_are_refused_and_change_nothing(stack: Stack) -> None:
    sender = "whatsapp:+994501110004"
    before = snapshot(stack.db)
    forger = FakeTwilio(auth_token="not-our-token")  # noqa: S106 - a test value
    params = stack.twilio.whatsapp_params(sender, "Salam")
    cases = {
        "missing": "",
        "forged": forger.sign(PUBLIC_URL + WA_PATH, params),
        "other url": stack.twilio.sign(stack.svc.url + WA_PATH, params),
    }
    for name, signature in cases.items():
        response = await stack.post(WA_PATH, params, signature=signature)
        assert response.status_code == 403, name
    altered = dict(params, Body="STOP")
    signed = stack.twilio.sign(PUBLIC_URL + WA_PATH, params)
    assert (await stack.post(WA_PATH, altered, signature=signed)).status_code == 403
    assert (await stack.post(SMS_PATH, params, signature=signed)).status_code == 403
    assert snapshot(stack.db) == before and respondent(stack, sender) is None


def age_last_inbound(stack: Stack, sender: str, days: int) -> None:
    """As if the person last wrote `days` ago (the service keeps only this moment, no address)."""
    with closing(sqlite3.connect(stack.db, timeout=30)) as connection, connection:
        connection.execute(
            "UPDATE respondent SET last_seen_at = datetime(last_seen_at, ?) WHERE pseudonym = ?",
            (f"-{days} days", wa_pseudonym(sender)),
        )


async def wait_for(check: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.1)


def outbox_row(stack: Stack, sender: str, kind: str = "poll") -> dict[str, object]:
    rows = [
        row
        for row in table_rows(stack.db, "outbox_message")
        if row["pseudonym"] == wa_pseudonym(sender) and row["kind"] == kind
    ]
    assert len(rows) == 1, rows
    return rows[0]


async def test_poll_broadcast_inside_and_outside_the_window(stack: Stack) -> None:
    from fikir.config.settings import load_settings
    from fikir.dialog.outreach import open_poll
    from fikir.polls.broadcast import plan_broadcast
    from fikir.polls.manage import PollSpec, create_poll
    from fikir.polls.model import Audience
    from fikir.polls.service import load_view
    from fikir.storage.engine import create_async_db_engine, make_sessionmaker

    inside, outside, templated, skipped = (f"whatsapp:+99450222000{i}" for i in range(1, 5))
    for sender, lang in ((inside, "1"), (outside, "1"), (templated, "2"), (skipped, "1")):
        await onboard(stack, sender, lang, "10")  # Mil-Muğan: only these four
    for sender in (outside, templated, skipped):
        age_last_inbound(stack, sender, 2)
    region = respondent(stack, inside)["region"]  # type: ignore[index]
    languages = ("az", "ru", "en", "tly", "lez", "ka", "uk")
    spec = PollSpec(
        slug="whatsapp-water",
        question=dict.fromkeys(languages, "Su kifayətdirmi?") | {"ru": "Хватает ли воды?"},
        options=(dict.fromkeys(languages, "Bəli"), dict.fromkeys(languages, "Xeyr")),
        audience=Audience(channels=("whatsapp",), regions=(str(region),)),
    )
    settings = load_settings(
        database_url=stack.svc.database_url, whatsapp_templates=TEMPLATES, secret_key=TEST_SECRET
    )
    db = create_async_db_engine(stack.svc.database_url)
    sessions = make_sessionmaker(db)
    try:
        async with sessions() as session, session.begin():
            poll = await create_poll(session, spec)
            view = await load_view(session, poll.id or 0)
            assert view is not None
            plan = await plan_broadcast(session, view, settings)
            preview = "\n".join(plan.lines())
            assert plan.recipients == {"whatsapp": 4}, preview
            # The preview says which way each message will go.
            assert "whatsapp: 1 in_window, 1 template, 2 waits" in preview, preview
            await open_poll(session, spec.slug, settings, datetime.now(UTC))
    finally:
        await db.dispose()
    # Inside the window: the question as free text with numbered options.
    await wait_for(lambda: stack.twilio.to(inside))
    sent = stack.twilio.to(inside)[0]
    assert sent.sender == OUR_NUMBER and sent.content_sid is None
    assert "Su kifayətdirmi?" in sent.body and "1 Bəli" in sent.body and "2 Xeyr" in sent.body
    # Outside it, Russian has an approved template: that, with the text as its variable.
    await wait_for(lambda: stack.twilio.to(templated))
    template = stack.twilio.to(templated)[0]
    assert template.content_sid == TEMPLATES["ru"] and template.content_variables is not None
    assert "Хватает ли воды?" in template.content_variables["1"]
    # Outside it without a template: nothing is sent, the message waits.
    await asyncio.sleep(1.0)
    assert stack.twilio.to(outside) == []
    waiting = outbox_row(stack, outside)
    assert waiting["status"] == "pending" and waiting["error"] == "outside_window"
    # … until it has waited too long (FIKIR_WHATSAPP_WAIT_HOURS): then it is skipped.
    with closing(sqlite3.connect(stack.db, timeout=30)) as connection, connection:
        connection.execute(
            "UPDATE outbox_message SET created_at = datetime(created_at, '-4 days'), "
            "next_attempt_at = datetime('now', '-1 minute') WHERE pseudonym = ?",
            (wa_pseudonym(skipped),),
        )
    await wait_for(lambda: outbox_row(stack, skipped)["status"] == "failed")
    assert outbox_row(stack, skipped)["error"] == "outside_window_skipped"
    assert stack.twilio.to(skipped) == []
    # The person writes: the window opens and the waiting poll goes at once, as free text.
    await stack.say(outside, "Salam")
    await wait_for(lambda: stack.twilio.to(outside), timeout=5.0)
    late = stack.twilio.to(outside)[0]
    assert late.content_sid is None and "Su kifayətdirmi?" in late.body
    # Twilio's status callbacks reach the outbox rows.
    await wait_for(lambda: outbox_row(stack, inside)["delivery_status"] == "delivered")
    assert outbox_row(stack, inside)["provider_id"] == sent.sid
    # And a bare number answers the poll on WhatsApp.
    answered = await stack.say(inside, "2")
    assert says(answered, "az", p.POLL_THANKS), answered


async def test_no_address_or_profile_name_in_tables_or_logs(stack: Stack) -> None:
    assert stack.numbers, "runs after the conversations"
    needles = {"Aysel Mammadova"}
    for sender in set(stack.numbers):
        digits = sender.removeprefix("whatsapp:").lstrip("+")
        needles |= {sender, digits, digits[3:]}
    assert personal_data_found(stack.svc.database_files, stack.svc.logs(), needles) == []
