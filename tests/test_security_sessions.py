"""Ending a staff session ends every copy of its cookie, on every instance sharing the database.

A cookie is captured (as a thief on a shared computer or a leaked log would) and replayed after
sign-out, a new password, deactivation and reactivation, and a role change. Two apps on one
database stand in for two instances behind a load balancer.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from fikir.config.settings import Settings
from fikir.runtime import build_runtime
from fikir.staff.accounts import issue_code
from fikir.storage.models import StaffUser
from tests.conftest import make_settings
from tests.test_web_helpers import (
    PASSWORD,
    client_for,
    csrf_of,
    run,
    seed,
    sign_in,
    token_for,
    visitor,
)

NEW_PASSWORD = "another long passphrase 42"


@pytest.fixture
def settings(tmp_path_factory: pytest.TempPathFactory, db_url: str) -> Settings:
    return make_settings(tmp_path_factory.mktemp("sessions"), db_url)


@pytest.fixture
def staff_ids(settings: Settings) -> dict[str, int]:
    return seed(settings, {"ada": "admin", "vic": "viewer"}, []).staff_ids


@pytest.fixture
def two_instances(
    settings: Settings, staff_ids: dict[str, int]
) -> Iterator[tuple[TestClient, TestClient]]:
    with client_for(settings) as first, client_for(settings) as second:
        yield first, second


def thief(app_client: TestClient, victim: TestClient) -> TestClient:
    """Another browser holding a copy of the victim's cookie."""
    other = visitor(app_client)
    for cookie in victim.cookies.jar:
        other.cookies.set(cookie.name, cookie.value or "")
    return other


def opens_inbox(browser: TestClient) -> bool:
    response = browser.get("/admin/inbox", follow_redirects=False)
    assert response.status_code in {200, 303}, response.status_code
    return response.status_code == 200


def _new_code(settings: Settings, name: str) -> str:
    async def go() -> str:
        runtime = build_runtime(settings)
        try:
            async with runtime.sessions() as session, session.begin():
                user = (await session.exec(select(StaffUser).where(StaffUser.name == name))).one()
                code = issue_code(user, datetime.now(UTC))
                session.add(user)
                return code
        finally:
            await runtime.close()

    return run(go())


def _sessions(settings: Settings) -> list[Any]:
    from fikir.storage.models import StaffSession  # imported here: the table is new (0002)

    async def go() -> list[Any]:
        runtime = build_runtime(settings)
        try:
            async with runtime.sessions() as session:
                return list((await session.exec(select(StaffSession))).all())
        finally:
            await runtime.close()

    return run(go())


def test_a_cookie_copied_before_sign_out_opens_nothing_after_it(
    two_instances: tuple[TestClient, TestClient],
) -> None:
    first, second = two_instances
    browser = visitor(first)
    token = sign_in(browser, "vic")
    stolen_here, stolen_there = thief(first, browser), thief(second, browser)
    assert opens_inbox(stolen_here) and opens_inbox(stolen_there)
    response = browser.post("/admin/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert not opens_inbox(browser)
    assert not opens_inbox(stolen_here), "the same instance still honours the old cookie"
    assert not opens_inbox(stolen_there), "another instance still honours the old cookie"


def test_signing_out_ends_only_that_session(two_instances: tuple[TestClient, TestClient]) -> None:
    first, second = two_instances
    laptop, phone = visitor(first), visitor(second)
    token = sign_in(laptop, "vic")
    sign_in(phone, "vic")
    laptop.post("/admin/logout", data={"csrf_token": token})
    assert opens_inbox(phone)


def test_a_new_password_ends_every_older_session(
    settings: Settings, two_instances: tuple[TestClient, TestClient]
) -> None:
    first, second = two_instances
    old = visitor(second)
    sign_in(old, "vic")
    copy = thief(first, old)
    code = _new_code(settings, "vic")
    fresh = visitor(first)
    token = csrf_of(fresh.get(f"/admin/setup?code={code}").text)
    response = fresh.post(
        "/admin/setup",
        data={
            "code": code,
            "password": NEW_PASSWORD,
            "repeat": NEW_PASSWORD,
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert opens_inbox(fresh)
    assert not opens_inbox(old) and not opens_inbox(copy)
    sign_in(visitor(first), "vic", NEW_PASSWORD)
    with pytest.raises(AssertionError):
        sign_in(visitor(first), "vic", PASSWORD)


def test_deactivation_and_role_change_end_sessions_for_good(
    staff_ids: dict[str, int], two_instances: tuple[TestClient, TestClient]
) -> None:
    first, second = two_instances
    admin = visitor(first)
    admin_token = sign_in(admin, "ada")
    victim = visitor(second)
    sign_in(victim, "vic")
    copy = thief(first, victim)
    vic_id = staff_ids["vic"]
    admin.post(f"/admin/users/{vic_id}/active", data={"csrf_token": admin_token})
    admin.post(f"/admin/users/{vic_id}/active", data={"csrf_token": admin_token})  # back again
    assert not opens_inbox(victim), "reactivation revived a session from before"
    assert not opens_inbox(copy)

    sign_in(victim, "vic")
    assert opens_inbox(victim)
    admin.post(f"/admin/users/{vic_id}/role", data={"csrf_token": admin_token, "role": "analyst"})
    assert not opens_inbox(victim), "a role change left the old session open"
    sign_in(victim, "vic")
    assert opens_inbox(victim)
    assert opens_inbox(admin), "the admin's own session is untouched"


def test_the_database_keeps_no_usable_session_id(
    settings: Settings, two_instances: tuple[TestClient, TestClient]
) -> None:
    first, _ = two_instances
    browser = visitor(first)
    sign_in(browser, "vic")
    assert token_for(browser)
    cookie = next(c.value for c in browser.cookies.jar if c.name == "fikir_session")
    stored = _sessions(settings)
    assert len(stored) == 1
    assert stored[0].token_hash not in (cookie or "")
    assert stored[0].expires_at > datetime.now(UTC)
