"""The digest archive: every built month, its figures, and "build now" for a chosen month.

Building is the digest package's job; this page calls it when it is installed and says so
plainly when it is not, rather than guessing at figures of its own.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import Response
from sqlmodel import col, select

from fikir.runtime import Runtime
from fikir.storage.models import Digest
from fikir.web.admin.audit import audit
from fikir.web.admin.months import Month, recent
from fikir.web.admin.security import AnalystPost, Viewer

router = APIRouter(prefix="/admin/digests")

BuildFn = Callable[[Runtime, str], Awaitable[object]]


def builder() -> BuildFn | None:
    """`fikir.digest.build.build_month(runtime, month)` when the digest package provides it."""
    try:
        module = importlib.import_module("fikir.digest.build")
    except ImportError:
        return None
    found = getattr(module, "build_month", None)
    return found if callable(found) else None


@router.get("")
async def digest_list(visit: Viewer) -> Response:
    async with visit.runtime.sessions() as session:
        rows = (
            await session.exec(
                select(Digest.id, Digest.month, Digest.built_at).order_by(col(Digest.month).desc())
            )
        ).all()
    now = datetime.now(UTC)
    return visit.page(
        "admin/digests.html",
        digests=rows,
        months=[str(m) for m in recent(now, visit.runtime.settings.timezone, 13)[1:]],
        can_build=builder() is not None,
        status=visit.request.query_params.get("status", "")[:20],
    )


@router.get("/{month}")
async def digest_detail(visit: Viewer, month: str) -> Response:
    chosen = Month.parse(month)
    row = None
    if chosen is not None:
        async with visit.runtime.sessions() as session, session.begin():
            row = (await session.exec(select(Digest).where(Digest.month == str(chosen)))).first()
            if row is not None:
                audit(session, visit.user, "view", "digest", str(chosen))
    if row is None:
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    try:
        data: Any = json.loads(row.data)
    except ValueError:
        data = None
    return visit.page(
        "admin/digest.html",
        digest=row,
        pretty=json.dumps(data, ensure_ascii=False, indent=2) if data is not None else row.data,
    )


@router.post("/build")
async def digest_build(
    visit: AnalystPost, month: Annotated[str, Form(max_length=10)] = ""
) -> Response:
    chosen = Month.parse(month)
    build = builder()
    if chosen is None:
        return visit.redirect("/admin/digests?status=bad-month")
    if build is None:
        return visit.redirect("/admin/digests?status=unavailable")
    await build(visit.runtime, str(chosen))
    async with visit.runtime.sessions() as session, session.begin():
        audit(session, visit.user, "build", "digest", str(chosen))
    return visit.redirect(f"/admin/digests/{chosen}")
