"""The outbox worker: claims due messages, sends them within the channel's limits, records why.

A crash between a provider accepting a message and our commit leaves the row "sending"; after
the lease, the sender is asked whether the provider has it (Twilio can tell) before any resend.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.metrics import Metrics, channel_label
from fikir.outbox.limiter import PerKeyGap, TokenBucket
from fikir.outbox.message import OutboundMessage, RetryLater, SendResult, SendStats, Sent
from fikir.outbox.queue import claim_batch, stale_claims
from fikir.privacy.vault import Vault
from fikir.storage.engine import SessionMaker
from fikir.storage.models import Contact, OutboxMessage, Respondent

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


@dataclass
class _Outcome:
    """What became of one claimed message, written with the rest of its batch."""

    row: OutboxMessage
    status: str
    provider_id: str | None = None
    error: str | None = None
    next_attempt: datetime | None = None
    blocked: bool = False

    def values(self) -> dict[str, Any]:
        """The columns this outcome changes."""
        changed: dict[str, Any] = {
            "status": self.status,
            "error": self.error[:200] if self.error else None,
        }
        if self.status == "pending":
            changed["claimed_by"] = None
        else:
            changed["address_enc"] = None  # the sealed address lives only until it is used
        if self.provider_id is not None:
            changed["provider_id"] = self.provider_id
        if self.status == "sent":
            changed["sent_at"] = datetime.now(UTC)
        if self.next_attempt is not None:
            changed["next_attempt_at"] = self.next_attempt
        return changed


class Sender(Protocol):
    """One channel's way out; adapters implement it, the worker drives it."""

    channel: str

    async def send(self, address: str, message: OutboundMessage, outbox_id: int) -> SendResult:
        """Send one message; never raise for provider errors, answer with a result."""
        ...

    async def was_sent(self, address: str, message: OutboundMessage, outbox_id: int) -> str | None:
        """After a crash: the provider's id if it already has this message, else None."""
        ...

    def cost(self, row: OutboxMessage) -> float:
        """Units of the channel's rate this message spends (SMS: segments)."""
        ...


@dataclass
class WorkerConfig:
    rate: float
    per_recipient_gap: float | None = None
    batch: int = 100
    concurrency: int = 16
    lease: timedelta = timedelta(seconds=60)
    idle_poll: float = 0.1


