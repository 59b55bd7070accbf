"""The audit trail of staff actions (DESIGN.md: viewing, exporting, re-tagging are audited)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.storage.models import AuditEvent, StaffUser


def audit(
    session: AsyncSession,
    user: StaffUser | None,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    detail: str = "",
) -> None:
    """Add one event in the caller's transaction, so it is kept exactly when the action is."""
    session.add(
        AuditEvent(
            at=datetime.now(UTC),
            staff_user_id=user.id if user is not None else None,
            action=action[:32],
            object_type=object_type[:32],
            object_id=str(object_id)[:64],
            detail=detail[:500],
        )
    )


# What the command line and refused requests write where a staff member's id would go: the
# audit page filters on these, and they carry no address, name typed or message text.
COMMAND_LINE = "command line"
REFUSED = "refused"


def audit_cli(
    session: AsyncSession,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    detail: str = "",
) -> None:
    """An operator's `fikir …` command: no staff account, marked as the command line."""
    audit(session, None, action, object_type, object_id, f"{COMMAND_LINE}; {detail}".rstrip("; "))
