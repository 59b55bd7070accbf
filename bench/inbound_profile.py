"""Where fikir's time per inbound message goes, stage by stage, measured in-process.

The service is built as `fikir run` builds it (create_app, the real services) and driven through
its ASGI interface (no uvicorn, no sockets) with Twilio-signed inbound SMS, 32 at a time so that
messages share transactions as they do under load. Two passes over the same kind of messages:
one plain, for wall and CPU time per message (the event loop's thread, and all threads: SQLite
runs in aiosqlite's thread), and one under cProfile, whose cumulative times of a few entry
points give each stage's share of the event loop's CPU (scaled back to the plain pass, since the
profiler slows Python code down). What no stage claims is the rest of the path: Starlette and
FastAPI routing, the dialog engine's own logic, pseudonyms and the vault.
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import random
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
from twilio.request_validator import RequestValidator

from fikir.config.settings import load_settings
from fikir.runtime import Runtime, build_runtime
from fikir.web.app import create_app

PATH = "/webhooks/twilio/sms"
WAVE = 32

# (stage, file suffix, function name): cumulative time of these calls on the event loop thread.
STAGES = (
    ("signature check", "twilio/request_validator.py", "validate"),
    ("form parsing", "starlette/formparsers.py", "parse"),
    ("language detection", "fikir/i18n/detect.py", "detect_language"),
    ("redaction", "fikir/privacy/redact.py", "redact_with_report"),
    ("tagging", "fikir/tagging/tagger.py", "tag"),
    ("ORM and SQL (event-loop side)", "sqlalchemy/util/_concurrency_py3k.py", "greenlet_spawn"),
)


@dataclass
class Pass:
    messages: int
    wall: float
    loop_cpu: float
    all_cpu: float


class Driver:
    """Signed requests into one in-process app."""

    def __init__(self, runtime: Runtime, public: str, token: str, sid: str) -> None:
        self.runtime = runtime
        app = create_app(runtime.settings, runtime)
        app.state.runtime = runtime  # the routes need only the runtime; no channel is started
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1"
        )
        self.validator = RequestValidator(token)
        self.url = f"{public}{PATH}"
        self.account = sid
        self.count = 0

    async def one(self, sender: str, body: str) -> None:
        self.count += 1
        sid = f"SMprof{self.count:026x}"
        params = {"MessageSid": sid, "AccountSid": self.account, "From": sender, "Body": body}
        params.update(To="+994125550000", NumMedia="0")
        headers = {
            "X-Twilio-Signature": self.validator.compute_signature(self.url, params),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        response = await self.client.post(PATH, content=urlencode(params), headers=headers)
        if response.status_code != 200 or "<Message>" not in response.text:
            raise SystemExit(f"profile: message not handled ({response.status_code})")

    async def run(self, count: int, senders: list[str], texts: list[str], seed: int) -> Pass:
        rng = random.Random(seed)
        wall, loop_cpu, all_cpu = time.perf_counter(), time.thread_time(), time.process_time()
        for start in range(0, count, WAVE):
            wave = [
                self.one(rng.choice(senders), rng.choice(texts))
                for _ in range(min(WAVE, count - start))
            ]
            await asyncio.gather(*wave)
        return Pass(
            count,
            time.perf_counter() - wall,
            time.thread_time() - loop_cpu,
            time.process_time() - all_cpu,
        )


def _stage_seconds(profile: cProfile.Profile) -> tuple[dict[str, float], float]:
    stats = pstats.Stats(profile)
    found = dict.fromkeys((name for name, _, _ in STAGES), 0.0)
    total = 0.0
    for (filename, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        total += row[2]  # tottime
        for name, suffix, wanted in STAGES:
            if function == wanted and filename.endswith(suffix):
                found[name] += row[3]  # cumtime
    return found, total


async def _profile(
    url: str, env: dict[str, str], count: int, senders: list[str], texts: list[str]
) -> list[str]:
    settings = load_settings(
        env="production",
        data_dir=Path(env["FIKIR_DATA_DIR"]) / "profile",
        database_url=url,
        secret_key=env["FIKIR_SECRET_KEY"],
        public_url=env["FIKIR_PUBLIC_URL"],
        twilio_account_sid=env["TWILIO_ACCOUNT_SID"],
        twilio_auth_token=env["TWILIO_AUTH_TOKEN"],
        twilio_from=env["FIKIR_TWILIO_FROM"],
        twilio_api_url=env["FIKIR_TWILIO_API_URL"],
        sqlite_synchronous=env.get("FIKIR_SQLITE_SYNCHRONOUS", "full"),
        scheduler=False,
    )
    runtime = build_runtime(settings)
    driver = Driver(
        runtime, settings.public_url, env["TWILIO_AUTH_TOKEN"], settings.twilio_account_sid
    )
    try:
        await driver.run(2 * WAVE, senders, texts, seed=1)  # models and caches loaded
        plain = await driver.run(count, senders, texts, seed=2)
        profile = cProfile.Profile()
        profile.enable()
        profiled = await driver.run(count, senders, texts, seed=3)
        profile.disable()
    finally:
        await driver.client.aclose()
        await runtime.close()
    stages, profiled_total = _stage_seconds(profile)
    scale = plain.loop_cpu / max(profiled_total, 1e-9)  # profiler overhead taken out
    per = 1000.0 / plain.messages
    lines = [
        f"profile: {plain.messages} messages in waves of {WAVE}, in-process (no HTTP server): "
        f"{plain.messages / plain.wall:.0f} msg/s, {plain.wall * per:.2f} ms wall per message",
        f"{'stage':<34}{'ms/msg':>8}{'share':>8}",
    ]
    claimed = 0.0
    for name, seconds in stages.items():
        ms = seconds * scale * per
        claimed += ms
        lines.append(f"{name:<34}{ms:>8.3f}{ms / (plain.wall * per):>8.0%}")
    rest = plain.loop_cpu * per - claimed
    other_threads = (plain.all_cpu - plain.loop_cpu) * per
    waiting = plain.wall * per - plain.all_cpu * per
    lines.append(
        f"{'routing, dialog engine (rest)':<34}{rest:>8.3f}{rest / (plain.wall * per):>8.0%}"
    )
    lines.append(
        f"{'SQLite in its thread (aiosqlite)':<34}{other_threads:>8.3f}"
        f"{other_threads / (plain.wall * per):>8.0%}"
    )
    lines.append(
        f"{'waiting (fsync, idle)':<34}{waiting:>8.3f}{max(waiting, 0) / (plain.wall * per):>8.0%}"
    )
    lines.append(f"(profiled pass: {profiled.messages / profiled.wall:.0f} msg/s under cProfile)")
    return lines


def profile_stages(
    url: str, env: dict[str, str], count: int, senders: list[str], texts: list[str]
) -> list[str]:
    """The breakdown as printable lines."""
    return asyncio.run(_profile(url, env, count, senders, texts))
