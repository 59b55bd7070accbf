"""The SMS adapters' small pieces, as tables: numbers, signatures, events, rendering, receipts."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import HTTPException
from sqlmodel import select
from starlette.datastructures import FormData

from fikir.dialog.messages import Choice, Reply
from fikir.outbox.message import OutboundMessage
from fikir.outbox.queue import enqueue
from fikir.privacy.pseudonym import Pseudonymizer
from fikir.runtime import Runtime
from fikir.sms.delivery import record_delivery
from fikir.sms.gateway_channel import (
    DeliveryReport,
    ReceivedSms,
    dedupe_key,
    parse_event,
    signature_ok,
)
from fikir.sms.outbound import worker_config
from fikir.sms.phone import to_e164
from fikir.sms.provider import outbound_text, sms_text
from fikir.sms.twilio_channel import inbound_from, twiml
from fikir.storage.models import OutboxMessage
from tests.conftest import TEST_SECRET


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+994501234567", "+994501234567"),
        ("994501234567", "+994501234567"),  # a gateway that drops the +
        ("00994501234567", "+994501234567"),
        ("050 123 45 67", "+994501234567"),  # written the Azerbaijani way
        ("(050) 123-45-67", "+994501234567"),
        ("0501234567", "+994501234567"),
        ("+994 55 765 43 21", "+994557654321"),
        ("012 555 12 34", "+994125551234"),  # a Baku landline
        ("+7 916 123 45 67", "+79161234567"),  # a Russian SIM
        ("+995 555 12 34 56", "+995555123456"),  # a Georgian SIM
        ("Azercell", None),  # an operator's sender id cannot be answered
        ("BAKCELL-INFO", None),
        ("", None),
        (None, None),
        ("12", None),
        ("+994 50 123 45 6", None),
    ],
)
def test_phone_numbers_in_one_form(raw: str | None, expected: str | None) -> None:
    assert to_e164(raw) == expected


SECRET = "gateway-signing-key"
BODY = b'{"event":"sms:received","payload":{"phoneNumber":"+994501234567","message":"Salam"}}'


def _sign(body: bytes, stamp: str, key: str = SECRET) -> str:
    return hmac.new(key.encode(), body + stamp.encode(), hashlib.sha256).hexdigest()


@pytest.mark.parametrize(
    ("case", "body", "stamp", "signature", "ok"),
    [
        ("good", BODY, "1700000000", _sign(BODY, "1700000000"), True),
        ("upper-case hex", BODY, "1700000000", _sign(BODY, "1700000000").upper(), True),
        ("four minutes old", BODY, "1699999760", _sign(BODY, "1699999760"), True),
        ("six minutes old", BODY, "1699999640", _sign(BODY, "1699999640"), False),
        ("six minutes ahead", BODY, "1700000360", _sign(BODY, "1700000360"), False),
        ("other key", BODY, "1700000000", _sign(BODY, "1700000000", "other"), False),
        (
            "body changed",
            BODY.replace(b"Salam", b"STOP"),
            "1700000000",
            _sign(BODY, "1700000000"),
            False,
        ),
        ("timestamp changed", BODY, "1700000001", _sign(BODY, "1700000000"), False),
        ("no timestamp", BODY, "", _sign(BODY, ""), False),
        ("not a number", BODY, "yesterday", _sign(BODY, "yesterday"), False),
        ("no signature", BODY, "1700000000", "", False),
    ],
)
def test_gateway_signature(case: str, body: bytes, stamp: str, signature: str, ok: bool) -> None:
    assert signature_ok(SECRET, body, stamp, signature, now=1700000000.0) is ok, case


def test_gateway_events() -> None:
    received = parse_event(
        json.dumps(
            {
                "event": "sms:received",
                "payload": {
                    "messageId": "abc",
                    "message": "Salam, su yoxdur",
                    "phoneNumber": "0501234567",
                    "receivedAt": "2026-11-28T10:00:00.000+04:00",
                },
            }
        ).encode()
    )
    assert received == ReceivedSms(
        "0501234567", "Salam, su yoxdur", "2026-11-28T10:00:00.000+04:00"
    )
    delivered = parse_event(
        b'{"event":"sms:delivered","payload":{"messageId":"fikir-1","phoneNumber":"+1"}}'
    )
    assert delivered == DeliveryReport("fikir-1", "delivered", None)
    assert parse_event(b'{"event":"system:ping","payload":{"health":{}}}') is None
    for bad in (
        b"not json",
        b"[]",
        b'{"event":"sms:received"}',
        b'{"event":"sms:received","payload":{}}',
    ):
        with pytest.raises(HTTPException) as error:
            parse_event(bad)
        assert error.value.status_code == 400


def test_gateway_dedupe_key_ignores_message_id_and_hides_the_number() -> None:
    pseudonyms = Pseudonymizer(TEST_SECRET.encode())
    first = ReceivedSms("+994501234567", "STOP", "2026-11-28T10:00:00.000+04:00")
    again = ReceivedSms("+994501234567", "STOP", "2026-11-28T10:00:00.000+04:00")
    later = ReceivedSms("+994501234567", "STOP", "2026-11-28T10:05:00.000+04:00")
    other = ReceivedSms("+994551234567", "STOP", "2026-11-28T10:00:00.000+04:00")
    key = dedupe_key(pseudonyms, first, "+994501234567")
    assert key == dedupe_key(pseudonyms, again, "+994501234567")
    assert key != dedupe_key(pseudonyms, later, "+994501234567")
    assert key != dedupe_key(pseudonyms, other, "+994551234567")
    assert "501234567" not in key and len(key) <= 128


def test_twilio_form_becomes_an_inbound() -> None:
    form = FormData(
        [("MessageSid", "SM1"), ("From", "+994501234567"), ("Body", "Salam"), ("NumMedia", "0")]
    )
    inbound = inbound_from(form)
    assert inbound is not None
    assert (inbound.channel, inbound.address, inbound.text) == ("sms", "+994501234567", "Salam")
    assert inbound.external_id == "twilio:SM1" and inbound.media is None
    mms = inbound_from(
        FormData([("MessageSid", "SM2"), ("From", "+994501234567"), ("NumMedia", "1")])
    )
    assert mms is not None and mms.media == "mms" and mms.text == ""
    assert (
        inbound_from(FormData([("MessageSid", "SM3"), ("From", "Azercell"), ("Body", "x")])) is None
    )
    assert inbound_from(FormData([("From", "+994501234567"), ("Body", "x")])) is None


def test_twiml_has_one_message_per_reply_and_nothing_when_nothing_is_due() -> None:
    replies = [
        Reply("Cinsiniz?", (Choice("gender:f", "Qadın"), Choice("gender:m", "Kişi")), "az"),
        Reply("Ваш пол? <ответьте>", (), "ru"),
    ]
    body = bytes(twiml(replies, "auto").body).decode()
    assert body.count("<Message>") == 2
    assert "Cinsiniz?\n1 Qadin  2 Kisi" in body and "&lt;ответьте&gt;" in body
    assert bytes(twiml([], "auto").body).decode().endswith("<Response />")


@pytest.mark.parametrize(
    ("text", "lang", "mode", "sent"),
    [
        # Two UCS-2 parts become one GSM-7 part: spelled the phone way.
        (
            "Təşəkkür edirik! Mesajınız anonim qəbul olundu, ayın hesabatına daxil olacaq.",
            "az",
            "auto",
            "Tesekkür edirik! Mesajiniz anonim qebul olundu, ayin hesabatina daxil olacaq.",
        ),
        # Already one part: plain all the same, so a conversation is spelled one way throughout.
        ("Sağ olun!", "az", "auto", "Sag olun!"),
        # Turned off.
        (
            "Təşəkkür edirik! Mesajınız anonim qəbul olundu, ayın hesabatına daxil olacaq.",
            "az",
            "never",
            "Təşəkkür edirik! Mesajınız anonim qəbul olundu, ayın hesabatına daxil olacaq.",
        ),
        # Never for Cyrillic languages.
        (
            "Спасибо! Ваше сообщение получено анонимно и войдёт в отчёт этого месяца.",
            "ru",
            "auto",
            "Спасибо! Ваше сообщение получено анонимно и войдёт в отчёт этого месяца.",
        ),
    ],
)
def test_sms_text_spelling(text: str, lang: str, mode: str, sent: str) -> None:
    assert sms_text(Reply(text, (), lang), mode) == sent


def test_outbound_text_numbers_the_choices() -> None:
    message = OutboundMessage("Yol?", (("poll:1:0", "Bəli"), ("poll:1:1", "Xeyr")), "az")
    assert outbound_text(message) == "Yol?\n1 Beli  2 Xeyr"
    assert outbound_text(message, "never") == "Yol?\n1 Bəli  2 Xeyr"


async def test_delivery_receipts_never_go_backwards(sqlite_runtime: Runtime) -> None:
    async with sqlite_runtime.sessions() as session, session.begin():
        await enqueue(
            session,
            pseudonym="p" * 64,
            channel="sms",
            kind="poll",
            message=OutboundMessage("x"),
            dedupe_key="receipt",
        )
        row = (await session.exec(select(OutboxMessage))).one()
        row.provider_id = "SM42"
        session.add(row)
    for status, error in (("delivered", None), ("sent", None), ("queued", None), ("bogus", None)):
        async with sqlite_runtime.sessions() as session, session.begin():
            await record_delivery(session, "SM42", status, error)
    async with sqlite_runtime.sessions() as session, session.begin():
        assert not await record_delivery(session, "SM-unknown", "delivered")
        row = (await session.exec(select(OutboxMessage))).one()
    assert row.delivery_status == "delivered"


@pytest.mark.parametrize("rate", [1.0, 5.0, 200.0, 1000.0])
def test_worker_config_keeps_claims_inside_the_lease(rate: float) -> None:
    config = worker_config(rate)
    assert 1 <= config.batch <= 100 and config.concurrency <= config.batch
    longest_claim = timedelta(seconds=config.batch / rate + 15.0)  # a batch plus one slow request
    assert config.lease > longest_claim


def test_gateway_timestamp_uses_the_clock() -> None:
    stamp = str(int(time.time()))
    assert signature_ok(SECRET, BODY, stamp, _sign(BODY, stamp), now=datetime.now(UTC).timestamp())


async def test_webhooks_answer_404_when_their_provider_is_not_configured(
    sqlite_runtime: Runtime,
) -> None:
    import httpx

    from fikir.web.app import create_app

    app = create_app(sqlite_runtime.settings, runtime=sqlite_runtime)
    app.state.runtime = sqlite_runtime  # the lifespan (channels, scheduler) is not needed here
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://fikir.test") as client:
        for path in ("/webhooks/twilio/sms", "/webhooks/twilio/status", "/webhooks/smsgate"):
            response = await client.post(path, data={"From": "+994501234567", "Body": "x"})
            assert response.status_code == 404, path
