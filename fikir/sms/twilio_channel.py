"""Twilio: signed inbound SMS answered with TwiML, signed delivery receipts, and the SMS worker.

The signature is checked first, against FIKIR_PUBLIC_URL (the URL Twilio signed, which differs
from the one we see behind a proxy) over every posted parameter; nothing else runs before it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request, Response
from starlette.datastructures import FormData
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from fikir.adapter import RuntimeDep
from fikir.config.settings import Settings
from fikir.dialog.messages import Inbound, Reply
from fikir.dialog.text import small_number
from fikir.runtime import Runtime
from fikir.sms.delivery import record_delivery
from fikir.sms.outbound import CHANNEL, running_worker
from fikir.sms.phone import to_e164
from fikir.sms.provider import sms_text
from fikir.spool import handle_or_spool
from fikir.whatsapp.address import is_whatsapp
from fikir.whatsapp.webhook import answer as whatsapp_answer

log = logging.getLogger(__name__)

SMS_PATH = "/webhooks/twilio/sms"
STATUS_PATH = "/webhooks/twilio/status"
TWIML = "application/xml"


def signed_url(runtime: Runtime, request: Request) -> str:
    """The URL Twilio computed its signature over: our public base, this path and query."""
    base = runtime.settings.public_url
    if not base:
        return str(request.url)
    query = request.url.query
    return f"{base}{request.url.path}" + (f"?{query}" if query else "")


async def verified_form(runtime: Runtime, request: Request) -> FormData:
    """The posted parameters, if Twilio signed them with our auth token; 404/403 otherwise."""
    settings = runtime.settings
    if not settings.twilio_enabled or settings.twilio_auth_token is None:
        raise HTTPException(status_code=404, detail="Twilio is not configured")
    signature = request.headers.get("X-Twilio-Signature", "")
    form = await request.form()
    validator = RequestValidator(settings.twilio_auth_token.get_secret_value())
    if not signature or not validator.validate(signed_url(runtime, request), form, signature):
        log.warning("twilio webhook refused: missing or bad signature")
        raise HTTPException(status_code=403, detail="bad signature")
    return form


def twiml(replies: Sequence[Reply], transliterate: str) -> Response:
    """One <Message> per reply; an empty <Response/> when nothing is due."""
    response = MessagingResponse()
    for reply in replies:
        response.message(sms_text(reply, transliterate))
    return Response(content=str(response.to_xml()), media_type=TWIML)


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def inbound_from(form: FormData) -> Inbound | None:
    """The message as the engine sees it; None when the sender cannot be answered."""
    address = to_e164(_field(form, "From"))
    sid = _field(form, "MessageSid") or _field(form, "SmsSid")
    if address is None or not sid:
        return None
    media = _field(form, "NumMedia")
    return Inbound(
        channel=CHANNEL,
        address=address,
        text=_field(form, "Body"),
        external_id=f"twilio:{sid}",
        received_at=datetime.now(UTC),
        media="mms" if (small_number(media) or 0) > 0 else None,
    )


def router() -> APIRouter:
    routes = APIRouter()

    @routes.post(SMS_PATH)
    async def twilio_sms(request: Request, runtime: RuntimeDep) -> Response:
        form = await verified_form(runtime, request)
        if is_whatsapp(_field(form, "From")):
            # A Twilio number can take WhatsApp too: its own channel and identity, never SMS.
            return await whatsapp_answer(runtime, form)
        inbound = inbound_from(form)
        if inbound is None:
            log.info("twilio: ignored a message without a phone number or MessageSid")
            return twiml([], runtime.settings.sms_transliterate)
        # Answered only once durable: committed, or spooled (then the replies follow by REST).
        handled = await handle_or_spool(runtime, inbound)
        return twiml(handled.replies, runtime.settings.sms_transliterate)

    @routes.post(STATUS_PATH)
    async def twilio_status(request: Request, runtime: RuntimeDep) -> Response:
        form = await verified_form(runtime, request)
        sid = _field(form, "MessageSid") or _field(form, "SmsSid")
        status = _field(form, "MessageStatus") or _field(form, "SmsStatus")
        error = _field(form, "ErrorCode") or None
        async with runtime.sessions() as session, session.begin():
            await record_delivery(session, sid, status, error)
        return Response(status_code=204)

    return routes


@asynccontextmanager
async def lifecycle(runtime: Runtime) -> AsyncIterator[None]:
    """The one SMS outbox worker serves both providers (see fikir.sms.outbound); it starts here."""
    async with running_worker(runtime):
        yield


def status(settings: Settings) -> dict[str, str]:
    """What /healthz says about Twilio's SMS."""
    return {"twilio": "on" if settings.twilio_enabled else "off (TWILIO_ACCOUNT_SID not set)"}
