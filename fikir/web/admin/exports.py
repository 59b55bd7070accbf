"""Exports for analysts: redacted feedback and suppressed poll results, as CSV or XLSX, audited."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from fikir.web.admin.audit import audit
from fikir.web.admin.export_data import Table, feedback_table, polls_table, to_csv, to_xlsx
from fikir.web.admin.months import Month, recent
from fikir.web.admin.security import AnalystPost, Viewer, Visit

router = APIRouter(prefix="/admin/exports")

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("")
async def export_page(visit: Viewer) -> Response:
    now = datetime.now(UTC)
    return visit.page(
        "admin/exports.html",
        months=[str(m) for m in recent(now, visit.runtime.settings.timezone, 24)],
        k=visit.runtime.settings.k_anonymity,
    )


async def _download(visit: Visit, table: Table, fmt: str, stem: str, detail: str) -> Response:
    # Building a workbook is CPU work: done in a thread on purpose, off the event loop.
    writer = to_xlsx if fmt == "xlsx" else to_csv
    body = await asyncio.to_thread(writer, table)
    async with visit.runtime.sessions() as session, session.begin():
        audit(
            session,
            visit.user,
            "export",
            table.name,
            "",
            f"{fmt}; {detail}; {len(table.rows)} rows",
        )
    response = Response(body, media_type=MEDIA[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return visit.finish(response)


@router.post("/feedback")
async def export_feedback(
    visit: AnalystPost,
    fmt: Annotated[str, Form(max_length=8)] = "csv",
    month: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    chosen = Month.parse_or_none(month)
    fmt = fmt if fmt in MEDIA else "csv"
    settings = visit.runtime.settings
    async with visit.runtime.sessions() as session:
        table = await feedback_table(session, chosen, settings.timezone, settings.k_anonymity)
    stem = f"fikir-feedback-{chosen or 'all'}"
    return await _download(visit, table, fmt, stem, f"month {chosen or 'all'}")


@router.post("/polls")
async def export_polls(
    visit: AnalystPost, fmt: Annotated[str, Form(max_length=8)] = "csv"
) -> Response:
    fmt = fmt if fmt in MEDIA else "csv"
    async with visit.runtime.sessions() as session:
        table = await polls_table(session, visit.runtime.settings.k_anonymity, visit.lang)
    return await _download(visit, table, fmt, "fikir-poll-results", "all polls")
