"""The first start: with no staff account yet, a one-time sign-in link for the first admin.

The link's code is derived from FIKIR_SECRET_KEY and its expiry time rather than drawn at
random, so every instance sharing the database (and a quick restart of the one) prints the
same working link instead of racing to replace each other's. It is still stored only as a
hash and is used up on first sign-in like any other code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.privacy.keys import derive_key
from fikir.staff.accounts import CODE_DAYS, hash_code
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
        if await _someone_can_sign_in(session):
            return None
        admin = (
            await session.exec(select(StaffUser).where(StaffUser.name == ADMIN).with_for_update())
        ).first()
        expires = admin.link_code_expires_at if admin is not None else None
        if admin is not None and expires is not None and expires > now:
            code = _code(secret, expires)
            if hmac.compare_digest(admin.link_code_hash or "", hash_code(code)):
                return code
        if admin is None:
            admin = StaffUser(name=ADMIN, role="admin", language="en", created_at=now)
        expires = now + timedelta(days=CODE_DAYS)
        code = _code(secret, expires)
        admin.link_code_hash = hash_code(code)
        admin.link_code_expires_at = expires
        session.add(admin)
    return code


async def _someone_can_sign_in(session: AsyncSession) -> bool:
    usable = await session.exec(
        select(func.count()).select_from(StaffUser).where(col(StaffUser.password_hash).is_not(None))
    )
    return bool(usable.one())
