"""A signed Twilio WhatsApp message → Inbound → engine → TwiML, for either Twilio webhook path.

Twilio also sends the sender's WhatsApp profile name and WaId; neither is read, so neither can
be stored or logged.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from fastapi import Response
from starlette.datastructures import FormData
from twilio.twiml.messaging_response import MessagingResponse

from fikir.dialog.messages import Inbound, Reply
from fikir.dialog.render import numbered
from fikir.dialog.text import small_number
from fikir.outbox.window import release_waiting
from fikir.runtime import Runtime
from fikir.spool import handle_or_spool
from fikir.whatsapp.address import CHANNEL, to_whatsapp

log = logging.getLogger(__name__)

TWIML = "application/xml"


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _media(form: FormData) -> str | None:
    """The kind of the first attachment ("image", "audio" …), as Telegram names what it got."""
    if (small_number(_field(form, "NumMedia")) or 0) == 0:
        return None
    kind = _field(form, "MediaContentType0").split("/")[0].strip().lower()
    return kind if kind.isalpha() and len(kind) <= 16 else "media"


def inbound_from(form: FormData) -> Inbound | None:
    """The message as the engine sees it; None when the sender cannot be answered."""
    address = to_whatsapp(_field(form, "From"))
    sid = _field(form, "MessageSid") or _field(form, "SmsSid")
    if address is None or not sid:
        return None
    return Inbound(
        channel=CHANNEL,
        address=address,
        text=_field(form, "Body"),
        # A quick-reply button (where templates with buttons are configured) carries its payload.
        payload=_field(form, "ButtonPayload") or None,
        external_id=f"twilio:{sid}",
        received_at=datetime.now(UTC),
        media=_media(form),
    )


def reply_text(reply: Reply) -> str:
    """A reply as one WhatsApp message: choices as numbered lines (no buttons by default)."""
    return numbered(reply)


def twiml(replies: Sequence[Reply]) -> Response:
    response = MessagingResponse()
    for reply in replies:
        response.message(reply_text(reply))
    return Response(content=str(response.to_xml()), media_type=TWIML)


async def answer(runtime: Runtime, form: FormData) -> Response:
    """Handle one verified WhatsApp message and answer it with TwiML once it is durable."""
    inbound = inbound_from(form)
    if inbound is None:
        log.info("whatsapp: ignored a message without a sender or MessageSid")
        return twiml([])
    handled = await handle_or_spool(runtime, inbound)
    if handled.stored:
        # They wrote: the window is open again, so what waited for it may go now.
        pseudonym = runtime.services.pseudonymizer.pseudonym(CHANNEL, inbound.address)
        try:
            async with runtime.sessions() as session, session.begin():
                released = await release_waiting(session, CHANNEL, pseudonym, datetime.now(UTC))
        except Exception as exc:  # noqa: BLE001 - the next retry sends it anyway
            log.warning("whatsapp: could not release waiting messages (%s)", type(exc).__name__)
            released = 0
        if released:
            runtime.wake_outbox()
    return twiml(handled.replies)
