"""The outbox: each message sent once, within the rate, retried, cancelled after STOP."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from fikir.outbox.message import Failed, OutboundMessage, RetryLater, SendResult, Sent
from fikir.outbox.queue import enqueue
from fikir.outbox.worker import OutboxWorker, WorkerConfig
from fikir.runtime import Runtime
from fikir.storage.models import Contact, OutboxMessage, Respondent


class RecordingSender:
    """A stand-in channel that records sends and can answer 429, 5xx or 'blocked'."""

    channel = "sms"

    def __init__(self, script: dict[str, list[SendResult]] | None = None) -> None:
        self.sent: list[tuple[str, str, float]] = []
        self.script = script or {}
        self.provider: dict[int, str] = {}

    async def send(self, address: str, message: OutboundMessage, outbox_id: int) -> SendResult:
        planned = self.script.get(address)
        if planned:
            return planned.pop(0)
        self.sent.append((address, message.text, time.monotonic()))
        self.provider[outbox_id] = f"SM{outbox_id}"
        return Sent(provider_id=f"SM{outbox_id}")

    async def was_sent(self, address: str, message: OutboundMessage, outbox_id: int) -> str | None:
        return self.provider.get(outbox_id)

    def cost(self, row: OutboxMessage) -> float:
        return float(row.segments)


async def _subscribers(runtime: Runtime, n: int) -> list[str]:
    pseudonyms = []
    async with runtime.sessions() as session, session.begin():
        for i in range(n):
            address = f"+99450{i:07d}"
            pseudonym = runtime.services.pseudonymizer.pseudonym("sms", address)
            session.add(
                Respondent(
                    pseudonym=pseudonym,
                    channel="sms",
                    language="az",
                    consent_at=datetime.now(UTC),
                    subscribed=True,
                )
            )
            session.add(
                Contact(
                    pseudonym=pseudonym,
                    channel="sms",
                    address_enc=runtime.services.vault.seal(address),
                )
            )
            await enqueue(
                session,
                pseudonym=pseudonym,
                channel="sms",
                kind="poll",
                message=OutboundMessage(text=f"poll for {i}"),
                dedupe_key=f"poll:1:{pseudonym}",
            )
            pseudonyms.append(pseudonym)
    return pseudonyms


async def _drain(worker: OutboxWorker, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and await worker.drain_once():
        pass


async def test_each_message_once_within_the_rate(runtime: Runtime) -> None:
    await _subscribers(runtime, 40)
    async with runtime.sessions() as session, session.begin():
        # Queuing the same poll again for someone changes nothing.
        pseudonym = runtime.services.pseudonymizer.pseudonym("sms", "+994500000003")
        assert not await enqueue(
            session,
            pseudonym=pseudonym,
            channel="sms",
            kind="poll",
            message=OutboundMessage(text="again"),
            dedupe_key=f"poll:1:{pseudonym}",
        )
    sender = RecordingSender()
    worker = OutboxWorker(
        runtime.sessions,
        runtime.services.vault,
        sender,
        WorkerConfig(rate=20.0, batch=10),
        "test",
        runtime.metrics,
    )
    started = time.monotonic()
    await _drain(worker)
    elapsed = time.monotonic() - started
    addresses = [address for address, _, _ in sender.sent]
    assert sorted(addresses) == sorted(f"+99450{i:07d}" for i in range(40))
    # 40 messages at 20/s with a burst of 20: at least about one second.
    assert elapsed >= 0.9
    stamps = sorted(t for _, _, t in sender.sent)
    for i in range(len(stamps)):
        window = [t for t in stamps if stamps[i] <= t < stamps[i] + 1.0]
        assert len(window) <= 20 + 20 + 1  # rate plus burst, never a flood
    async with runtime.sessions() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    assert {row.status for row in rows} == {"sent"}
    assert all(row.provider_id and row.address_enc is None for row in rows)


async def test_retry_block_and_stop(runtime: Runtime) -> None:
    pseudonyms = await _subscribers(runtime, 3)
    sender = RecordingSender(
        {
            "+994500000000": [RetryLater(0.01, "rate_limited"), RetryLater(0.01, "server_error")],
            "+994500000001": [Failed("blocked by user", blocked=True)],
        }
    )
    async with runtime.sessions() as session, session.begin():
        # Person 2 sends STOP before the broadcast leaves: their contact is gone.
        contact = (
            await session.exec(select(Contact).where(Contact.pseudonym == pseudonyms[2]))
        ).one()
        await session.delete(contact)
    worker = OutboxWorker(
        runtime.sessions,
        runtime.services.vault,
        sender,
        WorkerConfig(rate=100.0),
        "test",
        runtime.metrics,
    )
    for _ in range(3):
        await _drain(worker)
        async with runtime.sessions() as session, session.begin():
            for row in (await session.exec(select(OutboxMessage))).all():
                row.next_attempt_at = datetime.now(UTC) - timedelta(seconds=1)
                session.add(row)
    async with runtime.sessions() as session:
        rows = {r.pseudonym: r for r in (await session.exec(select(OutboxMessage))).all()}
        blocked = (
            await session.exec(select(Respondent).where(Respondent.pseudonym == pseudonyms[1]))
        ).one()
    assert rows[pseudonyms[0]].status == "sent" and rows[pseudonyms[0]].attempts == 3
    assert rows[pseudonyms[1]].status == "failed" and blocked.blocked
    assert rows[pseudonyms[2]].status == "cancelled"
    assert [a for a, _, _ in sender.sent] == ["+994500000000"]


async def test_crash_mid_send_is_settled_without_resending(runtime: Runtime) -> None:
    await _subscribers(runtime, 2)
    sender = RecordingSender()
    config = WorkerConfig(rate=100.0, lease=timedelta(seconds=0))
    worker = OutboxWorker(runtime.sessions, runtime.services.vault, sender, config, "a")
    await _drain(worker)
    async with runtime.sessions() as session, session.begin():
        # Simulate a crash after the provider accepted message 1 but before our commit.
        for row in (await session.exec(select(OutboxMessage))).all():
            row.status = "sending"
            row.claimed_at = datetime.now(UTC) - timedelta(minutes=10)
            session.add(row)
    sent_before = len(sender.sent)
    restarted = OutboxWorker(runtime.sessions, runtime.services.vault, sender, config, "b")
    assert await restarted.recover() == 2
    await _drain(restarted)
    assert len(sender.sent) == sent_before  # the provider had both: nothing resent
    async with runtime.sessions() as session:
        assert {r.status for r in (await session.exec(select(OutboxMessage))).all()} == {"sent"}


async def test_workers_on_two_instances_share_without_duplicates(runtime: Runtime) -> None:
    await _subscribers(runtime, 60)
    sender = RecordingSender()
    one = OutboxWorker(
        runtime.sessions, runtime.services.vault, sender, WorkerConfig(rate=500.0, batch=7), "one"
    )
    two = OutboxWorker(
        runtime.sessions, runtime.services.vault, sender, WorkerConfig(rate=500.0, batch=7), "two"
    )
    await asyncio.gather(_drain(one), _drain(two))
    await _drain(one)
    addresses = [a for a, _, _ in sender.sent]
    assert len(addresses) == 60 == len(set(addresses))


class ErasingSender(RecordingSender):
    """Sends, and meanwhile the writer of the first message erases everything (/forget)."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__()
        self.runtime = runtime
        self.erased: int | None = None

    async def send(self, address: str, message: OutboundMessage, outbox_id: int) -> SendResult:
        if self.erased is None:
            self.erased = outbox_id
            async with self.runtime.sessions() as session, session.begin():
                row = await session.get(OutboxMessage, outbox_id)
                assert row is not None
                await session.delete(row)
        return await super().send(address, message, outbox_id)


async def test_a_message_erased_while_in_flight_does_not_lose_the_batch(runtime: Runtime) -> None:
    # A message erased while in flight is simply gone and the rest of the batch is written. (The
    # clean-clone CI run once saw the write fail with StaleDataError when the erasure committed
    # between the write's read and its update; the write is now one UPDATE per message, with no
    # read to race. This test cannot force that interleaving; it guards the erased-in-flight path.)
    await _subscribers(runtime, 3)
    sender = ErasingSender(runtime)
    config = WorkerConfig(rate=100.0, lease=timedelta(seconds=30))
    worker = OutboxWorker(runtime.sessions, runtime.services.vault, sender, config, "a")
    await _drain(worker)
    async with runtime.sessions() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    assert sender.erased is not None and sender.erased not in {row.id for row in rows}
    assert len(rows) == 2 and {row.status for row in rows} == {"sent"}
