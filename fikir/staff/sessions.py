"""Staff sessions live in the database, so signing out anywhere ends them on every instance.

The cookie carries a random session id; the table keeps only its SHA-256, the staff member and
the expiry. Every request reads the session and the staff member in one indexed query, as the
signed cookie alone did before, so revocation costs no extra round trip.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.storage.models import StaffSession, StaffUser


def token_hash(session_id: str) -> str:
    """The session id as stored: random and long, so a plain hash keeps it unusable."""
    return hashlib.sha256(session_id.encode()).hexdigest()


async def open_session(
    session: AsyncSession, user_id: int, session_id: str, now: datetime, lifetime: timedelta
) -> None:
    """Record a new sign-in (and sweep sessions that have run out meanwhile)."""
    await session.exec(delete(StaffSession).where(col(StaffSession.expires_at) < now))
    session.add(
        StaffSession(
            token_hash=token_hash(session_id),
            staff_user_id=user_id,
            created_at=now,
            expires_at=now + lifetime,
        )
    )


async def session_user(
    session: AsyncSession, session_id: str, user_id: int, now: datetime
) -> StaffUser | None:
    """The active staff member this live session belongs to; None if it ended or ran out."""
    found = (
        await session.exec(
            select(StaffUser)
            .join(StaffSession, col(StaffSession.staff_user_id) == col(StaffUser.id))
            .where(
                StaffSession.token_hash == token_hash(session_id),
                StaffSession.staff_user_id == user_id,
                col(StaffSession.expires_at) > now,
                col(StaffUser.active).is_(True),
            )
        )
    ).first()
    return found


async def end_session(session: AsyncSession, session_id: str) -> None:
    """Sign-out: this session's cookie stops working everywhere."""
    await session.exec(
        delete(StaffSession).where(col(StaffSession.token_hash) == token_hash(session_id))
    )


async def end_sessions(session: AsyncSession, user_id: int) -> None:
    """Every session of one staff member ends (new password, new role, deactivated)."""
    await session.exec(delete(StaffSession).where(col(StaffSession.staff_user_id) == user_id))
