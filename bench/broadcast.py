"""A poll to 100,000 SMS subscribers: queueing time, then sending through `fikir run`'s outbox.

The poll (docs/poll-example.yaml, to every region) is opened with the real lifecycle code, which
queues one outbox row per subscriber in one transaction; then a `fikir run` subprocess sends
them to a loopback Twilio (tests/fakes/twilio_server.py) at FIKIR_SMS_RATE segments per second.
Printed: enqueue time, achieved against configured rate (segments and messages per second, the
busiest second), and whether each subscriber got exactly one message.

    .venv/bin/python -m bench.broadcast                          # 100,000 on SQLite, 500 seg/s
    .venv/bin/python -m bench.broadcast --db postgres --count 20000 --rate 200
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import yaml
from sqlalchemy import func, insert
from sqlmodel import Session, select

from bench.inbound import SECRET, Server, database, fikir_env, free_port, start
from fikir.config.settings import load_settings
from fikir.dialog.outreach import open_poll
from fikir.polls.manage import PollSpec, create_poll
from fikir.privacy.pseudonym import Pseudonymizer
from fikir.privacy.vault import Vault
from fikir.runtime import build_runtime
from fikir.storage.engine import create_sync_db_engine
from fikir.storage.models import Contact, OutboxMessage, Respondent
from tests.fakes.twilio_server import FakeTwilio

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("az", "ru", "en", "tly", "lez", "ka", "uk")
WEIGHTS = (60, 20, 5, 4, 4, 4, 3)  # roughly who reads what in Azerbaijan's regions


def seed(url: str, count: int) -> dict[str, str]:
    """`count` consented SMS subscribers with vault entries; returns number -> language."""
    pseudonyms = Pseudonymizer(SECRET.encode())
    vault = Vault(SECRET.encode())
    rng = random.Random(3)
    numbers = [f"+9945{n:08d}" for n in rng.sample(range(100_000_000), count)]
    languages = rng.choices(LANGUAGES, WEIGHTS, k=count)
    now = datetime.now(UTC)
    engine = create_sync_db_engine(url)
    with engine.begin() as connection:
        for start_at in range(0, count, 5000):
            chunk = range(start_at, min(count, start_at + 5000))
            names = [pseudonyms.pseudonym("sms", numbers[i]) for i in chunk]
            connection.execute(
                insert(Respondent),
                [
                    {
                        "pseudonym": name,
                        "channel": "sms",
                        "language": languages[i],
                        "state": "menu",
                        "state_data": "{}",
                        "consent_at": now,
                        "profile_asked": True,
                        "subscribed": True,
                        "opted_out": False,
                        "blocked": False,
                        "created_at": now,
                        "last_seen_at": now,
                    }
                    for i, name in zip(chunk, names, strict=True)
                ],
            )
            connection.execute(
                insert(Contact),
                [
                    {
                        "pseudonym": name,
                        "channel": "sms",
                        "address_enc": vault.seal(numbers[i]),
                        "created_at": now,
                    }
                    for i, name in zip(chunk, names, strict=True)
                ],
            )
    engine.dispose()
    return dict(zip(numbers, languages, strict=True))


async def queue_poll(url: str, workdir: Path) -> tuple[int, float]:
    """Create and open the example poll for every SMS subscriber; (queued, seconds)."""
    spec_data = yaml.safe_load((ROOT / "docs" / "poll-example.yaml").read_text(encoding="utf-8"))
    spec_data.update(opens_at=None, closes_at=None)
    spec_data["audience"] = {"channels": ["sms"]}
    settings = load_settings(
        env="production", data_dir=workdir / "var", database_url=url, secret_key=SECRET
    )
    runtime = build_runtime(settings)
    try:
        started = time.perf_counter()
        async with runtime.sessions() as session, session.begin():
            await create_poll(session, PollSpec.from_dict(spec_data))
            _, queued = await open_poll(session, spec_data["slug"], settings, datetime.now(UTC))
        return queued, time.perf_counter() - started
    finally:
        await runtime.close()


def outbox_status(url: str) -> Counter[str]:
    engine = create_sync_db_engine(url)
    with Session(engine) as session:
        rows = session.exec(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    engine.dispose()
    return Counter({str(status): int(n) for status, n in rows})


async def send_all(
    url: str, workdir: Path, rate: float, queued: int, fake: FakeTwilio
) -> tuple[Server, float]:
    port = free_port()
    env = fikir_env(url, port, workdir)
    env.update(  # this bench sends by REST, to the loopback Twilio
        FIKIR_SCHEDULER="false",
        FIKIR_SMS_RATE=str(rate),
        TWILIO_ACCOUNT_SID=fake.account_sid,
        TWILIO_AUTH_TOKEN=fake.auth_token,
        FIKIR_TWILIO_API_URL=fake.url,
    )
    server = await asyncio.to_thread(
        start, [sys.executable, "-m", "fikir.cli", "run"], env, port, workdir, "fikir"
    )
    started = time.monotonic()
    last_progress = (0, started)
    while len(fake.messages) < queued:
        await asyncio.sleep(1)
        done = len(fake.messages)
        if done != last_progress[0]:
            last_progress = (done, time.monotonic())
        elif time.monotonic() - last_progress[1] > 60:
            print(f"stalled at {done} of {queued} messages", file=sys.stderr)
            break
    await asyncio.sleep(2)  # anything sent twice would arrive now
    return server, time.monotonic() - started


def report(fake: FakeTwilio, people: dict[str, str], queued: int, rate: float) -> list[str]:
    from fikir.sms.segments import count_segments

    sent = fake.messages
    if len(sent) < 2:
        return ["nothing was sent"]
    first, last = sent[0].at, sent[-1].at
    window = max(1e-9, last - first)
    segments = [count_segments(m.body).segments for m in sent]
    per_second: Counter[int] = Counter()
    for message, parts in zip(sent, segments, strict=True):
        per_second[int(message.at - first)] += parts
    per_person = Counter(m.to for m in sent)
    twice = sum(1 for n in per_person.values() if n > 1)
    missing = sum(1 for number in people if number not in per_person)
    return [
        f"sent {len(sent)} of {queued} queued; {twice} people got it twice, {missing} not at all",
        f"segments: {sum(segments)} ({sum(segments) / len(sent):.2f} per message)",
        f"achieved {sum(segments) / window:.1f} segments/s ({len(sent) / window:.1f} msg/s) "
        f"against {rate:g} configured: {sum(segments) / window / rate:.0%}",
        f"busiest second: {max(per_second.values())} segments (burst allowance "
        f"{max(1.0, min(rate, 30.0)):g})",
    ]


async def bench(kind: str, args: argparse.Namespace) -> list[str]:
    lines = [f"== {kind}: {args.count} subscribers, FIKIR_SMS_RATE={args.rate:g}"]
    with tempfile.TemporaryDirectory(prefix=f"fikir-broadcast-{kind}-") as tmp:
        workdir = Path(tmp)
        with database(kind, workdir, args.pg_url) as url:
            started = time.perf_counter()
            people = await asyncio.to_thread(seed, url, args.count)
            lines.append(
                f"seeded {len(people)} subscribers in {time.perf_counter() - started:.1f} s"
            )
            queued, seconds = await queue_poll(url, workdir)
            lines.append(
                f"enqueue: {queued} messages queued in {seconds:.1f} s "
                f"({queued / max(seconds, 1e-9):,.0f} rows/s)"
            )
            async with FakeTwilio() as fake:
                server, elapsed = await send_all(url, workdir, args.rate, queued, fake)
                try:
                    lines.extend(report(fake, people, queued, args.rate))
                    lines.append(f"outbox after {elapsed:.0f} s: {dict(outbox_status(url))}")
                finally:
                    await asyncio.to_thread(server.stop)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite", help="sqlite, postgres or both (comma)")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=500.0, help="FIKIR_SMS_RATE, segments/s")
    parser.add_argument("--pg-url", default=os.environ.get("FIKIR_TEST_POSTGRES_URL", ""))
    args = parser.parse_args()
    for kind in args.db.split(","):
        print("\n".join(asyncio.run(bench(kind.strip(), args))), flush=True)


if __name__ == "__main__":
    main()
