"""Wrong passwords slow down their source, never the account: the owner still signs in.

Sources are the connection's address: TestClient's `client` stands in for different machines,
and a real uvicorn on loopback, configured as `fikir run` configures it, shows that behind a
trusted proxy the X-Forwarded-For address is the source. No address reaches the database.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import col, select

from fikir.config.settings import Settings
from fikir.runtime import build_runtime
from fikir.storage.engine import create_sync_db_engine
from fikir.storage.models import AuditEvent
from tests.conftest import free_port, make_settings
from tests.test_web_helpers import PASSWORD, build_app, client_for, csrf_of, run, seed

ATTACKER = "198.51.100.23"
OWNER_AT_HOME = "203.0.113.77"
WRONG = "not the password at all"


@pytest.fixture
def settings(tmp_path_factory: pytest.TempPathFactory, db_url: str) -> Settings:
    settings = make_settings(tmp_path_factory.mktemp("sign-in"), db_url)
    seed(settings, {"ada": "admin", "vic": "viewer"}, [])
    return settings


@pytest.fixture
def app(settings: Settings) -> Iterator[TestClient]:
    with client_for(settings) as client:
        yield client


def browser_at(app: TestClient, address: str) -> TestClient:
    other = TestClient(app.app, base_url="http://127.0.0.1", client=(address, 40000))
    other.portal = app.portal
    return other


def try_password(browser: TestClient | httpx.Client, name: str, password: str) -> int:
    token = csrf_of(browser.get("/admin/login").text)
    response = browser.post(
        "/admin/login",
        data={"name": name, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return response.status_code


def _throttle_rows(settings: Settings) -> list[Any]:
    from fikir.storage.models import LoginThrottle  # the table is new (0002)

    async def go() -> list[Any]:
        runtime = build_runtime(settings)
        try:
            async with runtime.sessions() as session:
                return list((await session.exec(select(LoginThrottle))).all())
        finally:
            await runtime.close()

    return run(go())


def _audit(settings: Settings) -> list[str]:
    async def go() -> list[str]:
        runtime = build_runtime(settings)
        try:
            async with runtime.sessions() as session:
                rows = await session.exec(select(AuditEvent.action).order_by(col(AuditEvent.id)))
                return list(rows.all())
        finally:
            await runtime.close()

    return run(go())


def _let_time_pass(settings: Settings) -> None:
    """Every wait runs out (as if the attacker waited), while the counts stay."""
    engine = create_sync_db_engine(settings.effective_database_url)
    past = datetime.now(UTC) - timedelta(seconds=1)
    with engine.begin() as connection:
        connection.execute(text("UPDATE login_throttle SET next_allowed_at = :t"), {"t": past})
    engine.dispose()


def test_a_strangers_wrong_guesses_never_lock_the_owner_out(
    settings: Settings, app: TestClient
) -> None:
    attacker = browser_at(app, ATTACKER)
    for _ in range(6):
        _let_time_pass(settings)  # each guess waits out its delay, as a patient attacker would
        assert try_password(attacker, "ada", WRONG) == 401
    assert try_password(attacker, "ada", WRONG) == 429, "the attacker is not slowed down"
    owner = browser_at(app, OWNER_AT_HOME)
    assert try_password(owner, "ada", PASSWORD) == 303, "the owner is locked out"
    assert owner.get("/admin/", follow_redirects=False).status_code == 200
    # From the attacker's source, even the right password waits out the delay, unheard.
    assert try_password(attacker, "ada", PASSWORD) == 429
    actions = _audit(settings)
    assert actions.count("login_failed") == 6
    assert actions.count("login_throttled") == 2
    assert actions[-2:] == ["login", "login_throttled"]


def test_the_delays_grow_with_each_failure(settings: Settings, app: TestClient) -> None:
    attacker = browser_at(app, ATTACKER)
    waits = []
    for _ in range(6):
        _let_time_pass(settings)
        assert try_password(attacker, "vic", WRONG) == 401
        row = max(_throttle_rows(settings), key=lambda r: r.next_allowed_at - r.last_failure_at)
        waits.append((row.next_allowed_at - row.last_failure_at).total_seconds())
    assert waits[:2] == [0, 0]
    assert waits[2:] == sorted(waits[2:]) and waits[-1] >= 4 * waits[2] > 0, waits
    # The right password from that source after the wait: signed in, and the pair forgiven.
    _let_time_pass(settings)
    assert try_password(attacker, "vic", PASSWORD) == 303


def test_one_source_guessing_many_names_is_slowed_too(settings: Settings, app: TestClient) -> None:
    attacker = browser_at(app, ATTACKER)
    statuses = [try_password(attacker, f"guess{n}", WRONG) for n in range(21)]
    assert statuses[:20] == [401] * 20
    assert statuses[20] == 429, "a source spraying names is never slowed"
    assert try_password(browser_at(app, OWNER_AT_HOME), "vic", PASSWORD) == 303


def test_no_address_is_stored(settings: Settings, app: TestClient) -> None:
    attacker = browser_at(app, ATTACKER)
    for _ in range(5):
        try_password(attacker, "ada", WRONG)
    try_password(browser_at(app, "2001:db8:1:2::99"), "ada", WRONG)
    engine = create_sync_db_engine(settings.effective_database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM login_throttle")).all()
        audit = connection.execute(text("SELECT * FROM audit_event")).all()
    engine.dispose()
    dump = repr(rows) + repr(audit)
    assert rows and all(len(str(row[1])) == 64 for row in rows)
    for trace in (ATTACKER, "198.51.100", "2001:db8", "51.100.23"):
        assert trace not in dump


async def test_behind_a_trusted_proxy_the_forwarded_address_is_the_source(
    tmp_path: Path, sqlite_url: str
) -> None:
    from fikir.web.server import server_config  # `fikir run`'s own uvicorn settings

    settings = make_settings(
        tmp_path, sqlite_url, port=free_port(), forwarded_allow_ips="127.0.0.1"
    )
    await asyncio.to_thread(seed, settings, {"ada": "admin"}, [])
    server = uvicorn.Server(server_config(settings, build_app(settings)))
    serving = asyncio.create_task(server.serve())
    base = f"http://127.0.0.1:{settings.port}"
    try:
        while not server.started:
            await asyncio.sleep(0.05)

        async def attempt(forwarded_for: str, password: str) -> int:
            headers = {"X-Forwarded-For": forwarded_for}
            async with httpx.AsyncClient(base_url=base, headers=headers) as client:
                token = csrf_of((await client.get("/admin/login")).text)
                response = await client.post(
                    "/admin/login",
                    data={"name": "ada", "password": password, "csrf_token": token},
                )
                return response.status_code

        for _ in range(6):
            await asyncio.to_thread(_let_time_pass, settings)
            assert await attempt(f"10.9.8.7, {ATTACKER}", WRONG) == 401
        assert await attempt(ATTACKER, PASSWORD) == 429
        # Another client behind the same proxy is another source: the owner signs in.
        assert await attempt(OWNER_AT_HOME, PASSWORD) == 303
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, 30)
