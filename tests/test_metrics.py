"""GET /metrics: inbound and outbound counts per channel, outbox depth, latency, the spool — and no
personal data in any label or anywhere in the page."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from fikir.config.channels import FAMILIES
from fikir.config.settings import Settings
from fikir.dialog.messages import Inbound
from fikir.outbox.message import OutboundMessage
from fikir.outbox.queue import enqueue
from fikir.runtime import Runtime, build_runtime
from fikir.sms.outbound import running_worker
from fikir.web.app import create_app
from tests.conftest import make_settings
from tests.fakes.twilio_server import FakeTwilio

PUBLIC = "https://fikir.example.org"
SMS_PEOPLE = ["+994501112233", "+994552223344", "+994703334455"]
CHAT_ID = "730555012345"
TEXT = "Kəndimizdə su yoxdur, Məmmədov Elvin, 0501234567"
KNOWN_LABELS = {
    # A closed set: the registry's families (fikir.config.channels) and "other".
    "channel": {*FAMILIES, "other"},
    "outcome": {"sent", "retried", "failed", "cancelled"},
}
WHERE = re.compile(r"^[a-z_]{1,32}$")


@pytest.fixture
async def fake() -> AsyncIterator[FakeTwilio]:
    async with FakeTwilio() as twilio:
        yield twilio


@pytest.fixture
def twilio_settings(tmp_path: Path, db_url: str, fake: FakeTwilio) -> Settings:
    return make_settings(
        tmp_path,
        db_url,
        public_url=PUBLIC,
        twilio_account_sid=fake.account_sid,
        twilio_auth_token=fake.auth_token,
        twilio_from="+994125550000",
        twilio_api_url=fake.url,
        sms_rate=100.0,
    )


@pytest.fixture
async def service(twilio_settings: Settings) -> AsyncIterator[tuple[Runtime, httpx.AsyncClient]]:
    runtime = build_runtime(twilio_settings)
    app = create_app(twilio_settings, runtime)
    app.state.runtime = runtime  # the routes only need the runtime; no channel is started
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://fikir") as client:
        yield runtime, client
    await runtime.close()


async def scrape(client: httpx.AsyncClient) -> tuple[str, dict[tuple[str, tuple[str, ...]], float]]:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples: dict[tuple[str, tuple[str, ...]], float] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            key = tuple(f"{k}={v}" for k, v in sorted(sample.labels.items()))
            samples[(sample.name, key)] = sample.value
    return response.text, samples


async def text_sms(client: httpx.AsyncClient, fake: FakeTwilio, sender: str, body: str) -> str:
    params = fake.inbound_params(sender, body)
    path = "/webhooks/twilio/sms"
    response = await fake.post_webhook(client, path, f"{PUBLIC}{path}", params)
    assert response.status_code == 200
    return params["MessageSid"]


async def test_metrics_count_by_channel_and_leak_nothing(
    service: tuple[Runtime, httpx.AsyncClient], fake: FakeTwilio
) -> None:
    runtime, client = service
    # Inbound: three people by Twilio (one message redelivered), one Telegram chat, and an
    # event with a forged channel name that must not become a label.
    for person in SMS_PEOPLE:
        await text_sms(client, fake, person, TEXT)
    params = fake.inbound_params(SMS_PEOPLE[0], "Salam")
    path = "/webhooks/twilio/sms"
    for _ in range(2):
        await fake.post_webhook(client, path, f"{PUBLIC}{path}", params)
    await runtime.engine.handle(Inbound("telegram", CHAT_ID, TEXT, external_id="tg:1"))
    await runtime.engine.handle(Inbound(f"x{SMS_PEOPLE[1]}", SMS_PEOPLE[1], TEXT))

    # Outbound: two messages for the SMS worker (one to a number Twilio refuses), and two
    # Telegram messages waiting with no Telegram worker running.
    fake.errors[SMS_PEOPLE[2]] = 21211
    waiting = [("sms", SMS_PEOPLE[1]), ("sms", SMS_PEOPLE[2]), ("telegram", CHAT_ID)]
    waiting.append(("telegram", CHAT_ID))
    async with runtime.sessions() as session, session.begin():
        for i, (channel, person) in enumerate(waiting):
            await enqueue(
                session,
                pseudonym=runtime.services.pseudonymizer.pseudonym(channel, person),
                channel=channel,
                kind="poll",
                message=OutboundMessage(TEXT, language="az"),
                dedupe_key=f"metrics:{i}",
                address_enc=runtime.services.vault.seal(person),
            )
    _, before = await scrape(client)
    assert before[("fikir_outbox_depth", ("channel=sms",))] == 2
    async with running_worker(runtime):
        for _ in range(100):
            _, now = await scrape(client)
            if now.get(("fikir_outbox_depth", ("channel=sms",))) == 0:
                break
            await asyncio.sleep(0.05)
    await runtime.spool.put(Inbound("sms", SMS_PEOPLE[0], TEXT, external_id="twilio:SMspooled"))

    page, samples = await scrape(client)
    inbound = {k[1]: v for k, v in samples.items() if k[0] == "fikir_inbound_messages_total"}
    assert inbound == {("channel=sms",): 4, ("channel=telegram",): 1, ("channel=other",): 1}
    assert samples[("fikir_inbound_duplicates_total", ("channel=sms",))] == 1
    assert samples[("fikir_inbound_handling_seconds_count", ("channel=sms",))] == 5
    assert samples[("fikir_outbound_messages_total", ("channel=sms", "outcome=sent"))] == 1
    assert samples[("fikir_outbound_messages_total", ("channel=sms", "outcome=failed"))] == 1
    assert samples[("fikir_outbox_depth", ("channel=sms",))] == 0
    assert samples[("fikir_outbox_depth", ("channel=telegram",))] == 2
    assert samples[("fikir_spool_pending", ())] == 1
    assert "# TYPE fikir_errors_total counter" in page

    # No label carries anything but a channel, an outcome, a place or a bucket bound.
    for (name, labels), _value in samples.items():
        for pair in labels:
            key, _, value = pair.partition("=")
            if key == "le":
                float(value)
            elif key == "where":
                assert WHERE.match(value), (name, pair)
            else:
                assert value in KNOWN_LABELS[key], (name, pair)
    # And nothing personal anywhere on the page: numbers, chat id, pseudonyms, text, sids.
    pseudonyms = [runtime.services.pseudonymizer.pseudonym("sms", p) for p in SMS_PEOPLE]
    needles = [*SMS_PEOPLE, *(p.lstrip("+") for p in SMS_PEOPLE), CHAT_ID, *pseudonyms]
    needles += ["Elvin", "0501234567", "su yoxdur", params["MessageSid"]]
    assert not [needle for needle in needles if needle in page]
