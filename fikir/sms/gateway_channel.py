"""SMS Gateway for Android: signed `sms:received` webhooks in, replies queued for the phone to send.

The gateway signs raw body + X-Timestamp with HMAC-SHA256 (hex in X-Signature); a timestamp more
than five minutes away is refused, so a captured request cannot be replayed later. Its
`messageId` is derived from the content, so duplicates are recognised by a keyed hash of sender,
text and receipt time instead, and no phone number is kept to do it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request, Response

from fikir.adapter import RuntimeDep
from fikir.config.settings import Settings
from fikir.dialog.messages import Inbound
from fikir.dialog.text import small_number
from fikir.privacy.pseudonym import Pseudonymizer
from fikir.runtime import Runtime
from fikir.sms.delivery import record_delivery
from fikir.sms.outbound import CHANNEL
from fikir.sms.phone import to_e164
from fikir.spool import handle_or_spool
from fikir.untrusted import json_body

log = logging.getLogger(__name__)

PATH = "/webhooks/smsgate"
MAX_SKEW_SECONDS = 300
MAX_BODY_BYTES = 64_000
DELIVERY_EVENTS = {"sms:sent": "sent", "sms:delivered": "delivered", "sms:failed": "failed"}


@dataclass(frozen=True)
class ReceivedSms:
    """One `sms:received` event: who (raw), what, and when the phone says it arrived."""

    phone: str
    text: str
    received_at: str


@dataclass(frozen=True)
class DeliveryReport:
    """One `sms:sent`/`sms:delivered`/`sms:failed` event about a message we sent."""

    message_id: str
    status: str
    reason: str | None


def signature_ok(secret: str, body: bytes, timestamp: str, signature: str, now: float) -> bool:
    """HMAC-SHA256(secret, body + timestamp) in hex, and a timestamp within five minutes.

    Headers are untrusted text: "²" passes `isdigit()` but not `int()`, and `compare_digest`
    refuses non-ASCII str, so both are checked as ASCII bytes (a refusal, never an error).
    """
    seconds = small_number(timestamp, 12)
    if seconds is None or abs(now - seconds) > MAX_SKEW_SECONDS:
        return False
    expected = hmac.new(secret.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()
    given = signature.strip().lower().encode("utf-8", "replace")
    return hmac.compare_digest(expected.encode(), given)


def parse_event(body: bytes) -> ReceivedSms | DeliveryReport | None:
    """The event if it is one fikir acts on; None for pings and anything it ignores."""
    data = json_body(body)
    if not isinstance(data, dict) or not isinstance(data.get("payload"), dict):
        raise HTTPException(status_code=400, detail="no payload")
    event, payload = data.get("event"), data["payload"]
    if event == "sms:received":
        phone, text = payload.get("phoneNumber"), payload.get("message")
        received = payload.get("receivedAt")
        if not isinstance(phone, str) or not isinstance(text, str):
            raise HTTPException(status_code=400, detail="phoneNumber and message are required")
        return ReceivedSms(phone, text, received if isinstance(received, str) else "")
    if event in DELIVERY_EVENTS:
        message_id, reason = payload.get("messageId"), payload.get("reason")
        if isinstance(message_id, str):
            return DeliveryReport(
                message_id, DELIVERY_EVENTS[event], reason if isinstance(reason, str) else None
            )
    return None


def dedupe_key(pseudonymizer: Pseudonymizer, sms: ReceivedSms, address: str) -> str:
    """The same SMS redelivered by the phone gets the same key; the key reveals nothing."""
    digest = pseudonymizer.keyed_hash(
        "smsgate-inbound", f"{address}\x1f{sms.text}\x1f{sms.received_at}"
    )
    return f"smsgate:{digest[:48]}"


def router() -> APIRouter:
    routes = APIRouter()

    @routes.post(PATH)
    async def smsgate(request: Request, runtime: RuntimeDep) -> Response:
        secret = runtime.settings.smsgate_webhook_secret
        if secret is None:
            raise HTTPException(status_code=404, detail="the SMS gateway is not configured")
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            raise HTTPException(status_code=413, detail="too large")
        if not signature_ok(
            secret.get_secret_value(),
            body,
            request.headers.get("X-Timestamp", ""),
            request.headers.get("X-Signature", ""),
            time.time(),
        ):
            log.warning("sms gateway webhook refused: bad signature or stale timestamp")
            raise HTTPException(status_code=403, detail="bad signature")
        event = parse_event(body)
        if isinstance(event, DeliveryReport):
            async with runtime.sessions() as session, session.begin():
                await record_delivery(session, event.message_id, event.status, event.reason)
        elif isinstance(event, ReceivedSms):
            address = to_e164(event.phone)
            if address is None:
                log.info("sms gateway: ignored a message from a sender that is not a phone")
            else:
                inbound = Inbound(
                    channel=CHANNEL,
                    address=address,
                    text=event.text,
                    external_id=dedupe_key(runtime.services.pseudonymizer, event, address),
                    received_at=datetime.now(UTC),
                )
                # Replies go into the outbox in the engine's transaction: the phone sends them.
                # 204 only once durable: committed, or spooled while the database is away.
                await handle_or_spool(runtime, inbound, queue_replies=True)
        return Response(status_code=204)

    return routes


@asynccontextmanager
async def lifecycle(runtime: Runtime) -> AsyncIterator[None]:
    """Nothing of its own to run: the SMS worker started by the Twilio adapter sends for both."""
    yield


def status(settings: Settings) -> dict[str, str]:
    """What /healthz says about the Android gateway."""
    return {"smsgate": "on" if settings.smsgate_enabled else "off (FIKIR_SMSGATE_URL not set)"}
