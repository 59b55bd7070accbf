"""Signing in and out, first-time passwords from one-time codes, and the staff language."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response
from sqlmodel import select

from fikir.config.languages import STAFF_LANGUAGES
from fikir.staff.accounts import (
    StaffError,
    hash_password,
    is_locked,
    password_matches,
    record_login,
    redeem_code,
)
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


@router.post("/login")
async def login(
    visit: CsrfVisit,
    name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    now = datetime.now(UTC)
    async with visit.runtime.sessions() as session, session.begin():
        user = (await session.exec(select(StaffUser).where(StaffUser.name == name.strip()))).first()
        if user is None or not user.active:
            await _matches(_dummy(), password)
            ok = False
        elif is_locked(user, now):
            await _matches(_dummy(), password)
            audit(session, user, "login_locked", "staff_user", user.id or "")
            ok = False
        else:
            ok = await _matches(user, password)
            record_login(user, ok, now)
            session.add(user)
            audit(session, user, "login" if ok else "login_failed", "staff_user", user.id or "")
    if not ok or user is None:
        return visit.page(
            "admin/login.html",
            status_code=401,
            next=safe_next(next),
            error="failed",
            name=name[:80],
        )
    visit.sign_in(user)
    return visit.redirect(safe_next(next))


@router.post("/logout")
async def logout(visit: ViewerPost) -> Response:
    visit.sign_out()
    return visit.redirect("/admin/login")


@router.get("/setup")
async def setup_page(visit: VisitDep, code: str = "") -> Response:
    """The one-time link's page: the code is used only when the password is chosen."""
    return visit.page("admin/setup.html", code=code[:200], error=None)


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
                user.locked_until = None
                session.add(user)
                audit(session, user, "set_password", "staff_user", user.id or "")
        if user is None:
            error = "code"
        else:
            visit.sign_in(user)
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
