"""PostgreSQL stopped for 30 s under load: no inbound message lost, each answered exactly once.

A throwaway cluster (initdb in a temporary directory, its own port, run as the postgres user)
serves one `fikir run`; Twilio-signed inbound SMS arrive at a fixed rate; the cluster is
stopped with `pg_ctl stop -m fast` for the outage and started again. Afterwards: every webhook
was acknowledged, every message is stored once, and every sender got one answer (in the
webhook's TwiML, or by REST after the spool was replayed).

    .venv/bin/python -m bench.outage                 # 30 s outage at 50 msg/s (run as root)
    .venv/bin/python -m bench.outage --outage 10 --rate 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

from bench.inbound import free_port
from fikir.storage.migrate import upgrade
from fikir.storage.models import Feedback, ProcessedEvent
from tests.fakes.fikir_process import FikirProcess
from tests.fakes.twilio_server import FakeTwilio
from tests.scale_helpers import count_rows, phones, post_sms, seed_subscribers, twilio_env

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
ROOT = Path(__file__).resolve().parent.parent


class Cluster:
    """A PostgreSQL cluster of our own that we may stop and start."""

    def __init__(self, home: Path, port: int) -> None:
        self.home, self.port = home, port
        self.data = home / "data"

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(  # noqa: S603 - fixed binaries, our own arguments
            ["runuser", "-u", "postgres", "--", *args],  # noqa: S607
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def create(self) -> str:
        self.home.mkdir(parents=True)
        shutil.chown(self.home, "postgres", "postgres")
        self._as_postgres(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "fikir"
        )
        self.start()
        self._as_postgres(
            str(PG_BIN / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "fikir",
            "fikir",
        )
        return f"postgresql://fikir@127.0.0.1:{self.port}/fikir"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1"
        self._as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-l",
            str(self.home / "postgres.log"), "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")


def texts() -> list[str]:
    path = ROOT / "tests" / "data" / "tagging" / "messages.jsonl"
    return [json.loads(line)["text"] for line in path.read_text().splitlines() if line.strip()]


async def spool_pending(client: httpx.AsyncClient, base: str) -> float | None:
    try:
        page = (await client.get(f"{base}/metrics", timeout=2)).text
    except httpx.HTTPError:
        return None
    for line in page.splitlines():
        if line.startswith("fikir_spool_pending "):
            return float(line.split()[1])
    return None


async def run(args: argparse.Namespace, workdir: Path) -> list[str]:
    cluster = Cluster(workdir / "pg", free_port())
    url = await asyncio.to_thread(cluster.create)
    lines = [f"cluster on port {cluster.port}; load {args.rate:g} msg/s; outage {args.outage:g} s"]
    try:
        upgrade(url)
        total = int(args.rate * (args.before + args.outage + args.after))
        senders = phones(total)
        seed_subscribers(url, senders)
        corpus = texts()
        async with FakeTwilio() as fake:
            fikir = FikirProcess(workdir / "fikir", twilio_env(fake, url, FIKIR_SMS_RATE="200"))
            try:
                await fikir.start(timeout=120)
                async with httpx.AsyncClient(timeout=30) as client:
                    answers: dict[str, httpx.Response] = {}
                    latencies: list[float] = []

                    async def send(index: int) -> None:
                        params = fake.inbound_params(senders[index], corpus[index % len(corpus)])
                        sent = time.perf_counter()
                        answers[senders[index]] = await post_sms(client, fake, fikir.url, params)
                        latencies.append(time.perf_counter() - sent)

                    started = time.monotonic()
                    tasks: list[asyncio.Task[None]] = []
                    phase = "before"
                    for index in range(total):
                        due = started + index / args.rate
                        await asyncio.sleep(max(0.0, due - time.monotonic()))
                        elapsed = time.monotonic() - started
                        if phase == "before" and elapsed >= args.before:
                            await asyncio.to_thread(cluster.stop)
                            lines.append(f"t={elapsed:.1f} s: PostgreSQL stopped")
                            phase = "down"
                        if phase == "down" and elapsed >= args.before + args.outage:
                            await asyncio.to_thread(cluster.start)
                            lines.append(f"t={time.monotonic() - started:.1f} s: started again")
                            phase = "after"
                        tasks.append(asyncio.create_task(send(index)))
                    await asyncio.gather(*tasks)
                    load_end = time.monotonic()
                    while await spool_pending(client, fikir.url) != 0:
                        await asyncio.sleep(0.2)
                    lines.append(
                        f"spool empty {time.monotonic() - load_end:.1f} s after the load ended"
                    )
                statuses = Counter(answer.status_code for answer in answers.values())
                inline = {p for p, a in answers.items() if "<Message>" in a.text}
                deadline = time.monotonic() + 120
                while {m.to for m in fake.messages} < set(senders) - inline:
                    if time.monotonic() > deadline:
                        break
                    await asyncio.sleep(0.5)
                await asyncio.sleep(2)
                by_rest = Counter(m.to for m in fake.messages)
            finally:
                await fikir.stop()
        stored = count_rows(url, ProcessedEvent)
        feedback = count_rows(url, Feedback)
        answered_once = sum(1 for p in senders if (p in inline) + by_rest.get(p, 0) == 1)
        latencies.sort()
        lines += [
            f"webhooks: {total} posted, HTTP statuses {dict(statuses)}; "
            f"p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
            f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.0f} ms",
            f"answered in the webhook: {len(inline)}; spooled and answered by REST after the "
            f"replay: {total - len(inline)}",
            f"stored: {stored} inbound events, {feedback} feedback rows (expected {total} each)",
            f"senders answered exactly once: {answered_once} of {total}",
            "RESULT: " + ("nothing lost" if stored == feedback == answered_once == total
                          and statuses == Counter({200: total}) else "LOSS OR DUPLICATE"),
        ]  # fmt: skip
    finally:
        try:
            await asyncio.to_thread(cluster.stop)
        except subprocess.CalledProcessError:
            pass
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=50.0, help="inbound SMS per second")
    parser.add_argument("--outage", type=float, default=30.0, help="seconds PostgreSQL is down")
    parser.add_argument("--before", type=float, default=10.0)
    parser.add_argument("--after", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fikir-outage-") as tmp:
        os.chmod(tmp, 0o755)  # noqa: S103 - the postgres user must reach its cluster inside
        print("\n".join(asyncio.run(run(args, Path(tmp)))), flush=True)


if __name__ == "__main__":
    main()
