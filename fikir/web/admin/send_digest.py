"""The digest page's "send to me": a built digest to the signed-in staff member's own Telegram
chat or e-mail address, audited without the address."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response
from sqlmodel import select

from fikir.digest.send_one import send_to_me
from fikir.storage.models import Digest
from fikir.web.admin.audit import audit
from fikir.web.admin.months import Month
from fikir.web.admin.security import ViewerPost

router = APIRouter(prefix="/admin/digests")


@router.post("/{month}/send")
async def digest_send(
    visit: ViewerPost, month: str, channel: Annotated[str, Form(max_length=16)] = ""
) -> Response:
    chosen = Month.parse_or_none(month)
    row = None
    if chosen is not None:
        async with visit.runtime.sessions() as session:
            row = (await session.exec(select(Digest).where(Digest.month == str(chosen)))).first()
    if row is None or visit.user is None:
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    outcome = await send_to_me(
        visit.runtime, visit.user, row.month, channel, row.built_at, datetime.now(UTC)
    )
    async with visit.runtime.sessions() as session, session.begin():
        audit(session, visit.user, "send_digest", "digest", row.month, f"{channel[:16]}:{outcome}")
    return visit.redirect(f"/admin/digests/{row.month}?status={outcome}")
