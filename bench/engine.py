"""The dialog engine in-process: feedback messages one at a time, and many at once (group commit).

No HTTP, no load generator: what one message costs the engine and its database, on SQLite
and PostgreSQL. "one at a time" awaits each message before sending the next (a transaction
each); "32 senders" keeps 32 in flight, so that waiting messages share transactions.

    .venv/bin/python -m bench.engine                     # 2,000 messages, SQLite and PostgreSQL
    .venv/bin/python -m bench.engine --db sqlite --count 5000
PostgreSQL comes from --pg-url or FIKIR_TEST_POSTGRES_URL (a role that may create databases).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import tempfile
import time
from pathlib import Path

from bench.inbound import SECRET, database, seed_subscribers
from bench.loadgen import corpus
from fikir.config.settings import Settings
from fikir.dialog.messages import Inbound
from fikir.runtime import build_runtime

WARM_UP = 50


async def measure(url: str, workdir: Path, count: int, senders: int) -> tuple[float, float]:
    """(wall ms, CPU ms) per message for `count` feedback messages with `senders` in flight."""
    phones = seed_subscribers(url, 2000)
    settings = Settings(database_url=url, secret_key=SECRET, data_dir=workdir / "var", env="test")
    runtime = build_runtime(settings)
    texts, rng = corpus(), random.Random(7)
    messages = [
        Inbound(
            channel="sms",
            address=rng.choice(phones),
            text=rng.choice(texts),
            external_id=f"twilio:SM{n:032d}",
        )
        for n in range(count + WARM_UP)
    ]
    try:
        for message in messages[:WARM_UP]:
            await runtime.engine.handle(message)
        gc.collect()
        gate = asyncio.Semaphore(senders)

        async def send(message: Inbound) -> None:
            async with gate:
                await runtime.engine.handle(message)

        wall, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(send(message) for message in messages[WARM_UP:]))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        await runtime.close()
    return wall * 1000 / count, cpu * 1000 / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--pg-url", default=os.environ.get("FIKIR_TEST_POSTGRES_URL", ""))
    args = parser.parse_args()
    print(f"{'db':<9}{'mode':<18}{'wall ms/msg':>12}{'CPU ms/msg':>12}{'msg/s':>9}")
    for kind in (k.strip() for k in args.db.split(",")):
        results = {}
        for label, senders in (("one at a time", 1), ("32 senders", 32)):
            with tempfile.TemporaryDirectory(prefix="fikir-bench-engine-") as tmp:
                with database(kind, Path(tmp), args.pg_url) as url:
                    wall, cpu = asyncio.run(measure(url, Path(tmp), args.count, senders))
            results[label] = wall
            print(f"{kind:<9}{label:<18}{wall:>12.2f}{cpu:>12.2f}{1000 / wall:>9.0f}")
        gain = results["one at a time"] / results["32 senders"]
        print(f"{kind}: 32 senders at once cost {1 / gain:.0%} of one at a time per message")


if __name__ == "__main__":
    main()
