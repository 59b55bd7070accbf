"""The audit trail for admins: who did what and when, refused attempts and the command line
included, filtered by staff member, action and date, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from fastapi.responses import Response
from sqlmodel import col, select

from fikir.dialog.text import small_number
from fikir.storage.models import AuditEvent, StaffUser
from fikir.web.admin.audit import COMMAND_LINE
from fikir.web.admin.security import Admin

router = APIRouter(prefix="/admin/audit")
PAGE = 50


@dataclass(frozen=True)
class AuditFilter:
    """The page's query: a staff id, "cli" or "none" (no one signed in); an action; two days."""

    who: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1

    @classmethod
    def parse(cls, query: Any) -> AuditFilter:
        def day(name: str) -> date | None:
            try:
                return date.fromisoformat(str(query.get(name, ""))[:10])
            except ValueError:
                return None

        page = small_number(str(query.get("page", "1")), 6)
        return cls(
            who=str(query.get("who", ""))[:12],
            action=str(query.get("action", ""))[:32],
            since=day("since"),
            until=day("until"),
            page=max(1, page) if page is not None else 1,
        )

    def link(self, page: int) -> str:
        parts = {
            "who": self.who,
            "action": self.action,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "page": str(page),
        }
        return "/admin/audit?" + urlencode({k: v for k, v in parts.items() if v})


def _where(chosen: AuditFilter, tz: str) -> list[Any]:
    zone = ZoneInfo(tz)
    found: list[Any] = []
    if chosen.who == "cli":
        found += [
            col(AuditEvent.staff_user_id).is_(None),
            col(AuditEvent.detail).startswith(COMMAND_LINE),
        ]
    elif chosen.who == "none":
        found += [
            col(AuditEvent.staff_user_id).is_(None),
            ~col(AuditEvent.detail).startswith(COMMAND_LINE),
        ]
    elif (staff_id := small_number(chosen.who, 12)) is not None:
        found.append(col(AuditEvent.staff_user_id) == staff_id)
    if chosen.action:
        found.append(col(AuditEvent.action) == chosen.action)
    if chosen.since:
        found.append(
            col(AuditEvent.at) >= datetime.combine(chosen.since, datetime.min.time(), zone)
        )
    if chosen.until:
        end = datetime.combine(chosen.until + timedelta(days=1), datetime.min.time(), zone)
        found.append(col(AuditEvent.at) < end)
    return found


@router.get("")
async def audit_page(visit: Admin) -> Response:
    chosen = AuditFilter.parse(visit.request.query_params)
    tz = visit.runtime.settings.timezone
    async with visit.runtime.sessions() as session:
        rows = (
            await session.exec(
                select(AuditEvent, StaffUser.name)
                .outerjoin(StaffUser, col(StaffUser.id) == col(AuditEvent.staff_user_id))
                .where(*_where(chosen, tz))
                .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
                .offset((chosen.page - 1) * PAGE)
                .limit(PAGE + 1)
            )
        ).all()
        staff = (
            await session.exec(select(StaffUser.id, StaffUser.name).order_by(StaffUser.name))
        ).all()
        actions = (
            await session.exec(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
        ).all()
    zone = ZoneInfo(tz)
    return visit.page(
        "admin/audit.html",
        events=[(event, name, event.at.astimezone(zone)) for event, name in rows[:PAGE]],
        staff=list(staff),
        actions=list(actions),
        chosen=chosen,
        command_line=COMMAND_LINE,
        previous=chosen.link(chosen.page - 1) if chosen.page > 1 else None,
        following=chosen.link(chosen.page + 1) if len(rows) > PAGE else None,
        timezone=tz,
    )
