"""The first start: with no staff account yet, a one-time sign-in link for the first admin."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import col, select

from fikir.staff.accounts import issue_code
from fikir.storage.engine import SessionMaker
from fikir.storage.models import StaffUser


async def first_admin_invite(sessions: SessionMaker) -> str | None:
    """Create (or renew) the first admin's code when no staff member can sign in yet."""
    now = datetime.now(UTC)
    async with sessions() as session, session.begin():
        usable = (
            await session.exec(
                select(func.count())
                .select_from(StaffUser)
                .where(col(StaffUser.password_hash).is_not(None))
            )
        ).one()
        if usable:
            return None
        admin = (await session.exec(select(StaffUser).where(StaffUser.name == "admin"))).first()
        if admin is None:
            admin = StaffUser(name="admin", role="admin", language="en", created_at=now)
        code = issue_code(admin, now)
        session.add(admin)
    return code
