"""Inbound SMS at load: `fikir run` against bare signed-webhook endpoints, in the same run.

For each database (SQLite, PostgreSQL) it starts the bare endpoint (bench/bare_app.py: check
the signature, insert one row; through async SQLAlchemy like fikir, and on SQLite also through
plain `sqlite3`, the fastest correct endpoint, with fikir's `synchronous` level) and then a
real `fikir run` subprocess, and posts Twilio-signed
inbound SMS from onboarded subscribers on loopback: first at a fixed rate (open loop, latency
counted from when each message was due), then as fast as the server answers. A message counts
as handled when its answer came back with fikir's reply in it (then it was stored, redacted,
tagged and committed) or, when it was spooled (acknowledged with an empty answer because the
database did not take it within 10 s), once the replay stored it and queued its reply. A phase
lasts until fikir's spool is empty again; msg/s = messages stored / that time. Afterwards the
database is checked: every acknowledged message stored once. `--synchronous full,normal`
repeats the SQLite runs at each level (what durable commits cost); `--profile N` ends with
where fikir's time per message goes (bench/inbound_profile.py).

    .venv/bin/python -m bench.inbound                    # 60 s phases, SQLite and PostgreSQL
    .venv/bin/python -m bench.inbound --seconds 10 --max-seconds 10 --db sqlite
PostgreSQL comes from --pg-url or FIKIR_TEST_POSTGRES_URL (a role that may create databases).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import func, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from bench.inbound_profile import profile_stages
from bench.loadgen import Run, Webhooks, corpus, fixed_rate, max_rate
from fikir.privacy.pseudonym import Pseudonymizer
from fikir.storage.engine import create_sync_db_engine
from fikir.storage.migrate import upgrade
from fikir.storage.models import Feedback, FeedbackTag, ProcessedEvent, Respondent

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
ACCOUNT_SID = "AC" + "b" * 32
AUTH_TOKEN = "bench-twilio-auth-token"  # noqa: S105 - a bench value
LANGUAGES = ("az", "ru", "en", "tly", "lez", "ka", "uk")
DRAIN_LIMIT = 180.0  # seconds to wait for fikir's spool to empty after a phase


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def database(kind: str, workdir: Path, pg_url: str) -> Iterator[str]:
    """A fresh, migrated database of this kind, dropped afterwards."""
    if kind == "sqlite":
        url = f"sqlite:///{workdir / 'bench.db'}"
        upgrade(url)
        yield url
        return
    if not pg_url:
        raise SystemExit("PostgreSQL: pass --pg-url or set FIKIR_TEST_POSTGRES_URL")
    admin = create_sync_db_engine(pg_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"fikir_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def seed_subscribers(url: str, count: int) -> list[str]:
    """Onboarded SMS subscribers (consented, at the menu): what they write is feedback."""
    pseudonyms = Pseudonymizer(SECRET.encode())
    rng = random.Random(11)
    phones = [f"+99450{n:07d}" for n in rng.sample(range(10_000_000), count)]
    now = datetime.now(UTC)
    engine = create_sync_db_engine(url)
    with Session(engine) as session:
        for phone in phones:
            session.add(
                Respondent(
                    pseudonym=pseudonyms.pseudonym("sms", phone),
                    channel="sms",
                    language=rng.choice(LANGUAGES),
                    state="menu",
                    consent_at=now,
                    profile_asked=True,
                    subscribed=True,
                )
            )
        session.commit()
    engine.dispose()
    return phones


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def wait_for_log(self, marker: str, seconds: float) -> None:
        """Wait until the server logged `marker` (fikir loads its language models after start)."""
        deadline = time.monotonic() + seconds
        while marker not in self.log.read_text(errors="replace"):
            if time.monotonic() > deadline:
                raise SystemExit(f"no {marker!r} in {self.log} within {seconds:.0f} s")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start(command: list[str], env: dict[str, str], port: int, workdir: Path, name: str) -> Server:
    log = workdir / f"{name}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and scripts
            command, env=env, cwd=workdir, stdout=sink, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited at start; see {log}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return Server(process, port, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{name} did not answer /healthz within 60 s; see {log}")


def fikir_env(url: str, port: int, workdir: Path, synchronous: str = "full") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FIKIR_", "TWILIO_"))}
    env.update(
        FIKIR_ENV="production",
        FIKIR_DATA_DIR=str(workdir / "var"),
        FIKIR_DATABASE_URL=url,
        FIKIR_SECRET_KEY=SECRET,
        FIKIR_PORT=str(port),
        FIKIR_PUBLIC_URL=f"http://127.0.0.1:{port}",
        TWILIO_ACCOUNT_SID=ACCOUNT_SID,
        TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        FIKIR_TWILIO_FROM="+994125550000",
        # Replies travel in the TwiML answer; the REST API is never called in this bench.
        FIKIR_TWILIO_API_URL="http://127.0.0.1:9",
        FIKIR_SQLITE_SYNCHRONOUS=synchronous,
    )
    return env


@dataclass
class Check:
    answered_ok: int
    events: int
    feedback: int
    tagged: int


def check_store(url: str, answered: int) -> Check:
    engine = create_sync_db_engine(url)
    with Session(engine) as session:
        events = session.exec(select(func.count()).select_from(ProcessedEvent)).one()
        feedback = session.exec(select(func.count()).select_from(Feedback)).one()
        tagged = session.exec(select(func.count(func.distinct(FeedbackTag.feedback_id)))).one()
    engine.dispose()
    return Check(answered, int(events), int(feedback), int(tagged))


async def spool_empty(port: int, timeout: float = 60.0) -> float:
    """When fikir's spool (messages acknowledged, then handled later) was empty again."""
    deadline = time.perf_counter() + timeout
    async with httpx.AsyncClient(timeout=5) as client:
        while time.perf_counter() < deadline:
            try:
                page = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
            except httpx.HTTPError:
                page = ""
            for line in page.splitlines():
                if line.startswith("fikir_spool_pending ") and float(line.split()[1]) == 0:
                    return time.perf_counter()
            await asyncio.sleep(0.05)
    return time.perf_counter()


