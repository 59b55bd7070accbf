"""Shared fixtures: a real database (SQLite, and PostgreSQL when configured), no outside network."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from fikir.config.settings import Settings, load_settings
from fikir.runtime import Runtime, build_runtime
from fikir.storage import (  # noqa: F401  (register every table on the metadata)
    alert_tables,
    digest_edits,
    language_tables,
    models,
    opinion_tables,
    safety_tables,
    survey_tables,
)
from fikir.storage.engine import create_sync_db_engine
from fikir.storage.migrate import upgrade
from tests.throwaway_postgres import ThrowawayPostgres

TEST_SECRET = "test-secret-key-for-fikir-0123456789-abcdefghijklmnop"
POSTGRES_URL = os.environ.get("FIKIR_TEST_POSTGRES_URL", "")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            allowed = ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = host == "localhost"
        if not allowed:
            raise RuntimeError(f"test tried to reach the outside network ({host})")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_outside_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any real outside network call fails the test (STYLE.md habit 6)."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


BROWSER_MISSING = "no Chromium found"


def find_chromium() -> str | None:
    """FIKIR_TEST_CHROMIUM, else a Chromium on PATH (Debian's package installs /usr/bin/chromium)."""
    chosen = os.environ.get("FIKIR_TEST_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def pytest_unconfigure(config: pytest.Config) -> None:
    """The run's last line says when the browser tests could not run, and how to make them run."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    skipped = getattr(reporter, "stats", {}).get("skipped", [])
    if any(BROWSER_MISSING in str(getattr(report, "longrepr", "")) for report in skipped):
        reporter.write_line(
            f"Browser tests skipped: {BROWSER_MISSING} on PATH. To run them install Chromium "
            "(Debian: apt-get install chromium) or set FIKIR_TEST_CHROMIUM=/path/to/chromium."
        )


def need_service(reason: str) -> None:
    """Skip locally, but fail in CI, when a service a test needs is missing."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """FIKIR_TEST_POSTGRES_URL when set (CI: Debian's server), else a throwaway server of our own."""
    if POSTGRES_URL:
        yield POSTGRES_URL
        return
    try:
        server = ThrowawayPostgres()
        url = server.start()
    except Exception as exc:  # noqa: BLE001
        need_service(f"no FIKIR_TEST_POSTGRES_URL and no throwaway PostgreSQL: {exc}")
    try:
        yield url
    finally:
        server.stop()


def _postgres_database(server_url: str) -> Iterator[str]:
    admin = create_sync_db_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"fikir_t_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        admin.dispose()
        need_service(f"PostgreSQL at {make_url(server_url)!r} is unreachable: {exc}")
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url(postgres_server: str) -> Iterator[str]:
    """One migrated PostgreSQL database for the session; tests truncate it before use."""
    for url in _postgres_database(postgres_server):
        upgrade(url)
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'fikir.db'}"
        upgrade(url)
        return url
    url = str(request.getfixturevalue("postgres_url"))
    truncate(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'fikir.db'}"
    upgrade(url)
    return url


def truncate(url: str) -> None:
    engine = create_sync_db_engine(url)
    # Every table the models declare (a new table module registers itself when imported by the
    # migrations' env), so no test sees rows an earlier one left behind.
    names = ", ".join(f'"{table.name}"' for table in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


def make_settings(tmp_path: Path, url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "env": "test",
        "data_dir": tmp_path / "var",
        "database_url": url,
        "secret_key": TEST_SECRET,
        "scheduler": False,
    }
    values.update(overrides)
    return load_settings(**values)


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return make_settings(tmp_path, db_url)


@pytest.fixture
async def runtime(settings: Settings) -> AsyncIterator[Runtime]:
    rt = build_runtime(settings)
    try:
        yield rt
    finally:
        await rt.close()


@pytest.fixture
async def sqlite_runtime(tmp_path: Path, sqlite_url: str) -> AsyncIterator[Runtime]:
    rt = build_runtime(make_settings(tmp_path, sqlite_url))
    try:
        yield rt
    finally:
        await rt.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
