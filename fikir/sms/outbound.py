"""The one SMS outbox worker: renders each message, picks its provider, spends segments of the rate.

Replies to a person who wrote to the Android phone go back through that phone (its local number
can be answered); broadcasts go through Twilio when it is configured, as DESIGN.md allows.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlmodel import col, select

from fikir.config.settings import Settings
from fikir.outbox.message import (
    CONVERSATION_KINDS,
    Failed,
    OutboundMessage,
    RetryLater,
    SendResult,
    Sent,
)
from fikir.outbox.running import running
from fikir.outbox.worker import OutboxWorker, WorkerConfig
from fikir.privacy.pseudonym import Pseudonymizer
from fikir.runtime import Runtime
from fikir.sms.gateway_sender import REQUEST_TIMEOUT as GATEWAY_TIMEOUT
from fikir.sms.gateway_sender import GatewayProvider
from fikir.sms.phone import to_e164
from fikir.sms.provider import AMBIGUOUS, SmsProvider, outbound_text
from fikir.sms.segments import count_segments
from fikir.sms.twilio_sender import TwilioProvider
from fikir.storage.engine import SessionMaker
from fikir.storage.models import OutboxMessage

log = logging.getLogger(__name__)

CHANNEL = "sms"
# Clock difference tolerated between us and the provider when matching a message by its time.
CLOCK_SLACK = timedelta(seconds=5)
LOOKUP_ATTEMPTS = 3
UNCONFIRMED = "unconfirmed"  # a retry whose previous attempt could not be checked

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class RowFacts:
    """What sending needs to know about an outbox row beyond its message."""

    kind: str
    created_at: datetime
    uncertain: bool  # the last attempt may have reached the provider after all


class SmsSender:
    """The outbox Sender for channel "sms": one body per message, cost in segments.

    Exactly once: a send whose outcome is unknown (timeout, dropped connection, 5xx) is followed
    by asking the provider, and so is the next attempt, before anything is sent again.
    """

    channel = CHANNEL

    def __init__(
        self,
        sessions: SessionMaker,
        pseudonymizer: Pseudonymizer,
        *,
        replies: SmsProvider,
        broadcasts: SmsProvider,
        transliterate: str = "auto",
    ) -> None:
        self._sessions = sessions
        self._pseudonymizer = pseudonymizer
        self._replies = replies
        self._broadcasts = broadcasts
        self._transliterate = transliterate
        self._costs: OrderedDict[str, int] = OrderedDict()
        self._facts: OrderedDict[int, RowFacts] = OrderedDict()
        # Provider ids this process has tied to an outbox row: one message never settles two rows.
        self._attributed: OrderedDict[str, int] = OrderedDict()

    @property
    def providers(self) -> tuple[SmsProvider, ...]:
        if self._replies is self._broadcasts:
            return (self._replies,)
        return (self._replies, self._broadcasts)

    def body(self, message: OutboundMessage) -> str:
        return outbound_text(message, self._transliterate)

    def cost(self, row: OutboxMessage) -> float:
        """Segments of the rendered body; a broadcast's rows share a payload, so it is cached.

        The worker prices a row just before sending it, so its facts are noted here and spare
        `send` (which gets only the row's id) a query.
        """
        if row.id is not None:
            _bounded_put(self._facts, row.id, _facts(row), 4096)
        cached = self._costs.get(row.payload)
        if cached is None:
            cached = count_segments(self.body(OutboundMessage.from_json(row.payload))).segments
            _bounded_put(self._costs, row.payload, cached, 512)
        return float(cached)

    def ref(self, outbox_id: int, to: str, body: str) -> str:
        """Our id for one outbox message, unguessable and the same on every attempt."""
        digest = self._pseudonymizer.keyed_hash("sms-ref", f"{outbox_id}\x1f{to}\x1f{body}")
        return f"fikir-{digest[:24]}"

    async def send(self, address: str, message: OutboundMessage, outbox_id: int) -> SendResult:
        to = to_e164(address)
        if to is None:
            return Failed(reason="invalid_number")
        facts = await self._facts_for(outbox_id)
        if facts is None:
            return Failed(reason="erased")
        provider = self._route(facts.kind)
        body = self.body(message)
        ref = self.ref(outbox_id, to, body)
        since = facts.created_at - CLOCK_SLACK
        if facts.uncertain:
            # The last attempt timed out: the provider may have created the message since.
            try:
                found = await self._lookup(provider, to, body, ref, since, outbox_id)
            except Exception:  # noqa: BLE001 - still unknown: never resend blind
                return RetryLater(seconds=10.0, reason=UNCONFIRMED)
            if found is not None:
                return Sent(provider_id=found)
        result = await provider.send(to, body, ref)
        if isinstance(result, RetryLater) and result.reason in AMBIGUOUS:
            try:
                found = await self._lookup(provider, to, body, ref, since, outbox_id)
            except Exception:  # noqa: BLE001 - still unknown; the next attempt asks again
                return result
            if found is not None:
                return Sent(provider_id=found)
        if isinstance(result, Sent) and result.provider_id:
            self._remember(result.provider_id, outbox_id)
        return result

    async def was_sent(self, address: str, message: OutboundMessage, outbox_id: int) -> str | None:
        to = to_e164(address)
        if to is None:
            return None
        self._facts.pop(outbox_id, None)
        facts = await self._facts_for(outbox_id)
        if facts is None:
            return None
        body = self.body(message)
        provider = self._route(facts.kind)
        ref = self.ref(outbox_id, to, body)
        # Since the row was made, not since its last claim: an earlier attempt may have landed.
        since = facts.created_at - CLOCK_SLACK
        for attempt in range(LOOKUP_ATTEMPTS):
            try:
                return await self._lookup(provider, to, body, ref, since, outbox_id)
            except Exception:  # noqa: BLE001 - a recovery must not stop the worker
                await asyncio.sleep(0.5 * 2**attempt)
        log.error("%s: could not learn whether a message was sent; resending it", provider.name)
        return None

    async def _lookup(
        self, provider: SmsProvider, to: str, body: str, ref: str, since: datetime, outbox_id: int
    ) -> str | None:
        """The provider's id of this row's message, if it has one that no other row claims."""
        try:
            candidates = await provider.find_sent(to, body, ref, since)
        except Exception as exc:
            log.warning("%s: could not ask what was sent (%s)", provider.name, type(exc).__name__)
            raise
        if not candidates:
            return None
        async with self._sessions() as session:
            taken = set(
                (
                    await session.exec(
                        select(OutboxMessage.provider_id).where(
                            col(OutboxMessage.provider_id).in_(candidates),
                            OutboxMessage.id != outbox_id,
                        )
                    )
                ).all()
            )
        for candidate in reversed(candidates):  # oldest first: the first send is the one kept
            owner = self._attributed.get(candidate, outbox_id)
            if candidate not in taken and owner == outbox_id:
                self._remember(candidate, outbox_id)
                return candidate
        return None

    def _remember(self, provider_id: str, outbox_id: int) -> None:
        _bounded_put(self._attributed, provider_id, outbox_id, 100_000)

    def _route(self, kind: str) -> SmsProvider:
        return self._replies if kind in CONVERSATION_KINDS else self._broadcasts

    async def _facts_for(self, outbox_id: int) -> RowFacts | None:
        known = self._facts.pop(outbox_id, None)
        if known is not None:
            return known
        async with self._sessions() as session:
            row = await session.get(OutboxMessage, outbox_id)
        return None if row is None else _facts(row)

    async def aclose(self) -> None:
        for provider in self.providers:
            await provider.aclose()


def _facts(row: OutboxMessage) -> RowFacts:
    return RowFacts(row.kind, row.created_at, (row.error or "") in AMBIGUOUS | {UNCONFIRMED})


def _bounded_put(cache: OrderedDict[K, V], key: K, value: V, limit: int) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > limit:
        cache.popitem(last=False)


def twilio_provider(settings: Settings) -> TwilioProvider | None:
    if not settings.twilio_enabled or settings.twilio_auth_token is None:
        return None
    callback = f"{settings.public_url}/webhooks/twilio/status" if settings.public_url else None
    return TwilioProvider(
        settings.twilio_account_sid,
        settings.twilio_auth_token.get_secret_value(),
        settings.twilio_from,
        api_url=settings.twilio_api_url,
        status_callback=callback,
    )


def gateway_provider(settings: Settings) -> GatewayProvider | None:
    if not settings.smsgate_enabled or settings.smsgate_password is None:
        return None
    return GatewayProvider(
        settings.smsgate_url, settings.smsgate_user, settings.smsgate_password.get_secret_value()
    )


def build_sender(runtime: Runtime) -> SmsSender | None:
    """The sender for this deployment's providers, or None when no SMS provider is configured."""
    twilio = twilio_provider(runtime.settings)
    gateway = gateway_provider(runtime.settings)
    replies = gateway or twilio
    broadcasts = twilio or gateway
    if replies is None or broadcasts is None:
        return None
    return SmsSender(
        runtime.sessions,
        runtime.services.pseudonymizer,
        replies=replies,
        broadcasts=broadcasts,
        transliterate=runtime.settings.sms_transliterate,
    )


def worker_config(rate: float) -> WorkerConfig:
    """Claim about two seconds of sending at a time, and a lease no live claim can outlast."""
    batch = max(1, min(100, int(rate * 2)))
    longest_claim = batch / rate + 2 * max(GATEWAY_TIMEOUT, 10.0)
    return WorkerConfig(
        rate=rate,
        batch=batch,
        concurrency=min(16, batch),
        lease=timedelta(seconds=max(20.0, 2 * longest_claim)),
        idle_poll=0.2,
    )


@asynccontextmanager
async def running_worker(runtime: Runtime) -> AsyncIterator[OutboxWorker | None]:
    """Send queued SMS while the service runs; nothing starts when no provider is configured."""
    sender = build_sender(runtime)
    if sender is None:
        yield None
        return
    worker = OutboxWorker(
        runtime.sessions,
        runtime.services.vault,
        sender,
        worker_config(runtime.settings.sms_rate),
        runtime.instance,
        runtime.metrics,
    )
    try:
        async with running(worker, runtime.outbox_wakers, "sms"):
            log.info(
                "sms outbox: replies via %s, broadcasts via %s, %.1f segments/s",
                sender.providers[0].name,
                sender.providers[-1].name,
                runtime.settings.sms_rate,
            )
            yield worker
    finally:
        await sender.aclose()
