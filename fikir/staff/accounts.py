"""Staff accounts and their one-time codes; codes and passwords are stored only as hashes."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.languages import STAFF_LANGUAGES
from fikir.storage.models import StaffUser

ROLES = ("admin", "analyst", "viewer")
CODE_DAYS = 7
LOCKOUT_AFTER = 5
LOCKOUT_MINUTES = 15
_hasher = PasswordHasher()


class StaffError(ValueError):
    """A staff action that cannot be done; the message says why."""


def hash_code(code: str) -> str:
    """One-time codes are long and random, so a plain SHA-256 is enough to keep them unusable."""
    return hashlib.sha256(code.strip().encode()).hexdigest()


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


async def redeem_code(session: AsyncSession, code: str, now: datetime) -> StaffUser | None:
    """The active staff member whose unexpired code this is; the code is used up."""
    if not code or len(code) > 200:
        return None
    digest = hash_code(code)
    user = (await session.exec(select(StaffUser).where(StaffUser.link_code_hash == digest))).first()
    if user is None or not user.active or user.link_code_expires_at is None:
        return None
    if not hmac.compare_digest(user.link_code_hash or "", digest):
        return None
    if user.link_code_expires_at < now:
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


def is_locked(user: StaffUser, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def record_login(user: StaffUser, ok: bool, now: datetime) -> None:
    """Count failures; after LOCKOUT_AFTER in a row the account waits LOCKOUT_MINUTES."""
    if ok:
        user.failed_logins = 0
        user.locked_until = None
        return
    user.failed_logins += 1
    if user.failed_logins >= LOCKOUT_AFTER:
        user.locked_until = now + timedelta(minutes=LOCKOUT_MINUTES)
        user.failed_logins = 0