def stored_events(url: str) -> int:
    """Inbound messages fikir has stored (one processed_event row each)."""
    engine = create_sync_db_engine(url)
    with Session(engine) as session:
        value = session.exec(select(func.count()).select_from(ProcessedEvent)).one()
    engine.dispose()
    return int(value)


async def phases(
    label: str,
    webhooks: Webhooks,
    args: argparse.Namespace,
    url: str,
) -> tuple[list[Run], int]:
    """Warm up, then the fixed-rate phase, then the maximum-rate phase.

    For fikir a 2xx may mean "spooled, handled later": such a phase ends when the spool is
    empty again (at most DRAIN_LIMIT s later), and counts what was stored, not what was acked.
    """
    warm, _ = await fixed_rate(f"{label} warm-up", webhooks, 40, 5)
    found: list[Run] = []
    for mode in ("fixed", "max"):
        before = await asyncio.to_thread(stored_events, url) if label == "fikir" else 0
        if mode == "fixed":
            run, _ = await fixed_rate(label, webhooks, args.rate, args.seconds)
        else:
            run, _ = await max_rate(label, webhooks, args.max_seconds, args.conc)
        if label == "fikir":
            run.drained = await spool_empty(webhooks.port, DRAIN_LIMIT)
            run.handled = await asyncio.to_thread(stored_events, url) - before
        found.append(run)
        await asyncio.sleep(2)
    answered = sum(len(run.ok) for run in (warm, *found))
    return found, answered


def row(db: str, run: Run) -> str:
    answered = sum(1 for r in run.ok if r.answered)
    handled = len(run.ok) if run.handled is None else run.handled
    drain = f"{run.drain:.2f}" if run.drain < DRAIN_LIMIT else f">{DRAIN_LIMIT:.0f}"
    return (
        f"{db:<9}{run.label:<8}{run.mode:>6}{len(run.results) + run.errors:>8}"
        f"{len(run.ok):>8}{answered:>8}{handled:>8}{run.rate:>8.1f}"
        f"{run.percentile(0.5) * 1000:>9.1f}{run.percentile(0.99) * 1000:>9.1f}{drain:>8}"
        f"{run.errors:>7}"
    )


