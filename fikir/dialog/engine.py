"""The conversation engine: one Inbound in, Replies out, state kept per respondent in the store.

The engine decides and the store applies in one transaction; replies leave only after commit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import channel_of
from fikir.dialog import prompts as p
from fikir.dialog.batch import GroupCommit, Pending
from fikir.dialog.feedback import FeedbackWrites
from fikir.dialog.flows import step
from fikir.dialog.messages import Handled, Inbound, Outcome, Reply
from fikir.dialog.services import Services
from fikir.dialog.state import State, dump_record, load_record, parse_state
from fikir.dialog.text import clean
from fikir.dialog.turn import Turn
from fikir.metrics import Metrics, channel_label
from fikir.outbox.message import OutboundMessage
from fikir.outbox.queue import Queued, enqueue_many
from fikir.storage.engine import SessionMaker
from fikir.storage.events import claim_events
from fikir.storage.models import Respondent

log = logging.getLogger(__name__)


class StoreUnavailable(Exception):
    """The database could not be reached or refused to work; nothing of the message was kept."""


# Failures of the store itself (connection refused or lost, disk full, locked, pool exhausted),
# as opposed to a bug in handling this message: retrying later can succeed.
STORE_ERRORS = (OperationalError, InterfaceError, PoolTimeout)


class DialogEngine:
    """Runs the flows of DESIGN.md for any channel."""

    def __init__(
        self, sessions: SessionMaker, services: Services, metrics: Metrics | None = None
    ) -> None:
        self._sessions = sessions
        self._services = services
        self._metrics = metrics
        self._group = GroupCommit(self._run)

    @property
    def services(self) -> Services:
        return self._services

    async def handle(
        self, inbound: Inbound, *, queue_replies: bool = False, raise_store_errors: bool = False
    ) -> Handled:
        """Process one inbound message exactly once; never raises for what a person sends.

        With `queue_replies`, the replies are also put in the outbox in the same transaction, so
        a channel that sends them later (Telegram, the Android gateway) can never lose one.
        With `raise_store_errors`, an unreachable database raises StoreUnavailable instead of
        answering with an apology, so that the channel can spool the message (fikir.spool).
        Messages arriving together share a transaction (fikir.dialog.batch); each is still
        answered only once its own rows are committed.
        """
        label = channel_label(inbound.channel)
        started = time.perf_counter()
        try:
            try:
                handled = await self._group.submit(inbound, queue_replies)
            except STORE_ERRORS as exc:
                if raise_store_errors:
                    self._count_error("store")
                    raise StoreUnavailable(type(exc).__name__) from exc
                log.error(
                    "the store failed on an inbound %s message (%s)", label, failure_kind(exc)
                )
                return self._apology(inbound)
            except Exception:  # logged where it happened; the person gets the apology
                return self._apology(inbound)
            if self._metrics is not None:
                seen = self._metrics.inbound if handled is not None else self._metrics.duplicates
                seen.labels(label).inc()
            return handled or Handled(Outcome.DUPLICATE)
        finally:
            if self._metrics is not None:
                self._metrics.handling.labels(label).observe(time.perf_counter() - started)

    def _apology(self, inbound: Inbound) -> Handled:
        self._count_error("dialog")
        error = p.SMS_ERROR if channel_of(inbound.channel).paid else p.ERROR
        reply = Reply(p.t(inbound.language_hint, error), (), inbound.language_hint)
        return Handled(Outcome.APOLOGISED, (reply,))

    def _count_error(self, where: str) -> None:
        if self._metrics is not None:
            self._metrics.errors.labels(where).inc()

    async def _run(self, batch: list[Pending]) -> None:
        """Handle a batch in one transaction; if that fails, each message again on its own."""
        if len(batch) == 1:
            await self._run_alone(batch[0])
            return
        try:
            outcomes = await self._transaction(batch)
        except STORE_ERRORS as exc:
            for item in batch:
                _settle_error(item, exc)
            return
        except Exception:
            # One message's trouble (a race on a new respondent, a bug) must not cost the others.
            for item in batch:
                await self._run_alone(item)
            return
        await self._settle(batch, outcomes)

    async def _run_alone(self, item: Pending) -> None:
        label = channel_label(item.inbound.channel)
        for attempt in range(3):
            try:
                outcomes = await self._transaction([item])
            except IntegrityError as exc:
                # Two deliveries raced: the loser sees the winner's rows on its next attempt.
                if attempt == 2:
                    log.exception("could not store an inbound %s message", label)
                    _settle_error(item, exc)
            except STORE_ERRORS as exc:
                _settle_error(item, exc)
                return
            except Exception as exc:
                log.exception("the dialog engine failed on an inbound %s message", label)
                _settle_error(item, exc)
                return
            else:
                await self._settle([item], outcomes)
                return

    async def _settle(self, batch: list[Pending], outcomes: list[Handled | None]) -> None:
        """Hand each caller its outcome; queue the replies of callers that stopped waiting."""
        orphans: list[tuple[Pending, tuple[Reply, ...]]] = []
        for item, handled in zip(batch, outcomes, strict=True):
            if not item.future.done():
                item.future.set_result(handled)
            elif handled is not None and handled.replies and not item.queue_replies:
                # The caller spooled the message meanwhile; its replay will be a duplicate, so
                # the replies committed here are sent from the outbox instead of being lost.
                orphans.append((item, handled.replies))
        if not orphans:
            return
        try:
            async with self._sessions() as session, session.begin():
                for item, replies in orphans:
                    await self._queue(session, item.inbound, replies, item.inbound.received_at)
        except Exception:
            log.exception("could not queue the replies of %d late messages", len(orphans))

    async def _transaction(self, batch: list[Pending]) -> list[Handled | None]:
        """One transaction for the batch: events claimed, respondents loaded, turns taken."""
        now = datetime.now(UTC)
        async with self._sessions() as session, session.begin():
            keys = [_event_key(item.inbound) for item in batch]
            fresh = await claim_events(session, [key for key in keys if key is not None], now)
            people = await self._respondents(session, batch, now)
            writes = FeedbackWrites(expected=len(batch))
            outcomes: list[Handled | None] = []
            for item, key in zip(batch, keys, strict=True):
                if key is not None and key not in fresh:
                    outcomes.append(None)  # a redelivery, or the same event twice in this batch
                    continue
                if key is not None:
                    fresh.discard(key)
                name = self._pseudonym(item.inbound)
                if people[name].state == State.ERASED:
                    # Forgotten earlier in this batch: from now on a newcomer, as if alone.
                    await session.flush()  # the deletion first: the pseudonym is unique
                    people[name] = _newcomer(name, item.inbound, now)
                    session.add(people[name])
                    await session.flush()
                outcomes.append(await self._turn(session, people[name], item, writes))
            await writes.flush(session)
        return outcomes

    def _pseudonym(self, inbound: Inbound) -> str:
        return self._services.pseudonymizer.pseudonym(inbound.channel, inbound.address)

    async def _respondents(
        self, session: AsyncSession, batch: list[Pending], now: datetime
    ) -> dict[str, Respondent]:
        """Everyone in the batch, in one query; newcomers inserted together."""
        wanted = {self._pseudonym(item.inbound): item.inbound for item in reversed(batch)}
        found = await session.exec(
            select(Respondent).where(col(Respondent.pseudonym).in_(list(wanted)))
        )
        people = {respondent.pseudonym: respondent for respondent in found.all()}
        newcomers = [
            _newcomer(pseudonym, inbound, now)
            for pseudonym, inbound in wanted.items()
            if pseudonym not in people
        ]
        if newcomers:
            session.add_all(newcomers)
            await session.flush()
            people.update((respondent.pseudonym, respondent) for respondent in newcomers)
        return people

    async def _turn(
        self,
        session: AsyncSession,
        respondent: Respondent,
        item: Pending,
        writes: FeedbackWrites,
    ) -> Handled:
        inbound = item.inbound
        now = _when(inbound, datetime.now(UTC))
        turn = Turn(
            session,
            respondent,
            inbound,
            clean(inbound.text),
            now,
            writes,
            self._services,
            record=load_record(parse_state(respondent.state), respondent.state_data),
        )
        await step(turn)
        if turn.outcome is not Outcome.ERASED:
            respondent.state_data = dump_record(turn.record)
            respondent.last_seen_at = now
            session.add(respondent)
        if item.queue_replies:
            await self._queue(session, inbound, turn.replies, now)
        return Handled(turn.outcome, tuple(turn.replies))

    async def _queue(
        self, session: AsyncSession, inbound: Inbound, replies: Sequence[Reply], now: datetime
    ) -> None:
        """The replies in the outbox, each once (keyed by the inbound event and its position)."""
        if not replies:
            return
        pseudonym = self._pseudonym(inbound)
        sealed = self._services.vault.seal(inbound.address)
        channel = channel_of(inbound.channel).family
        prefix = reply_key_prefix(inbound.channel, inbound.external_id or f"{now.timestamp():.6f}")
        queued = [
            Queued(
                pseudonym,
                channel,
                "reply",
                OutboundMessage(
                    text=reply.text,
                    choices=tuple((c.payload, c.label) for c in reply.choices),
                    language=reply.language,
                ),
                f"{prefix}{index}"[:128],
                address_enc=sealed,
            )
            for index, reply in enumerate(replies)
        ]
        await enqueue_many(session, queued, now)


def reply_key_prefix(channel: str, external_id: str) -> str:
    """How the outbox keys of the replies to one message begin (a pull channel reads them)."""
    return f"reply:{channel_of(channel).family}:{external_id}:"


def _newcomer(pseudonym: str, inbound: Inbound, now: datetime) -> Respondent:
    return Respondent(
        pseudonym=pseudonym,
        channel=inbound.channel,
        created_at=_when(inbound, now),
        last_seen_at=_when(inbound, now),
    )


def _when(inbound: Inbound, now: datetime) -> datetime:
    return inbound.received_at if inbound.received_at.tzinfo else now


def _event_key(inbound: Inbound) -> tuple[str, str] | None:
    if not inbound.external_id:
        return None
    return channel_of(inbound.channel).family, str(inbound.external_id)[:128]


def _settle_error(item: Pending, exc: BaseException) -> None:
    if not item.future.done():
        item.future.set_exception(exc)


def failure_kind(exc: BaseException) -> str:
    """The kind of failure, never its message (a driver may quote the statement's values)."""
    cause = exc.__cause__ or exc
    return type(cause).__name__
