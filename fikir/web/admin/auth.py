"""Signing in and out, first-time passwords from one-time codes, and the staff language.

Wrong passwords are throttled by source (fikir.staff.throttle), not by account, so nobody can
lock a staff member out by guessing. The source is the connection's address as uvicorn sees it:
the peer, or the X-Forwarded-For address when the peer is a proxy listed in
FIKIR_FORWARDED_ALLOW_IPS (docs/deploy.md).
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlmodel import select

from fikir.config.languages import STAFF_LANGUAGES
from fikir.staff.accounts import (
    StaffError,
    code_owner,
    hash_password,
    password_matches,
    record_login,
    redeem_code,
)
from fikir.staff.sessions import end_sessions
from fikir.staff.throttle import keys_for, record_failure, record_success, wait_left
from fikir.storage.models import StaffUser
from fikir.web.admin.audit import audit
from fikir.web.admin.security import CsrfVisit, ViewerPost, VisitDep, safe_next

router = APIRouter(prefix="/admin")


@lru_cache(maxsize=1)
def _dummy() -> StaffUser:
    """Verifying against this keeps the answer time alike for unknown names and wrong passwords."""
    return StaffUser(name="nobody", password_hash=hash_password(secrets.token_urlsafe(16)))


async def _matches(user: StaffUser, password: str) -> bool:
    # argon2 takes tens of milliseconds of CPU: run it in a thread, on purpose (STYLE.md 10).
    return await asyncio.to_thread(password_matches, user, password)


@router.get("/login")
async def login_page(visit: VisitDep, next: str = "") -> Response:
    if visit.user is not None:
        return visit.redirect(safe_next(next))
    return visit.page("admin/login.html", next=safe_next(next), error=None, name="")


def source_of(request: Request) -> str:
    """Where a sign-in comes from (see the module's docstring); only ever stored hashed."""
    return request.client.host if request.client is not None else ""


@router.post("/login")
async def login(
    visit: CsrfVisit,
    name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    now = datetime.now(UTC)
    keys = keys_for(visit.runtime.settings.secret, source_of(visit.request), name)
    throttled = False
    async with visit.runtime.sessions() as session, session.begin():
        user = (await session.exec(select(StaffUser).where(StaffUser.name == name.strip()))).first()
        if await wait_left(session, keys, now):
            # Refused unheard: no password is checked, so waiting out the delay is the only way.
            throttled, ok = True, False
            # Audited even for a name nobody has; the name typed is never kept.
            audit(session, user, "login_throttled", "staff_user", user.id or "" if user else "")
        elif user is None or not user.active:
            await _matches(_dummy(), password)
            ok = False
            await record_failure(session, keys, now)
        else:
            ok = await _matches(user, password)
            record_login(user, ok)
            session.add(user)
            audit(session, user, "login" if ok else "login_failed", "staff_user", user.id or "")
            if ok:
                await record_success(session, keys)
            else:
                await record_failure(session, keys, now)
    if not ok or user is None:
        return visit.page(
            "admin/login.html",
            status_code=429 if throttled else 401,
            next=safe_next(next),
            error="throttled" if throttled else "failed",
            name=name[:80],
        )
    await visit.sign_in(user)
    return visit.redirect(safe_next(next))


@router.post("/logout")
async def logout(visit: ViewerPost) -> Response:
    await visit.sign_out()
    return visit.redirect("/admin/login")


@router.get("/setup")
async def setup_page(visit: VisitDep, code: str = "") -> Response:
    """The one-time link's page; a link that can no longer be used says so at once."""
    if code:
        async with visit.runtime.sessions() as session:
            owner = await code_owner(session, code, datetime.now(UTC))
        if owner is None:
            return visit.page("admin/setup.html", status_code=400, code="", error="code")
        # Named, so whoever opens a forwarded link sees whose account it would become.
        return visit.page("admin/setup.html", code=code[:200], error=None, account=owner)
    return visit.page("admin/setup.html", code="", error=None)


@router.post("/setup")
async def setup(
    visit: CsrfVisit,
    code: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    repeat: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    error = None
    if password != repeat:
        error = "mismatch"
    else:
        try:
            password_hash = await asyncio.to_thread(hash_password, password)
        except StaffError:
            error = "short"
    if error is None:
        now = datetime.now(UTC)
        async with visit.runtime.sessions() as session, session.begin():
            user = await redeem_code(session, code, now)
            if user is not None:
                user.password_hash = password_hash
                user.failed_logins = 0
                session.add(user)
                # A new password ends every session of the old one, wherever it was opened.
                await end_sessions(session, user.id or 0)
                audit(session, user, "set_password", "staff_user", user.id or "")
        if user is None:
            error = "code"
        else:
            await visit.sign_in(user)
            return visit.redirect("/admin/")
    return visit.page("admin/setup.html", status_code=400, code=code, error=error)


@router.post("/account/language")
async def account_language(
    visit: ViewerPost,
    language: Annotated[str, Form(max_length=8)] = "en",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    assert visit.user is not None  # noqa: S101 - ViewerPost guarantees a signed-in member
    if language in STAFF_LANGUAGES:
        async with visit.runtime.sessions() as session, session.begin():
            user = await session.get(StaffUser, visit.user.id)
            if user is not None:
                user.language = language
                session.add(user)
                visit.user = user
    return visit.redirect(safe_next(next))
