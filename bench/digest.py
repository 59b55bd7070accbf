"""Build time and peak memory of the monthly digest for 10k, 100k and 1M feedback rows on SQLite.

Run: .venv/bin/python bench/digest.py [--sizes 10000 100000 1000000] [--keep DIR]

Each size gets its own SQLite file, seeded fast with executemany over plain sqlite3 (rows spread
over the six months the digest reads, about 1.4 goals per message, some staff re-tags). The
build then runs in a fresh subprocess so that its peak RSS (ru_maxrss) is its own: "count" is the
SQL aggregation (fikir.digest.build.build), "render" the English charts, HTML and PDF on top
(matplotlib and WeasyPrint are imported before the clock starts, as a running service has them).
Targets at 1M rows: build <= 10 s and peak memory <= 500 MB, growing no worse than linearly.

Texts: four in five rows carry one, made from the labelled theme messages (tests/data/themes/,
seven languages), half of them with the first words of another appended, so that the digest's
themes read tens of thousands of different texts, not a handful. Time and RSS are measured
without tracemalloc (which slows every Python allocation several times over and keeps a trace
of each); "traced MB" comes from a second, untimed count of the same month under tracemalloc.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MONTH = "2026-10"
WINDOW_START = datetime(2026, 4, 30, 20, 0, tzinfo=UTC)  # 1 May 2026, 00:00 in Baku
WINDOW_END = datetime(2026, 10, 31, 20, 0, tzinfo=UTC)  # 1 Nov 2026, 00:00 in Baku
TARGET_SECONDS, TARGET_MB = 10.0, 500.0
SECRET = "bench-secret-key-for-fikir-digest-0123456789abcdef"

LANGUAGES = ["az"] * 45 + ["ru"] * 30 + ["en"] * 10 + ["tly", "lez", "ka", "uk"] * 3 + [None] * 3
CHANNELS = ["telegram"] * 6 + ["sms-twilio"] * 2 + ["sms-gateway"] * 2
REGIONS = ["baku"] * 30 + ["ganja_dashkasan"] * 12 + ["lankaran_astara"] * 10 + [
    "shaki_zagatala", "guba_khachmaz", "mil_mughan", "central_aran", "karabakh", "nakhchivan",
    "gazakh_tovuz", "shirvan_salyan", "absheron_khizi", "mountainous_shirvan", "east_zangezur",
] * 3 + [None] * 5  # fmt: skip
AGES = ["under_18", "18_24", "18_24", "25_34", "25_34", "35_54", "55_plus", None]
GENDERS = ["female", "male", "female", "male", "undisclosed", None]
GOALS = [6] * 8 + [3] * 6 + [8] * 6 + [4] * 4 + [13] * 3 + [16] * 3 + [1, 2, 5, 7, 9, 10, 11]
THEMES_DATA = ROOT / "tests" / "data" / "themes" / "messages.tsv"


def _texts() -> list[str]:
    """The labelled theme messages, the texts the seeded rows are made of."""
    lines = THEMES_DATA.read_text("utf-8").splitlines()
    return [line.split("\t")[3] for line in lines if line and not line.startswith("#")]


def _text(rng: random.Random, texts: list[str]) -> str | None:
    if rng.random() < 0.2:
        return None
    text = rng.choice(texts)
    if rng.random() < 0.5:
        text = f"{text} {' '.join(rng.choice(texts).split()[:4])}"
    return text


def _stamp(moment: datetime) -> str:
    """SQLAlchemy's storage format for DateTime on SQLite (naive UTC)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _feedback(n: int, people: int, rng: random.Random) -> Iterator[tuple[object, ...]]:
    span = (WINDOW_END - WINDOW_START).total_seconds()
    texts = _texts()
    for index in range(1, n + 1):
        # Rows arrive in time order, as the service stores them (ids grow with created_at);
        # later months are busier, as a growing service's are (about 23% fall in the month).
        moment = WINDOW_START + timedelta(seconds=span * (index / (n + 1)) ** 0.7)
        yield (
            index, f"B{index:09d}", rng.randint(1, people), _text(rng, texts),
            rng.choice(LANGUAGES), rng.choice(CHANNELS), rng.choice(REGIONS), rng.choice(AGES),
            rng.choice(GENDERS), 0, _stamp(moment),
        )  # fmt: skip


def _tags(n: int, rng: random.Random) -> Iterator[tuple[object, ...]]:
    now = _stamp(WINDOW_END)
    for index in range(1, n + 1):
        first = rng.choice(GOALS)
        yield index, first, round(rng.uniform(0.5, 1.0), 3), "auto", now
        if rng.random() < 0.4:
            second = rng.choice(GOALS)
            if second != first:
                yield index, second, round(rng.uniform(0.3, 0.6), 3), "auto", now
        if rng.random() < 0.03:
            yield index, rng.choice(GOALS), 1.0, "staff", now


