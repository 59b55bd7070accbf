"""Staff accounts (admins only): add with a one-time code, change role, deactivate, new code."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response
from sqlmodel import col, select

from fikir.config.languages import STAFF_LANGUAGES
from fikir.staff.accounts import ROLES, StaffError, add_staff, issue_code
from fikir.staff.sessions import end_sessions
from fikir.storage.models import StaffUser
from fikir.web.admin.audit import audit
from fikir.web.admin.security import Admin, AdminPost, RowId, Visit

router = APIRouter(prefix="/admin")


async def _page(
    visit: Visit,
    *,
    status_code: int = 200,
    code: str | None = None,
    code_for: str = "",
    error: str = "",
) -> Response:
    async with visit.runtime.sessions() as session:
        users = (await session.exec(select(StaffUser).order_by(col(StaffUser.name)))).all()
    base = visit.runtime.settings.public_url or str(visit.request.base_url).rstrip("/")
    return visit.page(
        "admin/users.html",
        status_code=status_code,
        users=users,
        roles=ROLES,
        languages=STAFF_LANGUAGES,
        code=code,
        code_for=code_for,
        setup_url=f"{base}/admin/setup?code={code}" if code else "",
        error=error,
    )


@router.get("/users")
async def user_list(visit: Admin) -> Response:
    return await _page(visit)


@router.post("/users")
async def user_add(
    visit: AdminPost,
    name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=16)] = "viewer",
    language: Annotated[str, Form(max_length=8)] = "en",
) -> Response:
    now = datetime.now(UTC)
    try:
        async with visit.runtime.sessions() as session, session.begin():
            user, code = await add_staff(session, name, role, language, now)
            audit(session, visit.user, "add_staff", "staff_user", user.id or "", f"role {role}")
    except StaffError:
        return await _page(visit, status_code=400, error="add")
    return await _page(visit, code=code, code_for=user.name)


async def _change(visit: Visit, user_id: int, action: str, value: str = "") -> Response:
    assert visit.user is not None  # noqa: S101 - AdminPost guarantees a signed-in member
    if user_id == visit.user.id and action in {"role", "active"}:
        # An admin cannot demote or lock out themself; another admin must do it.
        return await _page(visit, status_code=400, error="self")
    now = datetime.now(UTC)
    code = None
    async with visit.runtime.sessions() as session, session.begin():
        user = await session.get(StaffUser, user_id)
        if user is None:
            return visit.page("admin/error.html", status_code=404, reason="not_found")
        if action == "role" and value in ROLES:
            user.role = value
            await end_sessions(session, user_id)  # signed in again, under the new role
        elif action == "active":
            user.active = not user.active
            await end_sessions(session, user_id)  # reactivation must not revive an old cookie
        elif action == "code":
            code = issue_code(user, now)
        elif action == "duty":
            user.duty = not user.duty  # told at once of reprisal reports (docs/safety.md)
            value = "on" if user.duty else "off"
        session.add(user)
        audit(session, visit.user, f"staff_{action}", "staff_user", user_id, value)
        name = user.name
    return await _page(visit, code=code, code_for=name)


@router.post("/users/{user_id}/role")
async def user_role(
    visit: AdminPost, user_id: RowId, role: Annotated[str, Form(max_length=16)] = ""
) -> Response:
    return await _change(visit, user_id, "role", role)


@router.post("/users/{user_id}/active")
async def user_active(visit: AdminPost, user_id: RowId) -> Response:
    return await _change(visit, user_id, "active")


@router.post("/users/{user_id}/duty")
async def user_duty(visit: AdminPost, user_id: RowId) -> Response:
    return await _change(visit, user_id, "duty")


@router.post("/users/{user_id}/code")
async def user_code(visit: AdminPost, user_id: RowId) -> Response:
    return await _change(visit, user_id, "code")


@router.get("/settings")
async def settings_page(visit: Admin) -> Response:
    """What this deployment runs with (read only: settings come from the environment)."""
    settings = visit.runtime.settings
    return visit.page(
        "admin/settings.html",
        channels=sorted(visit.runtime.channel_status.items()),
        k=settings.k_anonymity,
        retention=settings.retention_months,
        timezone=settings.timezone,
        digest_cron=settings.digest_cron,
        public_url=settings.public_url,
        database="PostgreSQL"
        if settings.effective_database_url.startswith("postgres")
        else "SQLite",
    )
