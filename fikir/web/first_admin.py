"""The first start: with no staff account yet, a one-time sign-in link for the first admin.

The link's code is derived from FIKIR_SECRET_KEY and its expiry time rather than drawn at
random, so every instance sharing the database (and a quick restart of the one) prints the
same working link instead of racing to replace each other's. It is still stored only as a
hash, is used up on first sign-in like any other code, and stops working as soon as any staff
member has a password (fikir.staff.accounts), whichever link or instance gave it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from fikir.privacy.keys import derive_key
from fikir.staff.accounts import (
    CODE_DAYS,
    hash_code,
    hash_first_admin_code,
    someone_can_sign_in,
)
from fikir.storage.engine import SessionMaker
from fikir.storage.models import StaffUser

ADMIN = "admin"


def _code(secret: bytes, expires_at: datetime) -> str:
    mac = hmac.new(
        derive_key(secret, "first-admin"),
        expires_at.astimezone(UTC).isoformat(timespec="microseconds").encode(),
        hashlib.sha256,
    )
    return base64.urlsafe_b64encode(mac.digest()[:12]).decode()


async def first_admin_invite(sessions: SessionMaker, secret: bytes) -> str | None:
    """The first admin's code while no staff member can sign in yet; None once one can."""
    try:
        return await _invite(sessions, secret)
    except IntegrityError:
        # Another instance created the admin row at this moment: its code is ours too.
        return await _invite(sessions, secret)


async def _invite(sessions: SessionMaker, secret: bytes) -> str | None:
    now = datetime.now(UTC)
    async with sessions() as session, session.begin():
        # The row first, then the question: a sign-in committed while we waited for the lock
        # (another instance's first admin choosing a password) is seen, not overwritten.
        admin = (
            await session.exec(select(StaffUser).where(StaffUser.name == ADMIN).with_for_update())
        ).first()
        expires = admin.link_code_expires_at if admin is not None else None
        printed = _code(secret, expires) if expires is not None else None
        # Before 0002 the code was stored under the ordinary hash: recognised, and replaced.
        ours = (
            admin is not None
            and printed is not None
            and admin.link_code_hash
            in {
                hash_first_admin_code(printed),
                hash_code(printed),
            }
        )
        if await someone_can_sign_in(session):
            if admin is not None and ours:
                admin.link_code_hash = None  # dead anyway; gone from the table too
                admin.link_code_expires_at = None
                session.add(admin)
            return None
        if admin is not None and ours and expires is not None and expires > now:
            assert printed is not None  # noqa: S101 - set whenever `ours` is
            admin.link_code_hash = hash_first_admin_code(printed)
            session.add(admin)
            return printed
        if admin is None:
            admin = StaffUser(name=ADMIN, role="admin", language="en", created_at=now)
        expires = now + timedelta(days=CODE_DAYS)
        code = _code(secret, expires)
        admin.link_code_hash = hash_first_admin_code(code)
        admin.link_code_expires_at = expires
        session.add(admin)
    return code