def bench_database(kind: str, args: argparse.Namespace, synchronous: str) -> list[str]:
    lines: list[str] = []
    texts = corpus()
    label = kind if kind == "postgres" else f"{kind}-{synchronous[0].upper()}"
    targets = ("bare", "sqlite3", "fikir") if kind == "sqlite" else ("bare", "fikir")
    with tempfile.TemporaryDirectory(prefix=f"fikir-bench-{kind}-") as tmp:
        workdir = Path(args.keep) / label if args.keep else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        with database(kind, workdir, args.pg_url) as url:
            phones = seed_subscribers(url, args.senders)
            runs: dict[str, list[Run]] = {}
            for target in targets:
                port = free_port()
                public = f"http://127.0.0.1:{port}"
                if target != "fikir":
                    command = [
                        sys.executable, str(ROOT / "bench" / "bare_app.py"), "--port", str(port),
                        "--database-url", url, "--auth-token", AUTH_TOKEN, "--public-url", public,
                        "--driver", "sqlite3" if target == "sqlite3" else "sqlalchemy",
                        "--synchronous", synchronous,
                    ]  # fmt: skip
                    env = dict(os.environ)
                    env["PYTHONPATH"] = os.pathsep.join(
                        p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p
                    )
                else:
                    command = [sys.executable, "-m", "fikir.cli", "run"]
                    env = fikir_env(url, port, workdir, synchronous)
                server = start(command, env, port, workdir, target)
                try:
                    if target == "fikir":
                        server.wait_for_log("language models loaded", 120)
                    webhooks = Webhooks(
                        "127.0.0.1", port, public, ACCOUNT_SID, AUTH_TOKEN, phones, texts
                    )
                    found, answered = asyncio.run(phases(target, webhooks, args, url))
                    runs[target] = found
                finally:
                    server.stop()
                if target == "fikir":
                    check = check_store(url, answered)  # once it stopped: no replay in between
            for index in range(2):
                for target in targets:
                    lines.append(row(label, runs[target][index]))
            for target in targets[:-1]:
                ratio = runs["fikir"][1].rate / max(1e-9, runs[target][1].rate)
                lines.append(f"{label}: fikir handled {ratio:.0%} of {target}'s maximum rate")
            lines.append(
                f"{label}: store check: {check.answered_ok} answered, {check.events} events, "
                f"{check.feedback} feedback rows, {check.tagged} tagged with a goal"
            )
            if args.profile and kind == "sqlite":
                env = fikir_env(url, free_port(), workdir, synchronous)
                lines += profile_stages(url, env, args.profile, phones, texts)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--rate", type=float, default=200.0, help="fixed-rate phase, msg/s")
    parser.add_argument("--seconds", type=float, default=60.0, help="fixed-rate phase length")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="max-rate phase length")
    parser.add_argument("--conc", type=int, default=32, help="senders in the max-rate phase")
    parser.add_argument("--senders", type=int, default=2000, help="distinct subscribers")
    parser.add_argument("--keep", default="", help="keep logs and files in this directory")
    parser.add_argument("--pg-url", default=os.environ.get("FIKIR_TEST_POSTGRES_URL", ""))
    parser.add_argument(
        "--synchronous", default="full", help="SQLite synchronous level(s): full, normal or both"
    )
    parser.add_argument(
        "--profile", type=int, default=0, help="messages for the stage profile (SQLite), 0: none"
    )
    args = parser.parse_args()
    header = (
        f"{'db':<9}{'target':<8}{'mode':>6}{'sent':>8}{'2xx':>8}{'inline':>8}{'stored':>8}"
        f"{'msg/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'drain s':>8}{'errors':>7}"
    )
    lines: list[str] = []
    for kind in args.db.split(","):
        levels = args.synchronous.split(",") if kind.strip() == "sqlite" else ["full"]
        for level in levels:
            lines += bench_database(kind.strip(), args, level.strip())
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; loopback")
    print(header)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
