"""The database stops under load: `fikir run` spools, acknowledges, and replays every message once.

PostgreSQL sits behind a loopback proxy that this test stops (connections refused, open ones
dropped) and starts again. FIKIR_TEST_OUTAGE_SECONDS sets the outage (5 s here; bench/outage.py
runs the 30 s of the acceptance criteria against a real cluster stopped with pg_ctl).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from functools import partial
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url

from fikir.storage.models import Feedback, ProcessedEvent
from tests.conftest import truncate
from tests.fakes.fikir_process import FikirProcess
from tests.fakes.twilio_server import FakeTwilio
from tests.pausable_proxy import PausableProxy
from tests.scale_helpers import (
    count_rows,
    eventually,
    phones,
    post_sms,
    seed_subscribers,
    twilio_env,
)

OUTAGE = float(os.environ.get("FIKIR_TEST_OUTAGE_SECONDS", "5"))
RATE = 25.0  # inbound SMS per second, before, during and after the outage
BEFORE, AFTER = 2.0, 2.0
CORPUS = Path(__file__).parent / "data" / "tagging" / "messages.jsonl"


def texts() -> list[str]:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


async def _logged(fikir: FikirProcess, marker: str) -> bool:
    return marker in fikir.logs()


async def spool_pending(client: httpx.AsyncClient, base: str) -> float | None:
    try:
        body = (await client.get(f"{base}/metrics", timeout=2)).text
    except httpx.HTTPError:
        return None
    for line in body.splitlines():
        if line.startswith("fikir_spool_pending "):
            return float(line.split()[1])
    return None


async def test_a_database_outage_under_load_loses_no_message(
    tmp_path: Path, postgres_url: str
) -> None:
    truncate(postgres_url)
    target = make_url(postgres_url)
    proxy = PausableProxy(target.host or "127.0.0.1", target.port or 5432).start()
    url = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    total = int(RATE * (BEFORE + OUTAGE + AFTER))
    senders = phones(total)  # one message each: every person must get exactly one answer
    seed_subscribers(postgres_url, senders)
    corpus = texts()
    async with FakeTwilio() as fake:
        fikir = FikirProcess(tmp_path / "fikir", twilio_env(fake, url, FIKIR_SMS_RATE="100"))
        try:
            await fikir.start(timeout=90)
            # The language models load in a thread after start; until then the loop is busy.
            await eventually(partial(_logged, fikir, "language models loaded"), 60, "models")
            async with httpx.AsyncClient(timeout=30) as client:
                answers: dict[str, httpx.Response] = {}

                async def send(index: int) -> None:
                    params = fake.inbound_params(senders[index], corpus[index % len(corpus)])
                    answers[senders[index]] = await post_sms(client, fake, fikir.url, params)

                started = time.monotonic()
                tasks = []
                stopped = restarted = False
                for index in range(total):
                    due = started + index / RATE
                    await asyncio.sleep(max(0.0, due - time.monotonic()))
                    elapsed = time.monotonic() - started
                    if not stopped and elapsed >= BEFORE:
                        await asyncio.to_thread(proxy.down)
                        stopped = True
                    if stopped and not restarted and elapsed >= BEFORE + OUTAGE:
                        await asyncio.to_thread(proxy.up)
                        restarted = True
                    tasks.append(asyncio.create_task(send(index)))
                await asyncio.gather(*tasks)
                assert restarted

                # Every webhook was acknowledged: none is left for Twilio to retry or drop.
                statuses = [answer.status_code for answer in answers.values()]
                assert statuses == [200] * total, sorted(set(statuses))
                inline = {p for p, a in answers.items() if "<Message>" in a.text}
                spooled = set(senders) - inline
                assert len(spooled) >= RATE * OUTAGE * 0.5, "the outage was spooled"

                async def drained() -> bool:
                    return await spool_pending(client, fikir.url) == 0

                await eventually(drained, 60, "the spool replayed after the outage")

            # Stored once each, then answered once each: inline, or by REST after the replay.
            assert count_rows(postgres_url, ProcessedEvent) == total
            assert count_rows(postgres_url, Feedback) == total

            async def replied() -> bool:
                return {m.to for m in fake.messages} >= spooled

            await eventually(replied, 60, "the spooled messages' replies were sent")
            await asyncio.sleep(1)
            for person in senders:
                # The thanks, preceded by referral contacts when the message was about harm
                # (the corpus has a few): each once, none lost, none twice.
                sent = [message.body for message in fake.to(person)]
                if person in inline:
                    assert sent == [], person
                else:
                    assert 1 <= len(sent) <= 2 and len(set(sent)) == len(sent), (person, sent)
            assert not list((fikir.data_dir / "spool").glob("*.spool"))
        finally:
            await fikir.stop()
            proxy.stop()
    logs = fikir.logs()
    assert "spooling an inbound message" in logs and "replayed" in logs
    assert not any(person in logs for person in senders), "no phone number in the logs"
