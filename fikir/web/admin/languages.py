"""Admins edit which language a reader gets when a poll or an update lacks theirs; the chains
are stored over the registry's defaults and every change is audited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Path
from fastapi.responses import Response

from fikir.config.fallbacks import DEFAULT_FALLBACKS, FallbackError, parse_chain
from fikir.config.languages import LANGUAGE_CODES
from fikir.config.markers import N_
from fikir.storage.language_tables import LanguageFallback, load_fallbacks
from fikir.web.admin.audit import audit
from fikir.web.admin.security import Admin, AdminPost, Visit

router = APIRouter(prefix="/admin/languages")

CHAIN_INVALID = N_(
    "Use language codes such as az, ru: known ones, each once, not the language itself."
)


async def _page(visit: Visit, status_code: int = 200, error: str = "", code: str = "") -> Response:
    async with visit.runtime.sessions() as session:
        chains = await load_fallbacks(session)
    return visit.page(
        "admin/languages.html",
        status_code=status_code,
        chains=chains,
        defaults=DEFAULT_FALLBACKS,
        codes=LANGUAGE_CODES,
        error=error,
        error_code=code,
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
