"""A broadcast to 10,000 SMS subscribers survives SIGKILL halfway: everyone gets it exactly once.

`fikir run` sends through the loopback Twilio at the configured rate; it is killed with SIGKILL
while messages are in flight (the fake Twilio answers slowly, so some were accepted by Twilio
but never acknowledged to us), restarted, and must settle every message without a resend.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlmodel import col, func, select

from fikir.outbox.message import OutboundMessage
from fikir.outbox.queue import enqueue
from fikir.privacy.pseudonym import Pseudonymizer
from fikir.privacy.vault import Vault
from fikir.sms.estimate import estimate_queued
from fikir.storage.engine import SessionMaker, create_async_db_engine, make_sessionmaker
from fikir.storage.models import Contact, OutboxMessage, Respondent
from tests.conftest import TEST_SECRET, free_port
from tests.fakes.twilio_server import FakeTwilio
from tests.test_sms_service import ServiceProcess, service_env

SUBSCRIBERS = 10_000
RATE = 400.0  # segments per second (FIKIR_SMS_RATE)
BURST = 30  # the outbox's token bucket lets this many go at once
TEXT = "fikir: yeni sorgu! Kendinizde en boyuk problem nedir? Cavab ucun SORGU yazin."


def numbers() -> list[str]:
    return [f"+99450{i:07d}" for i in range(SUBSCRIBERS)]


async def seed(sessions: SessionMaker) -> None:
    """Subscribers in the vault and one queued poll row each, as a poll opening makes them.

    The rows are the ones `enqueue` writes, inserted in bulk: ten thousand one-by-one duplicate
    checks would take longer than the broadcast itself.
    """
    pseudonyms, vault = Pseudonymizer(TEST_SECRET.encode()), Vault(TEST_SECRET.encode())
    now = datetime.now(UTC)
    message = OutboundMessage(TEXT, language="az")
    names = [(pseudonyms.pseudonym("sms", number), number) for number in numbers()]
    people = [
        {
            "pseudonym": name,
            "channel": "sms",
            "language": "az",
            "subscribed": True,
            "consent_at": now,
            "created_at": now,
            "last_seen_at": now,
        }
        for name, _ in names
    ]
    vaulted = [
        {"pseudonym": name, "channel": "sms", "address_enc": vault.seal(number), "created_at": now}
        for name, number in names
    ]
    queued = [
        {
            "dedupe_key": f"poll:test:{name[:32]}",
            "pseudonym": name,
            "channel": "sms",
            "kind": "poll",
            "payload": message.to_json(),
            "next_attempt_at": now,
            "created_at": now,
        }
        for name, _ in names
    ]
    async with sessions() as session, session.begin():
        connection = await session.connection()
        for table, values in (
            (Respondent.__table__, people),  # type: ignore[attr-defined]
            (Contact.__table__, vaulted),  # type: ignore[attr-defined]
            (OutboxMessage.__table__, queued),  # type: ignore[attr-defined]
        ):
            await connection.execute(insert(table), values)
    # The public API agrees: the bulk rows are what it would have written, and it adds none.
    async with sessions() as session, session.begin():
        assert not await enqueue(
            session,
            pseudonym=names[0][0],
            channel="sms",
            kind="poll",
            message=message,
            dedupe_key=queued[0]["dedupe_key"],  # type: ignore[arg-type]
        )


async def unsettled(sessions: SessionMaker) -> int:
    async with sessions() as session:
        query = select(func.count()).where(
            OutboxMessage.channel == "sms", col(OutboxMessage.status).in_(("pending", "sending"))
        )
        return int((await session.exec(query)).one())


def busiest_second(moments: list[float]) -> int:
    """The most messages that arrived within any one-second window."""
    best, start = 0, 0
    for end in range(len(moments)):
        while moments[end] - moments[start] > 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


@pytest.mark.slow
async def test_broadcast_to_10000_survives_sigkill_exactly_once(
    tmp_path: Path, db_url: str
) -> None:
    db = create_async_db_engine(db_url)
    sessions = make_sessionmaker(db)
    started = time.monotonic()
    await seed(sessions)
    seeded = time.monotonic() - started
    async with sessions() as session:
        shown = await estimate_queued(session, cost_per_segment=0.05)
    print(
        f"\nseeded {SUBSCRIBERS:,} subscribers in {seeded:.1f} s; before sending: {shown.describe()}"
    )
    assert shown.messages == SUBSCRIBERS and shown.segments == SUBSCRIBERS
    assert shown.cost == pytest.approx(SUBSCRIBERS * 0.05)

    async with FakeTwilio(latency=0.02) as twilio:
        port = free_port()
        svc = ServiceProcess(
            service_env(tmp_path, db_url, port, twilio, None, rate=RATE), port, tmp_path / "svc.log"
        )
        try:
            await svc.start()
            deadline = time.monotonic() + 120
            while len(twilio.messages) < SUBSCRIBERS // 2 and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            svc.kill()
            first_half = [m.at for m in twilio.messages]
            async with sessions() as session:
                in_flight = int(
                    (
                        await session.exec(
                            select(func.count()).where(OutboxMessage.status == "sending")
                        )
                    ).one()
                )
            accepted_at_kill = len(first_half)
            print(f"killed after {accepted_at_kill:,} accepted; {in_flight} rows left 'sending'")
            assert SUBSCRIBERS // 2 <= accepted_at_kill < SUBSCRIBERS

            await svc.start()
            deadline = time.monotonic() + 150
            while await unsettled(sessions) and time.monotonic() < deadline:
                await asyncio.sleep(0.5)
            await asyncio.sleep(1.0)  # anything sent twice would arrive now
        finally:
            await svc.stop()

        # Exactly once: every subscriber, one message each, nothing else.
        received = Counter(m.to for m in twilio.messages)
        assert set(received) == set(numbers())
        assert max(received.values()) == 1, [n for n, c in received.items() if c > 1][:5]
        assert len(twilio.messages) == SUBSCRIBERS
        assert all(m.body == TEXT and m.sender == "FIKIR" for m in twilio.messages)

        async with sessions() as session:
            rows = (await session.exec(select(OutboxMessage))).all()
        assert {row.status for row in rows} == {"sent"}
        assert sorted(row.provider_id or "" for row in rows) == sorted(
            m.sid for m in twilio.messages
        )

        # At the configured rate: never more than a second's worth plus the bucket's burst.
        moments = sorted(first_half)
        achieved = (len(moments) - 1) / (moments[-1] - moments[0])
        peak = busiest_second(moments)
        print(
            f"first half: {achieved:.0f} SMS/s achieved at {RATE:.0f} configured; busiest second {peak}"
        )
        assert peak <= RATE * 1.1 + BURST  # the limit holds (arrival times jitter a little)
        # and it is not far below it (a loose bound: the SQLite store, the fake and the service
        # share this machine's CPUs with whatever else runs)
        assert achieved >= 0.4 * RATE
    await db.dispose()