class OutboxWorker:
    """Sends one channel's queued messages; several may run on several instances."""

    def __init__(
        self,
        sessions: SessionMaker,
        vault: Vault,
        sender: Sender,
        config: WorkerConfig,
        instance: str,
        metrics: Metrics | None = None,
    ) -> None:
        self._metrics = metrics
        self._sessions = sessions
        self._vault = vault
        self._sender = sender
        self._config = config
        self._instance = instance
        self._bucket = TokenBucket(config.rate, burst=max(1.0, min(config.rate, 30.0)))
        self._gap = PerKeyGap(config.per_recipient_gap) if config.per_recipient_gap else None
        self._wake = asyncio.Event()
        self._semaphore = asyncio.Semaphore(config.concurrency)
        self.stats = SendStats()

    @property
    def channel(self) -> str:
        return self._sender.channel

    def wake(self) -> None:
        """New messages were queued: look now rather than at the next poll."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set; errors are logged and the loop goes on."""
        await self._recover_safely()
        last_recovery = datetime.now(UTC)
        while not stop.is_set():
            try:
                handled = await self.drain_once()
            except (OperationalError, InterfaceError) as exc:
                # The database is away: one line an operator can act on, not a traceback a second.
                log.warning(
                    "outbox %s: database unavailable (%s); retrying in 1 s",
                    self.channel,
                    type(exc).__name__,
                )
                handled = 0
                await asyncio.sleep(1)
            except Exception:
                log.exception("outbox worker for %s failed; retrying in 1 s", self.channel)
                handled = 0
                await asyncio.sleep(1)
            now = datetime.now(UTC)
            if now - last_recovery > self._config.lease:
                await self._recover_safely()
                last_recovery = now
            if handled == 0:
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=self._config.idle_poll)
                except TimeoutError:
                    pass

    async def drain_once(self) -> int:
        """Claim one batch, send it, and record every outcome in one transaction.

        Addresses are looked up for the whole batch at once and outcomes written together:
        per-message transactions cap SQLite at about a hundred messages a second. A crash
        before the write leaves the batch "sending", settled later by asking the provider.
        """
        now = datetime.now(UTC)
        async with self._sessions() as session, session.begin():
            rows = await claim_batch(session, self.channel, self._instance, now, self._config.batch)
            sealed = await self._sealed_contacts(session, rows)
        if not rows:
            return 0
        # One recipient's messages leave one after another, in queue order (the per-recipient
        # gap then holds); different recipients are served side by side.
        groups: dict[str, list[OutboxMessage]] = {}
        for row in rows:
            groups.setdefault(row.pseudonym, []).append(row)

        async def one_recipient(group: list[OutboxMessage]) -> list[_Outcome]:
            finished = []
            for row in group:
                try:
                    finished.append(await self._deliver(row, sealed.get(row.pseudonym)))
                except Exception as exc:  # noqa: BLE001 - never lose the rest of the batch
                    log.exception("outbox %s: delivering message %s failed", self.channel, row.id)
                    finished.append(self._outcome(row, RetryLater(5.0, type(exc).__name__)))
            return finished

        done = await asyncio.gather(*(one_recipient(group) for group in groups.values()))
        await self._write([outcome for group in done for outcome in group])
        return len(rows)

    async def _sealed_contacts(
        self, session: AsyncSession, rows: list[OutboxMessage]
    ) -> dict[str, bytes]:
        wanted = [row.pseudonym for row in rows if row.address_enc is None]
        if not wanted:
            return {}
        found = await session.exec(
            select(Contact.pseudonym, Contact.address_enc).where(col(Contact.pseudonym).in_(wanted))
        )
        return dict(found.all())

    async def _recover_safely(self) -> None:
        try:
            await self.recover()
        except Exception:
            # A locked or unreachable database must not end the worker; the next lease retries.
            log.exception("outbox %s: recovering unfinished messages failed", self.channel)

    async def recover(self) -> int:
        """Settle messages left "sending" by a crashed instance: done if the provider has them."""
        now = datetime.now(UTC)
        settled = 0
        async with self._sessions() as session, session.begin():
            for row in await stale_claims(session, self.channel, now - self._config.lease):
                address = (
                    self._vault.open(row.address_enc)
                    if row.address_enc is not None
                    else await self._address(session, row.pseudonym)
                )
                provider_id = None
                if address is not None:
                    provider_id = await self._sender.was_sent(
                        address, OutboundMessage.from_json(row.payload), row.id or 0
                    )
                if provider_id is not None:
                    row.status, row.provider_id, row.sent_at = "sent", provider_id, now
                else:
                    row.status, row.claimed_by = "pending", None
                session.add(row)
                settled += 1
        if settled:
            log.info(
                "outbox %s: settled %d messages left unfinished by a stopped instance",
                self.channel,
                settled,
            )
        return settled

    async def _address(self, session: AsyncSession, pseudonym: str) -> str | None:
        contact = (
            await session.exec(select(Contact).where(Contact.pseudonym == pseudonym))
        ).first()
        return None if contact is None else self._vault.open(contact.address_enc)

    async def _deliver(self, row: OutboxMessage, sealed: bytes | None) -> _Outcome:
        async with self._semaphore:
            token = row.address_enc if row.address_enc is not None else sealed
            if token is None:
                # Opted out or erased since it was queued: it must never be sent.
                return _Outcome(row, "cancelled", error="no contact")
            address = self._vault.open(token)
            if self._gap is not None:
                wait = self._gap.wait_time(row.pseudonym)
                if wait > 0:
                    await asyncio.sleep(wait)
                self._gap.mark(row.pseudonym)
            await self._bucket.acquire(self._sender.cost(row))
            message = OutboundMessage.from_json(row.payload)
            try:
                result = await self._sender.send(address, message, row.id or 0)
            except Exception as exc:  # noqa: BLE001 - an adapter bug must not stop the queue
                log.exception("sending outbox message %s on %s raised", row.id, self.channel)
                result = RetryLater(seconds=5.0, reason=type(exc).__name__)
            if self._gap is not None:
                self._gap.mark(row.pseudonym)
            return self._outcome(row, result)

    def _outcome(self, row: OutboxMessage, result: SendResult) -> _Outcome:
        if isinstance(result, Sent):
            self.stats.sent += 1
            return _Outcome(row, "sent", provider_id=result.provider_id)
        self.stats.by_reason[result.reason] = self.stats.by_reason.get(result.reason, 0) + 1
        if isinstance(result, RetryLater):
            self.stats.retried += 1
            if result.reason == "rate_limited":
                self._bucket.pause(result.seconds)
            if result.counts and row.attempts >= MAX_ATTEMPTS:
                return _Outcome(row, "failed", error=f"gave up: {result.reason}")
            delay = max(result.seconds, min(300.0, 2.0**row.attempts))
            if result.reason == "rate_limited":
                delay = result.seconds
            return _Outcome(
                row,
                "pending",
                error=result.reason,
                next_attempt=datetime.now(UTC) + timedelta(seconds=delay),
            )
        self.stats.failed += 1
        return _Outcome(row, "failed", error=result.reason, blocked=result.blocked)

    def _count(self, outcome: str) -> None:
        if self._metrics is not None:
            self._metrics.outbound.labels(channel_label(self.channel), outcome).inc()

    async def _write(self, outcomes: list[_Outcome]) -> None:
        for outcome in outcomes:
            self._count("retried" if outcome.status == "pending" else outcome.status)
        async with self._sessions() as session, session.begin():
            for outcome in outcomes:
                # A plain UPDATE: a message erased meanwhile (/forget, STOP) matches no row and
                # is simply gone, where an ORM flush raised StaleDataError and lost the batch.
                changed = await session.exec(
                    update(OutboxMessage)
                    .where(col(OutboxMessage.id) == outcome.row.id)
                    .values(**outcome.values())
                )
                if changed.rowcount and outcome.blocked:
                    await self._mark_blocked(session, outcome.row.pseudonym)

    async def _mark_blocked(self, session: AsyncSession, pseudonym: str) -> None:
        respondent = (
            await session.exec(select(Respondent).where(Respondent.pseudonym == pseudonym))
        ).first()
        if respondent is not None:
            respondent.blocked = True
            respondent.subscribed = False
            session.add(respondent)
        log.info(
            "a recipient on %s blocked us or opted out at the provider; not retried", self.channel
        )
