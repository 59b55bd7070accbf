"""The outbox Sender for WhatsApp: free text inside the 24-hour window, a template outside it.

Outside the window without a template for the person's language, a message waits (it never
uses up its attempts) until they write again or FIKIR_WHATSAPP_WAIT_HOURS pass; then it is
skipped. The window is the respondent's last inbound time, which the engine keeps anyway.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from fikir.config.channels import WHATSAPP
from fikir.config.languages import DEFAULT_LANGUAGE
from fikir.config.settings import Settings
from fikir.dialog.messages import Choice, Reply
from fikir.outbox.message import Failed, OutboundMessage, RetryLater, SendResult
from fikir.outbox.window import OUTSIDE_WINDOW, Route, route
from fikir.sms.twilio_sender import TwilioProvider
from fikir.storage.engine import SessionMaker
from fikir.storage.models import OutboxMessage, Respondent
from fikir.whatsapp.address import CHANNEL, sender_address, to_whatsapp
from fikir.whatsapp.webhook import reply_text

log = logging.getLogger(__name__)

# How often a waiting message looks again (the person writing releases it at once).
WAIT_RETRY = timedelta(hours=1)
SKIPPED = "outside_window_skipped"


@dataclass(frozen=True)
class RowFacts:
    pseudonym: str
    created_at: datetime


class WhatsAppSender:
    """Sends one outbox message through Twilio's WhatsApp sender, as the window allows."""

    channel = CHANNEL

    def __init__(
        self,
        sessions: SessionMaker,
        provider: TwilioProvider,
        templates: dict[str, str],
        wait: timedelta,
    ) -> None:
        self._sessions = sessions
        self._provider = provider
        self._templates = templates
        self._wait = wait
        self._facts: OrderedDict[int, RowFacts] = OrderedDict()

    def cost(self, row: OutboxMessage) -> float:
        """One message each; the row's facts are noted for `send`, which gets only its id."""
        if row.id is not None:
            self._facts[row.id] = RowFacts(row.pseudonym, row.created_at)
            while len(self._facts) > 4096:
                self._facts.popitem(last=False)
        return 1.0

    async def send(self, address: str, message: OutboundMessage, outbox_id: int) -> SendResult:
        to = to_whatsapp(address)
        if to is None:
            return Failed(reason="invalid_number")
        facts, last_inbound = await self._facts_for(outbox_id)
        if facts is None:
            return Failed(reason="erased")
        now = datetime.now(UTC)
        text = reply_text(_reply(message))
        way = route(WHATSAPP, last_inbound, now, self._templates, message.language)
        if way is Route.FREE:
            return await self._provider.send(to, text, str(outbox_id))
        if way is Route.TEMPLATE:
            sid = self._templates[message.language or DEFAULT_LANGUAGE]
            variables = json.dumps({"1": text}, ensure_ascii=False)
            return await self._provider.send(to, text, str(outbox_id), content=(sid, variables))
        if now - facts.created_at >= self._wait:
            return Failed(reason=SKIPPED)
        left = facts.created_at + self._wait - now
        seconds = min(WAIT_RETRY, left).total_seconds()
        return RetryLater(seconds=max(1.0, seconds), reason=OUTSIDE_WINDOW, counts=False)

    async def was_sent(self, address: str, message: OutboundMessage, outbox_id: int) -> str | None:
        """After a crash: a free-text message Twilio already has (a template's text is Twilio's)."""
        to = to_whatsapp(address)
        facts, _ = await self._facts_for(outbox_id)
        if to is None or facts is None:
            return None
        text = reply_text(_reply(message))
        found = await self._provider.find_sent(to, text, str(outbox_id), facts.created_at)
        return found[-1] if found else None

    async def _facts_for(self, outbox_id: int) -> tuple[RowFacts | None, datetime | None]:
        facts = self._facts.pop(outbox_id, None)
        async with self._sessions() as session:
            if facts is None:
                row = await session.get(OutboxMessage, outbox_id)
                if row is None:
                    return None, None
                facts = RowFacts(row.pseudonym, row.created_at)
            seen = (
                await session.exec(
                    select(Respondent.last_seen_at).where(Respondent.pseudonym == facts.pseudonym)
                )
            ).first()
        return facts, seen

    async def aclose(self) -> None:
        await self._provider.aclose()


def _reply(message: OutboundMessage) -> Reply:
    return Reply(
        message.text,
        tuple(Choice(payload, label) for payload, label in message.choices),
        message.language,
    )


def build_sender(settings: Settings, sessions: SessionMaker) -> WhatsAppSender | None:
    """The sender when Twilio and FIKIR_WHATSAPP_FROM are set, else None."""
    if not settings.whatsapp_enabled or settings.twilio_auth_token is None:
        return None
    callback = f"{settings.public_url}/webhooks/twilio/status" if settings.public_url else None
    provider = TwilioProvider(
        settings.twilio_account_sid,
        settings.twilio_auth_token.get_secret_value(),
        sender_address(settings.whatsapp_from),
        api_url=settings.twilio_api_url,
        status_callback=callback,
    )
    wait = timedelta(hours=settings.whatsapp_wait_hours)
    return WhatsAppSender(sessions, provider, dict(settings.whatsapp_templates), wait)
