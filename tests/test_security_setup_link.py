"""The first admin's link printed at start works once, and never once anyone can sign in.

The code is the one `fikir run` prints (first_admin_invite, derived from FIKIR_SECRET_KEY), used
through the real /admin/setup page and form, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from fikir.config.settings import Settings
from fikir.runtime import Runtime, build_runtime
from fikir.staff.accounts import redeem_code
from fikir.storage.models import StaffUser
from fikir.web.first_admin import first_admin_invite
from tests.conftest import make_settings
from tests.test_web_helpers import client_for, csrf_of, password_hash, run, visitor

CHOSEN = "the first admin's passphrase"
INTRUDER = "an intruder's passphrase!"


@pytest.fixture
def settings(tmp_path_factory: pytest.TempPathFactory, db_url: str) -> Settings:
    return make_settings(tmp_path_factory.mktemp("setup-link"), db_url)


def printed_code(settings: Settings) -> str:
    async def go() -> str | None:
        runtime = build_runtime(settings)
        try:
            return await first_admin_invite(runtime.sessions, settings.secret)
        finally:
            await runtime.close()

    code = run(go())
    assert code
    return code


def add_admin_with_password(settings: Settings, name: str) -> None:
    """Another admin, added with `fikir staff add` and signed up through their own code."""

    async def go() -> None:
        runtime = build_runtime(settings)
        try:
            async with runtime.sessions() as session, session.begin():
                session.add(
                    StaffUser(
                        name=name,
                        role="admin",
                        password_hash=password_hash(),
                        created_at=datetime.now(UTC),
                    )
                )
        finally:
            await runtime.close()

    run(go())


def choose_password(client: TestClient, code: str, password: str) -> int:
    browser = visitor(client)
    page = browser.get("/admin/setup", params={"code": code})
    token = csrf_of(page.text)
    response = browser.post(
        "/admin/setup",
        data={"code": code, "password": password, "repeat": password, "csrf_token": token},
        follow_redirects=False,
    )
    if response.status_code == 303:
        assert browser.get("/admin/users", follow_redirects=False).status_code == 200
    return response.status_code


def test_the_link_is_dead_once_another_admin_can_sign_in(settings: Settings) -> None:
    code = printed_code(settings)
    add_admin_with_password(settings, "ada")
    with client_for(settings) as client:
        page = visitor(client).get("/admin/setup", params={"code": code})
        assert page.status_code == 400, "the page still offers a dead link"
        assert 'name="code" value=' not in page.text
        assert choose_password(client, code, INTRUDER) == 400


def test_the_link_works_once(settings: Settings) -> None:
    code = printed_code(settings)
    with client_for(settings) as client:
        assert choose_password(client, code, CHOSEN) == 303
        assert choose_password(client, code, INTRUDER) == 400
        assert visitor(client).get("/admin/setup", params={"code": code}).status_code == 400
    assert printed_code_after_restart(settings) is None


def printed_code_after_restart(settings: Settings) -> str | None:
    async def go() -> str | None:
        runtime = build_runtime(settings)
        try:
            return await first_admin_invite(runtime.sessions, settings.secret)
        finally:
            await runtime.close()

    return run(go())


def test_a_restart_after_someone_can_sign_in_removes_the_unused_link(settings: Settings) -> None:
    printed_code(settings)
    add_admin_with_password(settings, "ada")
    assert printed_code_after_restart(settings) is None

    async def stored() -> str | None:
        runtime = build_runtime(settings)
        try:
            async with runtime.sessions() as session:
                admin = (
                    await session.exec(select(StaffUser).where(StaffUser.name == "admin"))
                ).one()
                return admin.link_code_hash
        finally:
            await runtime.close()

    assert run(stored()) is None


def test_two_instances_redeeming_the_same_code_at_once_get_it_once(settings: Settings) -> None:
    code = printed_code(settings)

    async def go() -> list[bool]:
        first, second = build_runtime(settings), build_runtime(settings)
        try:
            results = await asyncio.gather(
                _redeem_one(first, code), _redeem_one(second, code), return_exceptions=True
            )
            return [result is True for result in results]
        finally:
            await first.close()
            await second.close()

    assert sorted(run(go())) == [False, True]


async def _redeem_one(runtime: Runtime, code: str) -> bool:
    async with runtime.sessions() as session, session.begin():
        user = await redeem_code(session, code, datetime.now(UTC))
        await asyncio.sleep(0.3)  # the other instance redeems while this one is uncommitted
        return user is not None
