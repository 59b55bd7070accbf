"""A lean HTTP/1.1 load generator for Twilio-signed webhooks on loopback.

It keeps its own CPU small (pre-rendered requests, keep-alive connections, no HTTP library),
because the server under test shares the machine. The fixed-rate mode is open-loop: latency is
measured from the moment a message was *due*, so a slow server cannot hide its queue
(no coordinated omission).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

PATH = "/webhooks/twilio/sms"
CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "tagging" / "messages.jsonl"


def corpus() -> list[str]:
    """Realistic feedback in the seven languages (the tagger's labelled set)."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [str(json.loads(line)["text"]) for line in lines if line.strip()]


@dataclass
class Webhooks:
    """Signed Twilio inbound-SMS requests, rendered to bytes, for a fixed set of senders."""

    host: str
    port: int
    public_url: str
    account_sid: str
    auth_token: str
    senders: list[str]
    texts: list[str]
    seed: int = 7
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self._validator = RequestValidator(self.auth_token)
        self._random = random.Random(self.seed)
        self._url = f"{self.public_url}{PATH}"

    def next(self) -> tuple[str, bytes]:
        """(MessageSid, the raw request) for the next message."""
        sid = f"SM{next(self._ids):032x}"
        params = {
            "MessageSid": sid,
            "SmsSid": sid,
            "SmsMessageSid": sid,
            "AccountSid": self.account_sid,
            "From": self._random.choice(self.senders),
            "To": "+994125550000",
            "Body": self._random.choice(self.texts),
            "NumMedia": "0",
            "NumSegments": "1",
            "FromCountry": "AZ",
            "ApiVersion": "2010-04-01",
        }
        signature = self._validator.compute_signature(self._url, params)
        body = urlencode(params).encode()
        head = (
            f"POST {PATH} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            "User-Agent: TwilioProxy/1.1\r\n"
            "Content-Type: application/x-www-form-urlencoded; charset=UTF-8\r\n"
            f"X-Twilio-Signature: {signature}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        return sid, head.encode() + body


@dataclass
class Result:
    due: float
    done: float
    status: int
    answered: bool


class Connections:
    """Keep-alive connections, opened on demand up to `limit`."""

    def __init__(self, host: str, port: int, limit: int) -> None:
        self._host, self._port = host, port
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._gate = asyncio.Semaphore(limit)

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        async with self._gate:
            if self._idle:
                reader, writer = self._idle.pop()
                try:
                    return await self._exchange(reader, writer, raw)
                except (OSError, asyncio.IncompleteReadError):
                    pass  # the server closed this idle keep-alive connection: use a new one
            reader, writer = await asyncio.open_connection(self._host, self._port)
            return await self._exchange(reader, writer, raw)

    async def _exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes
    ) -> tuple[int, bytes]:
        try:
            writer.write(raw)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            body = await reader.readexactly(length) if length else b""
        except (OSError, asyncio.IncompleteReadError):
            writer.close()
            raise
        self._idle.append((reader, writer))
        return status, body

    def close(self) -> None:
        for _reader, writer in self._idle:
            writer.close()
        self._idle.clear()


@dataclass
class Run:
    """What one phase measured."""

    label: str
    mode: str
    results: list[Result]
    started: float
    load_stopped: float
    errors: int = 0
    drained: float = 0.0  # when the server's own backlog (its spool) was empty, if it had one
    handled: int | None = None  # messages the server stored (when acknowledging is not handling)

    @property
    def ok(self) -> list[Result]:
        return [r for r in self.results if r.status == 200]

    @property
    def finished(self) -> float:
        last = max((r.done for r in self.results), default=self.load_stopped)
        return max(last, self.drained)

    @property
    def drain(self) -> float:
        """Seconds from the last message sent to the last one answered or replayed."""
        return max(0.0, self.finished - self.load_stopped)

    @property
    def rate(self) -> float:
        """Messages handled per second, from the first sent to the last answered or replayed."""
        done = len(self.ok) if self.handled is None else self.handled
        return done / max(1e-9, self.finished - self.started)

    def percentile(self, q: float) -> float:
        latencies = sorted(r.done - r.due for r in self.ok)
        if not latencies:
            return float("nan")
        if len(latencies) == 1:
            return latencies[0]
        return statistics.quantiles(latencies, n=1000, method="inclusive")[int(q * 1000) - 1]


async def fixed_rate(
    label: str, webhooks: Webhooks, rate: float, seconds: float, connections: int = 512
) -> tuple[Run, list[str]]:
    """Open loop: message i is due at start + i/rate, whatever the server is doing."""
    pool = Connections(webhooks.host, webhooks.port, connections)
    results: list[Result] = []
    sids: list[str] = []
    errors = 0
    tasks: set[asyncio.Task[None]] = set()

    async def one(due: float, raw: bytes) -> None:
        nonlocal errors
        try:
            status, body = await pool.request(raw)
        except (OSError, asyncio.IncompleteReadError):
            errors += 1
            return
        results.append(Result(due, time.perf_counter(), status, b"<Message>" in body))

    start = time.perf_counter()
    total = int(rate * seconds)
    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        sid, raw = webhooks.next()
        sids.append(sid)
        task = asyncio.create_task(one(due, raw))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    stopped = time.perf_counter()
    if tasks:
        await asyncio.wait(set(tasks))
    pool.close()
    return Run(label, f"{rate:g}/s", results, start, stopped, errors), sids


async def max_rate(
    label: str, webhooks: Webhooks, seconds: float, concurrency: int = 32
) -> tuple[Run, list[str]]:
    """Closed loop: `concurrency` senders, each posting the next message as soon as answered."""
    pool = Connections(webhooks.host, webhooks.port, concurrency)
    results: list[Result] = []
    sids: list[str] = []
    errors = 0
    start = time.perf_counter()
    until = start + seconds

    async def sender() -> None:
        nonlocal errors
        while time.perf_counter() < until:
            sid, raw = webhooks.next()
            sids.append(sid)
            due = time.perf_counter()
            try:
                status, body = await pool.request(raw)
            except (OSError, asyncio.IncompleteReadError):
                errors += 1
                continue
            results.append(Result(due, time.perf_counter(), status, b"<Message>" in body))

    await asyncio.gather(*(sender() for _ in range(concurrency)))
    pool.close()
    return Run(label, "max", results, start, until, errors), sids
