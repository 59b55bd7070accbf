"""The staff safety queue: flagged messages, their state (new, seen, handled) and who looked.

Every look and every change is an audit_event on the case (object_type "safety_case"), written
by the dashboard in the same transaction; the case's own columns keep the latest of each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.storage.models import AuditEvent, Feedback, StaffUser
from fikir.storage.safety_tables import CASE_STATES, FeedbackSafety, SafetyCase

OBJECT_TYPE = "safety_case"
PAGE = 50


@dataclass(frozen=True)
class CaseRow:
    """A queue item: the case, its message (redacted text) and the categories found in it."""

    case: SafetyCase
    feedback: Feedback
    categories: tuple[str, ...]


@dataclass(frozen=True)
class Look:
    """One audited look at or change of a case: who, what and when."""

    at: datetime
    staff: str
    action: str


async def _categories(session: AsyncSession, ids: list[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    if ids:
        rows = await session.exec(
            select(FeedbackSafety.feedback_id, FeedbackSafety.category)
            .where(col(FeedbackSafety.feedback_id).in_(ids))
            .order_by(col(FeedbackSafety.id))
        )
        for fid, category in rows.all():
            found.setdefault(fid, []).append(category)
    return {fid: tuple(found.get(fid, ())) for fid in ids}


async def case_rows(
    session: AsyncSession, status: str | None = None, page: int = 1
) -> tuple[int, list[CaseRow]]:
    """How many cases match, and one page of them, newest first."""
    where = [col(SafetyCase.status) == status] if status in CASE_STATES else []
    total = (await session.exec(select(func.count()).select_from(SafetyCase).where(*where))).one()
    rows = (
        await session.exec(
            select(SafetyCase, Feedback)
            .join(Feedback, col(Feedback.id) == col(SafetyCase.feedback_id))
            .where(*where)
            .order_by(col(SafetyCase.created_at).desc(), col(SafetyCase.id).desc())
            .offset((max(page, 1) - 1) * PAGE)
            .limit(PAGE)
        )
    ).all()
    found = await _categories(session, [f.id for _, f in rows if f.id is not None])
    return int(total), [CaseRow(c, f, found.get(f.id or 0, ())) for c, f in rows]


async def case_row(session: AsyncSession, case_id: int) -> CaseRow | None:
    row = (
        await session.exec(
            select(SafetyCase, Feedback)
            .join(Feedback, col(Feedback.id) == col(SafetyCase.feedback_id))
            .where(col(SafetyCase.id) == case_id)
        )
    ).first()
    if row is None:
        return None
    case, feedback = row
    found = await _categories(session, [feedback.id or 0])
    return CaseRow(case, feedback, found.get(feedback.id or 0, ()))


def mark(case: SafetyCase, status: str, staff_user_id: int | None, now: datetime) -> bool:
    """Move a case to "seen" or "handled" (or back to "new"); False for an unknown state."""
    if status not in CASE_STATES:
        return False
    case.status = status
    if status == "seen":
        case.seen_at, case.seen_by = now, staff_user_id
    elif status == "handled":
        case.handled_at, case.handled_by = now, staff_user_id
    return True


async def looks(session: AsyncSession, case_id: int) -> list[Look]:
    """Every audited look at and change of the case, oldest first, with the staff member's name."""
    rows = await session.exec(
        select(AuditEvent.at, StaffUser.name, AuditEvent.action)
        .outerjoin(StaffUser, col(StaffUser.id) == col(AuditEvent.staff_user_id))
        .where(
            col(AuditEvent.object_type) == OBJECT_TYPE, col(AuditEvent.object_id) == str(case_id)
        )
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
    )
    return [Look(at, name or "?", action) for at, name, action in rows.all()]


async def open_counts(session: AsyncSession) -> dict[str, int]:
    rows = await session.exec(select(SafetyCase.status, func.count()).group_by(SafetyCase.status))
    return {str(status): int(n) for status, n in rows.all()}