def seed(path: Path, n: int) -> float:
    """A migrated database with n feedback rows; returns the seconds it took."""
    from fikir.storage.migrate import upgrade

    started = time.perf_counter()
    upgrade(f"sqlite:///{path}")
    rng = random.Random(n)
    people = max(50, n // 4)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous=OFF")
    with connection:
        connection.executemany(
            "INSERT INTO respondent (id, pseudonym, channel, state, state_data, profile_asked, "
            "subscribed, opted_out, blocked, created_at, last_seen_at) "
            "VALUES (?, ?, 'telegram', 'menu', '{}', 1, 0, 0, 0, ?, ?)",
            (
                (i, f"{i:064x}", _stamp(WINDOW_START), _stamp(WINDOW_START))
                for i in range(1, people + 1)
            ),
        )
        connection.executemany(
            "INSERT INTO feedback (id, ref_code, respondent_id, text, language, channel, region, "
            "age_band, gender, redactions, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _feedback(n, people, rng),
        )
        connection.executemany(
            "INSERT INTO feedback_tag (feedback_id, goal, score, source, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            _tags(n, rng),
        )
    connection.execute("ANALYZE")
    connection.close()
    return time.perf_counter() - started


def measure(path: Path, out: Path) -> dict[str, float]:
    """In this (fresh) process: count the month, then render it; times and peak memory."""
    import weasyprint  # noqa: F401 - loaded once in a running service, so not timed here

    import fikir.digest.charts  # noqa: F401 - (matplotlib) likewise
    from fikir.config.settings import load_settings
    from fikir.digest.build import build, render_files
    from fikir.runtime import build_runtime

    settings = load_settings(
        env="test", database_url=f"sqlite:///{path}", secret_key=SECRET, data_dir=out / "var"
    )
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    async def main() -> dict[str, float]:
        runtime = build_runtime(settings)
        try:
            started, cpu = time.perf_counter(), time.process_time()
            doc = await build(runtime, MONTH)
            counted, count_cpu = time.perf_counter() - started, time.process_time() - cpu
            count_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            shutil.rmtree(out / "files", ignore_errors=True)  # typeset afresh, never reuse
            started, cpu = time.perf_counter(), time.process_time()
            await render_files(doc, out / "files", ("en",))
            rendered, render_cpu = time.perf_counter() - started, time.process_time() - cpu
            peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            tracemalloc.start()  # untimed, after the peak was read: Python's own allocations
            await build(runtime, MONTH)
            _, traced = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        finally:
            await runtime.close()
        return {
            "count_s": counted,
            "count_cpu": count_cpu,
            "render_s": rendered,
            "render_cpu": render_cpu,
            "traced_mb": traced / 1024 / 1024,
            "baseline_mb": baseline,
            "count_rss_mb": count_rss,
            "peak_rss_mb": peak_rss,
            "messages": float(doc.totals.messages or 0),
        }

    return asyncio.run(main())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--keep", type=Path, help="keep the databases and files in this folder")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.measure.parent)))
        return 0
    base = args.keep or Path(tempfile.mkdtemp(prefix="fikir-digest-bench-"))
    rows = []
    for n in args.sizes:
        folder = base / f"n{n}"
        folder.mkdir(parents=True, exist_ok=True)
        database = folder / "fikir.db"
        database.unlink(missing_ok=True)
        seeded = seed(database, n)
        result = subprocess.run(
            [sys.executable, __file__, "--measure", str(database)],
            capture_output=True, text=True, check=True, cwd=ROOT,
        )  # fmt: skip
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        rows.append((n, seeded, figures))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; times are wall (CPU)")
    print(f"{'rows':>9} {'seed s':>7} {'in month':>9} {'count s':>14} {'render s':>14} "
          f"{'traced MB':>10} {'RSS base':>9} {'RSS count':>10} {'RSS peak':>9}")  # fmt: skip
    for n, seeded, f in rows:
        count = f"{f['count_s']:.2f} ({f['count_cpu']:.2f})"
        render = f"{f['render_s']:.2f} ({f['render_cpu']:.2f})"
        print(
            f"{n:>9,} {seeded:>7.1f} {int(f['messages']):>9,} {count:>14} {render:>14} "
            f"{f['traced_mb']:>10.1f} {f['baseline_mb']:>9.0f} {f['count_rss_mb']:>10.0f} "
            f"{f['peak_rss_mb']:>9.0f}"
        )
    n, _, largest = rows[-1]
    total = largest["count_s"] + largest["render_s"]
    ok = total <= TARGET_SECONDS and largest["peak_rss_mb"] <= TARGET_MB
    if len(rows) > 1:
        (n0, _, small), (n1, _, big) = rows[0], rows[-1]
        growth = big["count_s"] / max(small["count_s"], 1e-9)
        print(f"count time grew {growth:.1f}x for {n1 / n0:.0f}x the rows "
              f"({'no worse than linear' if growth <= n1 / n0 else 'WORSE than linear'})")  # fmt: skip
    cpu = largest["count_cpu"] + largest["render_cpu"]
    print(
        f"at {n:,} rows: build {total:.2f} s wall, {cpu:.2f} s CPU (count + render), peak RSS "
        f"{largest['peak_rss_mb']:.0f} MB -> {'within' if ok else 'OVER'} target "
        f"({TARGET_SECONDS:.0f} s, {TARGET_MB:.0f} MB)"
    )
    if not args.keep:
        print(f"(databases in {base}; delete them when done)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
