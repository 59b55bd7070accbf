"""Two `fikir run` instances on one PostgreSQL under load: everything once, nothing twice.

Twilio posts each inbound SMS to whichever instance the load balancer picks, and redelivers
some to the other one at the same moment (as after a timeout); both instances' outbox workers
send one poll broadcast together; and two instances race for the month's digest.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
from functools import partial
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlmodel import Session, col, select

from fikir.digest.delivery import email_key
from fikir.digest.schedule import run_digest
from fikir.outbox.message import OutboundMessage
from fikir.outbox.queue import enqueue
from fikir.runtime import build_runtime
from fikir.storage.engine import create_sync_db_engine
from fikir.storage.models import ALL_TABLES, DigestDelivery, Feedback, OutboxMessage, ProcessedEvent
from tests.conftest import make_settings, truncate
from tests.fakes.fikir_process import FikirProcess
from tests.fakes.twilio_server import FakeTwilio
from tests.scale_helpers import (
    count_rows,
    eventually,
    phones,
    post_sms,
    seed_subscribers,
    twilio_env,
)
from tests.test_digest_delivery import BAKU_9_05, add_staff, start_mailbox
from tests.test_digest_seed import MONTH, make_seed, store_seed

SUBSCRIBERS = 200  # each gets one poll question, sent by whichever instance claims it
INBOUND = 200  # distinct inbound SMS, spread over both instances
REDELIVERED = 40  # of which this many also arrive at the other instance at the same moment
CORPUS = Path(__file__).parent / "data" / "tagging" / "messages.jsonl"


def texts() -> list[str]:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


async def _ready(fikir: FikirProcess) -> bool:
    return "language models loaded" in fikir.logs()


def restart_sequences(url: str) -> None:
    engine = create_sync_db_engine(url)
    with engine.begin() as connection:
        for table in ALL_TABLES:
            name = table.__tablename__
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                    f'coalesce((SELECT max(id) FROM "{name}"), 0) + 1, false)'
                )
            )
    engine.dispose()


def outbox_rows(url: str) -> list[OutboxMessage]:
    engine = create_sync_db_engine(url)
    with Session(engine) as session:
        rows = list(session.exec(select(OutboxMessage).where(OutboxMessage.kind == "poll")))
    engine.dispose()
    return rows


def deliveries(url: str) -> list[DigestDelivery]:
    engine = create_sync_db_engine(url)
    with Session(engine) as session:
        rows = list(session.exec(select(DigestDelivery).order_by(col(DigestDelivery.id))))
    engine.dispose()
    return rows


async def test_two_instances_do_everything_exactly_once(tmp_path: Path, postgres_url: str) -> None:
    truncate(postgres_url)
    box, mail = await start_mailbox()
    settings = make_settings(
        tmp_path, postgres_url, smtp_url=box.url, digest_emails="partner@example.org"
    )
    first, second = build_runtime(settings), build_runtime(settings)
    async with first.sessions() as session, session.begin():
        await store_seed(session, make_seed())  # last month's feedback, for the digest
    restart_sequences(postgres_url)  # the seed chose its own ids
    people = phones(SUBSCRIBERS)
    seed_subscribers(postgres_url, people)
    async with first.sessions() as session, session.begin():
        for number in people:
            pseudonym = first.services.pseudonymizer.pseudonym("sms", number)
            await enqueue(
                session,
                pseudonym=pseudonym,
                channel="sms",
                kind="poll",
                message=OutboundMessage("Yolların vəziyyəti necədir? 1 yaxşı 2 pis", language="az"),
                dedupe_key=f"poll:test:{pseudonym}",
            )
    await add_staff(first, "aysel", "en", 111)
    events_before = count_rows(postgres_url, ProcessedEvent)
    feedback_before = count_rows(postgres_url, Feedback)

    rng = random.Random(5)
    corpus = texts()
    async with FakeTwilio() as fake:
        env = twilio_env(fake, postgres_url, FIKIR_SMS_RATE="50")
        instances = [FikirProcess(tmp_path / name, env) for name in ("a", "b")]
        try:
            await asyncio.gather(*(fikir.start(timeout=90) for fikir in instances))
            for fikir in instances:
                await eventually(partial(_ready, fikir), 60, "language models loaded")
            # Both started on one empty staff table: they print one and the same working link.
            links = {re.search(r"/admin/setup\?code=(\S+)", f.logs()) for f in instances}
            assert len({m.group(1) for m in links if m}) == 1 and None not in links
            async with httpx.AsyncClient(timeout=30) as client:
                gate = asyncio.Semaphore(24)
                answers: dict[str, list[httpx.Response]] = {}

                async def deliver(index: int) -> None:
                    params = fake.inbound_params(rng.choice(people), rng.choice(corpus))
                    picked = rng.randrange(2)
                    targets = [instances[picked]]
                    if index < REDELIVERED:
                        targets.append(instances[1 - picked])
                    async with gate:
                        answers[params["MessageSid"]] = list(
                            await asyncio.gather(
                                *(post_sms(client, fake, f.url, params) for f in targets)
                            )
                        )

                # The digest's two instances race while the webhooks and the broadcast run.
                load = asyncio.gather(*(deliver(i) for i in range(INBOUND)))
                ran = await asyncio.gather(
                    run_digest(first, BAKU_9_05), run_digest(second, BAKU_9_05)
                )
                await load

            # Inbound: every delivery acknowledged, each message stored and answered once.
            assert all(r.status_code == 200 for rs in answers.values() for r in rs)
            assert count_rows(postgres_url, ProcessedEvent) == events_before + INBOUND
            stored = count_rows(postgres_url, Feedback) - feedback_before
            assert stored == INBOUND, "each message became feedback once"
            for sid, responses in answers.items():
                replied = [r for r in responses if "<Message>" in r.text]
                assert len(replied) == 1, f"{sid} answered {len(replied)} times"

            # Outbound: the broadcast reached each subscriber once, sent by both instances.
            def all_sent() -> bool:
                return all(row.status == "sent" for row in outbox_rows(postgres_url))

            async def sent() -> bool:
                return await asyncio.to_thread(all_sent)

            await eventually(sent, 60, "the broadcast was sent")
            for number in people:
                assert len(fake.to(number)) == 1, number
            assert len(fake.messages) == SUBSCRIBERS
            senders = {row.claimed_by for row in outbox_rows(postgres_url)}
            assert len(senders) == 2, "both instances took part in the broadcast"

            # The digest: one run for the month, one delivery per recipient.
            assert sorted(ran) == [False, True]
            assert sorted((d.month, d.recipient) for d in deliveries(postgres_url)) == sorted(
                [(MONTH, "staff:1:telegram"), (MONTH, email_key("partner@example.org"))]
            )
            assert len(box.to("partner@example.org")) == 1
        finally:
            await asyncio.gather(*(fikir.stop() for fikir in instances))
            await first.close()
            await second.close()
            await asyncio.to_thread(mail.stop)
