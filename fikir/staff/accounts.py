"""Staff accounts and their one-time codes; codes and passwords are stored only as hashes.

A code is used up by the statement that redeems it, so two instances cannot both accept it. The
first admin's code (fikir.web.first_admin) is stored under a hash of its own kind: it works only
while no staff member can sign in, so a link printed at start dies once anyone has a password.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.languages import STAFF_LANGUAGES
from fikir.storage.models import StaffUser

ROLES = ("admin", "analyst", "viewer")
CODE_DAYS = 7
FIRST_ADMIN = "first-admin"
_hasher = PasswordHasher()


class StaffError(ValueError):
    """A staff action that cannot be done; the message says why."""


def hash_code(code: str) -> str:
    """One-time codes are long and random, so a plain SHA-256 is enough to keep them unusable."""
    return hashlib.sha256(code.strip().encode()).hexdigest()


def hash_first_admin_code(code: str) -> str:
    """The first admin's code, hashed apart from ordinary codes so that it can be told apart."""
    return hash_code(f"{FIRST_ADMIN}\x1f{code.strip()}")


async def someone_can_sign_in(session: AsyncSession) -> bool:
    """True once any staff member has a password: the first admin's link is then dead."""
    usable = await session.exec(
        select(func.count()).select_from(StaffUser).where(col(StaffUser.password_hash).is_not(None))
    )
    return bool(usable.one())


def new_code() -> str:
    return secrets.token_urlsafe(12)


async def add_staff(
    session: AsyncSession, name: str, role: str, language: str, now: datetime
) -> tuple[StaffUser, str]:
    """A new staff member and the one-time code they use to sign in or link Telegram."""
    name = name.strip()
    if not re.fullmatch(r"[\w .@-]{2,80}", name):
        raise StaffError("name: 2–80 letters, digits, spaces, dots, @ or dashes")
    if role not in ROLES:
        raise StaffError(f"role must be one of {', '.join(ROLES)}")
    if language not in STAFF_LANGUAGES:
        raise StaffError(f"language must be one of {', '.join(STAFF_LANGUAGES)}")
    if (await session.exec(select(StaffUser.id).where(StaffUser.name == name))).first():
        raise StaffError(f"a staff member called {name!r} already exists")
    user = StaffUser(name=name, role=role, language=language, created_at=now)
    code = issue_code(user, now)
    session.add(user)
    await session.flush()
    return user, code


def issue_code(user: StaffUser, now: datetime) -> str:
    code = new_code()
    user.link_code_hash = hash_code(code)
    user.link_code_expires_at = now + timedelta(days=CODE_DAYS)
    return code


async def code_owner(session: AsyncSession, code: str, now: datetime) -> StaffUser | None:
    """The active staff member whose code this is, if it is still usable (nothing is used up)."""
    if not code or len(code) > 200:
        return None
    digests = (hash_code(code), hash_first_admin_code(code))
    user = (
        await session.exec(select(StaffUser).where(col(StaffUser.link_code_hash).in_(digests)))
    ).first()
    if user is None or not user.active or user.link_code_expires_at is None:
        return None
    if not any(hmac.compare_digest(user.link_code_hash or "", digest) for digest in digests):
        return None
    if user.link_code_expires_at < now:
        return None
    if user.link_code_hash == digests[1] and await someone_can_sign_in(session):
        return None
    return user


async def redeem_code(session: AsyncSession, code: str, now: datetime) -> StaffUser | None:
    """The active staff member whose unexpired code this is; the code is used up."""
    user = await code_owner(session, code, now)
    if user is None:
        return None
    # Used up only if still unused at this moment: another instance redeeming the same code
    # concurrently waits for this row (PostgreSQL) or the write lock (SQLite) and finds it gone.
    used = await session.exec(
        update(StaffUser)
        .where(col(StaffUser.id) == user.id, col(StaffUser.link_code_hash) == user.link_code_hash)
        .values(link_code_hash=None, link_code_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        return None
    user.link_code_hash = None
    user.link_code_expires_at = None
    session.add(user)
    return user


def hash_password(password: str) -> str:
    if len(password) < 10:
        raise StaffError("the password needs at least 10 characters")
    return _hasher.hash(password)


def password_matches(user: StaffUser, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def record_login(user: StaffUser, ok: bool) -> None:
    """Count failures in a row, for the audit trail; throttling is per source (staff.throttle)."""
    user.failed_logins = 0 if ok else user.failed_logins + 1
