"""The first start: with no staff account yet, a one-time sign-in link for the first admin."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlmodel import select

from fikir.storage.engine import SessionMaker
from fikir.storage.models import StaffUser

INVITE_HOURS = 24


def hash_code(code: str) -> str:
    """One-time codes are stored only as hashes; they are random, so SHA-256 suffices."""
    return hashlib.sha256(code.strip().encode()).hexdigest()


async def first_admin_invite(sessions: SessionMaker) -> str | None:
    """Create (or renew) the first admin's invitation when there is no usable staff account."""
    async with sessions() as session, session.begin():
        usable = (
            await session.exec(
                select(func.count()).select_from(StaffUser).where(
                    StaffUser.password_hash.is_not(None)  # type: ignore[union-attr]
                )
            )
        ).one()
        if usable:
            return None
        code = secrets.token_urlsafe(24)
        admin = (await session.exec(select(StaffUser).where(StaffUser.name == "admin"))).first()
        if admin is None:
            admin = StaffUser(name="admin", role="admin")
        admin.link_code_hash = hash_code(code)
        admin.link_code_expires_at = datetime.now(UTC) + timedelta(hours=INVITE_HOURS)
        session.add(admin)
    return code
