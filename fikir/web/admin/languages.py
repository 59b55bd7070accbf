"""Admins edit which language a reader gets when a poll or an update lacks theirs; the chains
are stored over the registry's defaults and every change is audited."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Path
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from fikir.config.fallbacks import DEFAULT_FALLBACKS, FallbackError, parse_chain
from fikir.config.languages import LANGUAGE_CODES
from fikir.config.markers import N_
from fikir.storage.language_tables import LanguageFallback, load_fallbacks
from fikir.translations.catalogue import apply_upload, catalogue_sheet, pending_counts
from fikir.translations.exchange import (
    FORMATS,
    MAX_UPLOAD,
    MEDIA_TYPES,
    ExchangeError,
    read_upload,
    to_po,
    to_xlsx,
)
from fikir.web.admin.audit import audit
from fikir.web.admin.security import Admin, AdminPost, Visit

router = APIRouter(prefix="/admin/languages")

CHAIN_INVALID = N_(
    "Use language codes such as az, ru: known ones, each once, not the language itself."
)


async def _page(visit: Visit, status_code: int = 200, error: str = "", code: str = "") -> Response:
    async with visit.runtime.sessions() as session:
        chains = await load_fallbacks(session)
    pending = await asyncio.to_thread(pending_counts)
    return visit.page(
        "admin/languages.html",
        status_code=status_code,
        chains=chains,
        defaults=DEFAULT_FALLBACKS,
        codes=LANGUAGE_CODES,
        error=error,
        error_code=code,
        pending=pending,
    )


@router.get("")
async def languages_page(visit: Admin) -> Response:
    return await _page(visit)


@router.post("/{code}")
async def save_chain(
    visit: AdminPost,
    code: Annotated[str, Path(max_length=8)],
    chain: Annotated[str, Form(max_length=120)] = "",
) -> Response:
    """Replace one language's chain (an empty one: its readers go straight to the default)."""
    if code not in LANGUAGE_CODES:
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    try:
        parsed = parse_chain(code, chain)
    except FallbackError:
        return await _page(visit, 400, CHAIN_INVALID, code)
    async with visit.runtime.sessions() as session, session.begin():
        before = (await load_fallbacks(session)).configured(code)
        row = await session.get(LanguageFallback, code) or LanguageFallback(code=code)
        row.chain = ",".join(parsed)
        row.staff_user_id = visit.user.id if visit.user else None
        row.saved_at = datetime.now(UTC)
        session.add(row)
        detail = f"{' > '.join(before) or '-'} => {' > '.join(parsed) or '-'}"
        audit(session, visit.user, "fallback", "language", code, detail)
    return visit.redirect("/admin/languages")


@router.get("/{code}/catalogue.{fmt}")
async def catalogue_download(
    visit: Admin, code: Annotated[str, Path(max_length=8)], fmt: str
) -> Response:
    """The language's strings that need a translator, as XLSX or PO."""
    if code not in LANGUAGE_CODES or fmt not in FORMATS:
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    sheet = await asyncio.to_thread(catalogue_sheet, code)
    async with visit.runtime.sessions() as session, session.begin():
        audit(session, visit.user, "translation download", "catalogue", code, fmt)
    data = to_xlsx(sheet) if fmt == "xlsx" else to_po(sheet)
    headers = {"Content-Disposition": f'attachment; filename="fikir-catalogue-{code}.{fmt}"'}
    return visit.finish(Response(data, media_type=MEDIA_TYPES[fmt], headers=headers))


@router.post("/{code}/catalogue")
async def catalogue_upload(visit: AdminPost, code: Annotated[str, Path(max_length=8)]) -> Response:
    """Check a translator's file and write it into the language's catalogue (audited)."""
    if code not in LANGUAGE_CODES:
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    given = (await visit.request.form()).get("file")
    data = await given.read(MAX_UPLOAD + 1) if isinstance(given, UploadFile) else b""
    name = (given.filename or "") if isinstance(given, UploadFile) else ""
    try:
        sheet = read_upload(name, data)
        changed = await asyncio.to_thread(apply_upload, code, sheet, datetime.now(UTC))
    except ExchangeError as error:
        async with visit.runtime.sessions() as session, session.begin():
            audit(session, visit.user, "translation refused", "catalogue", code)
        return visit.page(
            "admin/translation_result.html",
            status_code=400,
            problem=(error.msgid, error.params),
            back="/admin/languages",
            code=code,
        )
    async with visit.runtime.sessions() as session, session.begin():
        audit(session, visit.user, "translation upload", "catalogue", code, f"{changed} strings")
    return visit.page(
        "admin/translation_result.html", problem=None, back="/admin/languages", code=code
    )
