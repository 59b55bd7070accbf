"""The first admin's sign-in link: one working link, also when instances start together."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from fikir.runtime import Runtime
from fikir.staff.accounts import redeem_code
from fikir.storage.models import StaffUser
from fikir.web.first_admin import first_admin_invite


async def _admins(runtime: Runtime) -> list[StaffUser]:
    async with runtime.sessions() as session:
        return list((await session.exec(select(StaffUser))).all())


async def test_instances_starting_together_print_the_same_working_link(runtime: Runtime) -> None:
    secret = runtime.settings.secret
    codes = await asyncio.gather(*(first_admin_invite(runtime.sessions, secret) for _ in range(4)))
    assert len(set(codes)) == 1 and codes[0], codes
    admins = await _admins(runtime)
    assert [(admin.name, admin.role) for admin in admins] == [("admin", "admin")]
    async with runtime.sessions() as session, session.begin():
        assert await redeem_code(session, str(codes[0]), datetime.now(UTC)) is not None


async def test_a_restart_prints_the_same_link_until_it_expires(runtime: Runtime) -> None:
    secret = runtime.settings.secret
    first = await first_admin_invite(runtime.sessions, secret)
    assert first and await first_admin_invite(runtime.sessions, secret) == first
    async with runtime.sessions() as session, session.begin():
        admin = (await session.exec(select(StaffUser))).one()
        admin.link_code_expires_at = datetime.now(UTC) - timedelta(minutes=1)
    renewed = await first_admin_invite(runtime.sessions, secret)
    assert renewed and renewed != first
    async with runtime.sessions() as session, session.begin():
        assert await redeem_code(session, first, datetime.now(UTC)) is None
        assert await redeem_code(session, renewed, datetime.now(UTC)) is not None


async def test_a_used_link_is_not_printed_again(runtime: Runtime) -> None:
    secret = runtime.settings.secret
    code = await first_admin_invite(runtime.sessions, secret)
    assert code
    async with runtime.sessions() as session, session.begin():
        assert await redeem_code(session, code, datetime.now(UTC)) is not None
    again = await first_admin_invite(runtime.sessions, secret)
    assert again and again != code


async def test_no_link_once_someone_can_sign_in(runtime: Runtime) -> None:
    assert await first_admin_invite(runtime.sessions, runtime.settings.secret)
    async with runtime.sessions() as session, session.begin():
        admin = (await session.exec(select(StaffUser))).one()
        admin.password_hash = "$argon2id$placeholder"
    assert await first_admin_invite(runtime.sessions, runtime.settings.secret) is None


async def test_another_secret_cannot_reprint_the_link(runtime: Runtime) -> None:
    code = await first_admin_invite(runtime.sessions, runtime.settings.secret)
    other = await first_admin_invite(runtime.sessions, b"another-deployment-secret-" * 2)
    assert code and other and other != code
