"""The real `fikir run` in a subprocess: free port, its own data dir, logs captured to files."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

import httpx

from tests.conftest import TEST_SECRET, free_port
from tests.fakes.telegram_server import FakeTelegram


class FikirProcess:
    """One service instance; `env` adds to a clean environment (no FIKIR_ or TWILIO_ from outside)."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.data_dir = workdir / "var"
        self.stdout_path = workdir / "stdout.log"
        self.stderr_path = workdir / "stderr.log"
        self._env = env
        self._process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.data_dir / 'fikir.db'}"

    @property
    def database_files(self) -> list[Path]:
        return sorted(self.data_dir.glob("fikir.db*"))

    async def start(self, timeout: float = 30.0) -> float:
        """Start and wait for /healthz; returns the seconds it took."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FIKIR_", "TWILIO_"))}
        env.update(
            FIKIR_DATA_DIR=str(self.data_dir),
            FIKIR_PORT=str(self.port),
            FIKIR_HOST="127.0.0.1",
            FIKIR_SECRET_KEY=TEST_SECRET,
            FIKIR_ENV="test",
            FIKIR_SCHEDULER="false",
            FIKIR_LOG_LEVEL="DEBUG",
        )
        env.update(self._env)
        started = time.monotonic()
        with self.stdout_path.open("ab") as out, self.stderr_path.open("ab") as err:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "fikir.cli",
                "run",
                env=env,
                cwd=self.workdir,
                stdout=out,
                stderr=err,
            )
        async with httpx.AsyncClient() as client:
            while True:
                if self._process.returncode is not None:
                    raise AssertionError(f"fikir run exited early:\n{self.logs()[-3000:]}")
                try:
                    response = await client.get(f"{self.url}/healthz", timeout=1)
                    if response.status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() - started > timeout:
                    raise AssertionError(f"fikir run did not start:\n{self.logs()[-3000:]}")
                await asyncio.sleep(0.1)
        return time.monotonic() - started

    async def stop(self, timeout: float = 20.0) -> int:
        process = self._process
        if process is None or process.returncode is not None:
            return process.returncode if process and process.returncode is not None else 0
        process.terminate()
        try:
            return await asyncio.wait_for(process.wait(), timeout)
        except TimeoutError:
            process.kill()
            return await process.wait()

    def logs(self) -> str:
        parts = []
        for path in (self.stdout_path, self.stderr_path):
            if path.exists():
                parts.append(path.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(parts)


def outbox_busy(database: Path) -> int:
    """Messages still waiting in the outbox (pending, retrying or being sent)."""
    with closing(sqlite3.connect(database, timeout=30)) as connection:
        row = connection.execute(
            "SELECT count(*) FROM outbox_message WHERE status IN ('pending', 'sending')"
        ).fetchone()
    return int(row[0])


async def settle(fake: FakeTelegram, database: Path, timeout: float = 20.0) -> None:
    """Wait until every queued update is acknowledged and every reply has left the outbox."""
    deadline = time.monotonic() + timeout
    calm = 0
    while calm < 3:
        if fake.all_acknowledged() and outbox_busy(database) == 0:
            calm += 1
        else:
            calm = 0
        if time.monotonic() > deadline:
            raise AssertionError(
                f"not settled after {timeout} s: acknowledged={fake.all_acknowledged()}, "
                f"outbox={outbox_busy(database)}"
            )
        await asyncio.sleep(0.1)


def snapshot(database: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to show that a refused or repeated request changed nothing."""
    tables: dict[str, list[tuple[object, ...]]] = {}
    with closing(sqlite3.connect(database, timeout=30)) as connection:
        names = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        for name in names:
            rows = connection.execute(f'SELECT * FROM "{name}"').fetchall()  # noqa: S608
            tables[name] = sorted(rows, key=repr)
    return tables


def personal_data_found(database_files: list[Path], logs: str, needles: set[str]) -> list[str]:
    """Where any of `needles` (ids, usernames, names) appears: table cells, raw files, logs."""
    database = next(path for path in database_files if path.name == "fikir.db")
    cells = []
    for table, rows in snapshot(database).items():
        for row in rows:
            for cell in row:
                text = cell.decode("latin-1") if isinstance(cell, bytes) else str(cell)
                cells.append(f"{table}: {text}")
    places = {"tables": "\n".join(cells), "logs": logs}
    for path in database_files:
        places[f"{path.name} (raw bytes)"] = path.read_bytes().decode("utf-8", errors="replace")
    found = []
    for where, blob in places.items():
        found += [f"{where}: {needle}" for needle in sorted(needles) if needle in blob]
    return found


def table_rows(database: Path, table: str) -> list[dict[str, object]]:
    """One table's rows by column name."""
    with closing(sqlite3.connect(database, timeout=30)) as connection:
        connection.row_factory = sqlite3.Row
        rows = connection.execute(f'SELECT * FROM "{table}"').fetchall()  # noqa: S608
    return [dict(row) for row in rows]
