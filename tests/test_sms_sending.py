"""Sending SMS: both providers against their loopback fakes, and the outbox's exactly-once rules."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from fikir.outbox.message import Failed, OutboundMessage, RetryLater, Sent
from fikir.outbox.queue import enqueue
from fikir.privacy.pseudonym import Pseudonymizer
from fikir.runtime import Runtime, build_runtime
from fikir.sms.gateway_sender import GatewayProvider
from fikir.sms.outbound import SmsSender, running_worker
from fikir.sms.twilio_sender import TwilioProvider
from fikir.storage.models import Contact, OutboxMessage, Respondent
from tests.conftest import TEST_SECRET, make_settings
from tests.fakes.smsgate_server import FakeSmsGate
from tests.fakes.twilio_server import FakeTwilio

NUMBER = "+994501234567"
# 86 letters: two parts in UCS-2, one in GSM-7 once ə ğ ı ş ç ö ü are spelled the phone way.
LONG_AZ = "Yeni sorğu: kəndinizdə ən böyük problem nədir? Cavab üçün SORĞU yazın: 1 su 2 yol 3 iş."


def twilio_for(fake: FakeTwilio, **kwargs: object) -> TwilioProvider:
    return TwilioProvider(fake.account_sid, fake.auth_token, "FIKIR", api_url=fake.url, **kwargs)  # type: ignore[arg-type]


# Twilio ---------------------------------------------------------------------------------------
async def test_twilio_answers_become_results(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    async with FakeTwilio() as fake:
        provider = twilio_for(
            fake, status_callback="https://fikir.example.org/webhooks/twilio/status"
        )
        fake.errors.update({"+994501111111": 21610, "+994502222222": 21211})
        ok = await provider.send(NUMBER, "Salam", "ref-1")
        opted_out = await provider.send("+994501111111", "Salam", "ref-2")
        invalid = await provider.send("+994502222222", "Salam", "ref-3")
        fake.throttle(1)
        throttled = await provider.send(NUMBER, "Salam", "ref-4")
        fake.fail(1, 503)
        server_error = await provider.send(NUMBER, "Salam", "ref-5")
        wrong = TwilioProvider(fake.account_sid, "wrong-token", "FIKIR", api_url=fake.url)
        refused = await wrong.send(NUMBER, "Salam", "ref-6")
        found = await provider.find_sent(
            NUMBER, "Salam", "ref-1", datetime.now(UTC).replace(microsecond=0)
        )
        await provider.aclose()
        await wrong.aclose()
    assert isinstance(ok, Sent) and ok.provider_id == fake.messages[0].sid
    assert fake.messages[0].to == NUMBER and fake.messages[0].sender == "FIKIR"
    assert fake.messages[0].status_callback == "https://fikir.example.org/webhooks/twilio/status"
    assert opted_out == Failed(reason="opted_out", blocked=True)
    assert invalid == Failed(reason="invalid_number")
    assert isinstance(throttled, RetryLater) and throttled.reason == "rate_limited"
    assert isinstance(server_error, RetryLater) and server_error.reason == "server_error"
    assert isinstance(refused, RetryLater) and refused.reason == "unauthorized"
    assert len(fake.messages) == 1 and found == [fake.messages[0].sid]
    # Twilio's client logs request URLs (a Messages list URL holds the number): ours logs none.
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "501234567" not in logged and "501111111" not in logged


async def test_twilio_messaging_service_sender() -> None:
    async with FakeTwilio() as fake:
        provider = TwilioProvider(
            fake.account_sid, fake.auth_token, "MG" + "1" * 32, api_url=fake.url
        )
        assert isinstance(await provider.send(NUMBER, "Salam", "r"), Sent)
        await provider.aclose()
    assert fake.messages[0].sender == "MG" + "1" * 32


# Android gateway ------------------------------------------------------------------------------
async def test_gateway_answers_become_results() -> None:
    async with FakeSmsGate() as fake:
        provider = GatewayProvider(fake.url, fake.user, fake.password)
        ok = await provider.send(NUMBER, "Привет", "fikir-abc")
        again = await provider.send(NUMBER, "Привет", "fikir-abc")  # same id: already there
        fake.fail(1, 500)
        failing = await provider.send(NUMBER, "Привет", "fikir-def")
        found = await provider.find_sent(NUMBER, "Привет", "fikir-abc", datetime.now(UTC))
        missing = await provider.find_sent(NUMBER, "Привет", "fikir-zzz", datetime.now(UTC))
        wrong = GatewayProvider(fake.url, fake.user, "wrong")
        refused = await wrong.send(NUMBER, "Привет", "fikir-ghi")
        await provider.aclose()
        await wrong.aclose()
    assert ok == Sent(provider_id="fikir-abc") and again == Sent(provider_id="fikir-abc")
    assert [(m.id, m.to, m.text) for m in fake.messages] == [("fikir-abc", NUMBER, "Привет")]
    assert isinstance(failing, RetryLater) and failing.reason == "server_error"
    assert found == ["fikir-abc"] and missing == []
    assert isinstance(refused, RetryLater) and refused.reason == "unauthorized"


# Exactly once ---------------------------------------------------------------------------------
@dataclass
class Rows:
    runtime: Runtime

    async def add(
        self, key: str, text: str, kind: str = "poll", error: str | None = None
    ) -> OutboxMessage:
        async with self.runtime.sessions() as session, session.begin():
            await enqueue(
                session,
                pseudonym="p" * 64,
                channel="sms",
                kind=kind,
                message=OutboundMessage(text, language="az"),
                dedupe_key=key,
            )
        async with self.runtime.sessions() as session, session.begin():
            row = (
                await session.exec(select(OutboxMessage).where(OutboxMessage.dedupe_key == key))
            ).one()
            row.error = error
            session.add(row)
        return row


@pytest.fixture
async def rows(sqlite_runtime: Runtime) -> AsyncIterator[Rows]:
    yield Rows(sqlite_runtime)


def sender_for(runtime: Runtime, provider: TwilioProvider | GatewayProvider) -> SmsSender:
    return SmsSender(
        runtime.sessions, Pseudonymizer(TEST_SECRET.encode()), replies=provider, broadcasts=provider
    )


async def test_a_send_whose_commit_was_lost_is_found_not_repeated(rows: Rows) -> None:
    async with FakeTwilio() as fake:
        sender = sender_for(rows.runtime, twilio_for(fake))
        first = await rows.add("a", "Yeni sorgu: 1 Su 2 Yol")
        second = await rows.add("b", "Yeni sorgu: 1 Su 2 Yol")  # same words, same person
        message = OutboundMessage("Yeni sorgu: 1 Su 2 Yol", language="az")
        sent = await sender.send(NUMBER, message, first.id or 0)
        # The service died before recording it: the recovery asks Twilio.
        assert isinstance(sent, Sent)
        assert await sender.was_sent(NUMBER, message, first.id or 0) == sent.provider_id
        assert await sender.was_sent(NUMBER, message, second.id or 0) is None
        # A fresh process (no memory of what it sent) reaches the same answer from the store.
        fresh = sender_for(rows.runtime, twilio_for(fake))
        async with rows.runtime.sessions() as session, session.begin():
            row = await session.get(OutboxMessage, first.id)
            assert row is not None
            row.provider_id = sent.provider_id
            session.add(row)
        assert await fresh.was_sent(NUMBER, message, second.id or 0) is None
        await sender.aclose()
        await fresh.aclose()
    assert len(fake.messages) == 1


async def test_a_timed_out_send_is_checked_before_it_is_retried(rows: Rows) -> None:
    async with FakeTwilio(latency=0.6) as fake:  # Twilio creates it after we gave up waiting
        sender = sender_for(rows.runtime, twilio_for(fake, timeout=0.2))
        row = await rows.add("slow", "Sorgu: 1 Beli 2 Xeyr")
        message = OutboundMessage("Sorgu: 1 Beli 2 Xeyr", language="az")
        first = await sender.send(NUMBER, message, row.id or 0)
        assert isinstance(first, RetryLater) and first.reason == "timeout"
        await asyncio.sleep(0.8)
        retried = await rows.add("slow", "Sorgu: 1 Beli 2 Xeyr", error=first.reason)
        sender.cost(retried)  # the worker prices the row, then sends it
        second = await sender.send(NUMBER, message, row.id or 0)
        await sender.aclose()
    assert isinstance(second, Sent) and second.provider_id == fake.messages[0].sid
    assert fake.create_attempts == 1 and len(fake.messages) == 1


async def test_an_unconfirmable_retry_is_not_sent_blind(rows: Rows) -> None:
    async with FakeTwilio() as fake:
        sender = sender_for(rows.runtime, twilio_for(fake))
        row = await rows.add("blind", "Salam", error="network")
        url = fake.url
    # The fake is gone: neither sending nor asking works.
    sender = sender_for(
        rows.runtime, TwilioProvider(fake.account_sid, fake.auth_token, "FIKIR", api_url=url)
    )
    result = await sender.send(NUMBER, OutboundMessage("Salam", language="az"), row.id or 0)
    await sender.aclose()
    assert isinstance(result, RetryLater) and result.reason == "unconfirmed"
    assert fake.create_attempts == 0


# The worker in the service ----------------------------------------------------------------------
async def test_worker_sends_fails_for_good_and_routes_by_kind(
    tmp_path: Path, sqlite_url: str
) -> None:
    async with FakeTwilio() as twilio, FakeSmsGate() as gate:
        settings = make_settings(
            tmp_path,
            sqlite_url,
            twilio_account_sid=twilio.account_sid,
            twilio_auth_token=twilio.auth_token,
            twilio_from="FIKIR",
            twilio_api_url=twilio.url,
            smsgate_url=gate.url,
            smsgate_user=gate.user,
            smsgate_password=gate.password,
            sms_rate=50.0,
        )
        runtime = build_runtime(settings)
        people = {
            "ok": "+994501000001",
            "opted_out": "+994501000002",
            "invalid": "+994501000003",
            "throttled": "+994501000004",
            "replied": "+994551000005",
        }
        twilio.errors.update({people["opted_out"]: 21610, people["invalid"]: 21211})
        names = {
            key: runtime.services.pseudonymizer.pseudonym("sms", n) for key, n in people.items()
        }
        async with runtime.sessions() as session, session.begin():
            for key, number in people.items():
                session.add(Respondent(pseudonym=names[key], channel="sms", subscribed=True))
                session.add(
                    Contact(
                        pseudonym=names[key],
                        channel="sms",
                        address_enc=runtime.services.vault.seal(number),
                    )
                )
                await enqueue(
                    session,
                    pseudonym=names[key],
                    channel="sms",
                    kind="reply" if key == "replied" else "poll",
                    message=OutboundMessage(LONG_AZ, language="az"),
                    dedupe_key=f"w:{key}",
                )
        twilio.throttle(2)
        async with running_worker(runtime) as worker:
            assert worker is not None
            for _ in range(100):
                async with runtime.sessions() as session:
                    waiting = (
                        await session.exec(
                            select(OutboxMessage).where(
                                OutboxMessage.status.in_(("pending", "sending"))  # type: ignore[attr-defined]
                            )
                        )
                    ).all()
                if not waiting:
                    break
                await asyncio.sleep(0.1)
        async with runtime.sessions() as session:
            outcome = {
                row.dedupe_key.removeprefix("w:"): row
                for row in (await session.exec(select(OutboxMessage))).all()
            }
            blocked = (
                await session.exec(
                    select(Respondent).where(Respondent.pseudonym == names["opted_out"])
                )
            ).one()
        await runtime.close()
    assert outcome["ok"].status == "sent" and outcome["throttled"].status == "sent"
    assert outcome["opted_out"].status == "failed" and outcome["opted_out"].error == "opted_out"
    assert outcome["invalid"].status == "failed" and outcome["invalid"].error == "invalid_number"
    assert blocked.blocked and not blocked.subscribed  # never tried again
    # GSM-7 spelling saved a segment: ğ, ş and ı are outside GSM-7.
    assert [m.body for m in twilio.to(people["ok"])] == [
        "Yeni sorgu: kendinizde en böyük problem nedir? Cavab ücün SORGU yazin: 1 su 2 yol 3 is."
    ]
    assert len(twilio.to(people["throttled"])) == 1  # 429 twice, then once
    # A reply to someone who wrote to the phone goes back through the phone.
    assert twilio.to(people["replied"]) == [] and len(gate.to(people["replied"])) == 1
    assert outcome["replied"].provider_id == gate.messages[0].id
