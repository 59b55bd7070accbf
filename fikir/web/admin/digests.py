"""The digest archive: every built month, its HTML, PDF, charts and figures, and "build now".

Building and rendering are the digest package's job; this page calls them when they are
installed and says so plainly when they are not, rather than guessing at figures of its own.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import FileResponse, Response
from sqlmodel import col, select

from fikir.config.settings import Settings
from fikir.digest.send_one import own_address
from fikir.digest.span import span_label, span_of
from fikir.runtime import Runtime
from fikir.storage.models import Digest
from fikir.web.admin.audit import audit
from fikir.web.admin.months import Month, recent
from fikir.web.admin.security import AnalystPost, Viewer
from fikir.web.admin.templating import babel_locale, month_name

router = APIRouter(prefix="/admin/digests")

BuildFn = Callable[[Runtime, str], Awaitable[Any]]
# Only these names are ever served from a month's folder (no path tricks possible).
_FILE = re.compile(
    r"(?P<name>fikir-digest-\d{4}-\d{2}-(?P<lang>en|az|ru)\.(?P<kind>html|pdf)"
    r"|charts/(?:goals|trend|regions)-(?:en|az|ru)\.png|digest\.json)"
)
_MEDIA = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "png": "image/png",
    "json": "application/json",
}
# The digest page is self-contained print HTML with its own <style>: it may style itself, but
# it may run nothing and load nothing from elsewhere.
_DIGEST_CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; font-src 'self' data:; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)


def _digest_attr(module: str, name: str) -> Any:
    try:
        found = getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None
    return found if callable(found) else None


def builder() -> BuildFn | None:
    """`fikir.digest.build.build_month(runtime, month)` when the digest package provides it."""
    found: BuildFn | None = _digest_attr("fikir.digest.build", "build_month")
    return found


def folder(settings: Settings, month: str) -> Path | None:
    """Where the digest package writes a month's files (None without the package)."""
    locate = _digest_attr("fikir.digest.delivery", "digest_dir")
    if locate is None:
        return None
    found: Path = locate(settings, month)
    return found


def files_of(settings: Settings, month: str) -> list[tuple[str, str, str]]:
    """(language, kind, file name) of the month's rendered HTML and PDF files that exist."""
    directory = folder(settings, month)
    if directory is None or not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.glob("fikir-digest-*")):
        matched = _FILE.fullmatch(path.name)
        if matched and matched.group("lang"):
            found.append((matched.group("lang"), matched.group("kind"), path.name))
    return found


@router.get("")
async def digest_list(visit: Viewer) -> Response:
    async with visit.runtime.sessions() as session:
        rows = (
            await session.exec(
                select(Digest.id, Digest.month, Digest.built_at).order_by(col(Digest.month).desc())
            )
        ).all()
    now = datetime.now(UTC)
    settings = visit.runtime.settings
    return visit.page(
        "admin/digests.html",
        digests=[
            (
                {
                    "month": month,
                    "built_at": built_at,
                    "label": covered_label(month, built_at, settings.timezone, visit.lang),
                },
                files_of(settings, month),
            )
            for _, month, built_at in rows
        ],
        # Last month first (the usual choice); this month, still running, can be counted so far.
        months=[str(m) for m in recent(now, settings.timezone, 13)[1:]],
        current=str(Month.of(now, settings.timezone)),
        can_build=builder() is not None,
        status=visit.request.query_params.get("status", "")[:20],
    )


def covered_label(month: str, built_at: datetime, tz: str, lang: str) -> str:
    """ "December 2026", or "1–7 December 2026 so far" for a month built before its end."""
    covered = span_of(Month.parse(month), tz, built_at)
    return (
        span_label(covered, lang, babel_locale(lang)) if covered.so_far else month_name(month, lang)
    )


def preview_of(files: list[tuple[str, str, str]], lang: str) -> str | None:
    """The HTML file to embed: the staff member's language, else English, else any."""
    pages = {file_lang: name for file_lang, kind, name in files if kind == "html"}
    return pages.get(lang) or pages.get("en") or next(iter(pages.values()), None)


@router.get("/{month}")
async def digest_detail(visit: Viewer, month: str) -> Response:
    chosen = Month.parse_or_none(month)
    row = None
    if chosen is not None:
        async with visit.runtime.sessions() as session, session.begin():
            row = (await session.exec(select(Digest).where(Digest.month == str(chosen)))).first()
            if row is not None:
                audit(session, visit.user, "view", "digest", str(chosen))
    if row is None:
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    settings = visit.runtime.settings
    files = files_of(settings, row.month)
    user = visit.user
    return visit.page(
        "admin/digest.html",
        digest=row,
        files=files,
        covered=covered_label(row.month, row.built_at, settings.timezone, visit.lang),
        so_far=span_of(Month.parse(row.month), settings.timezone, row.built_at).so_far,
        preview=preview_of(files, visit.lang),
        can_telegram=user is not None and user.telegram_pseudonym is not None,
        can_email=user is not None and own_address(user) is not None and bool(settings.smtp_url),
        status=visit.request.query_params.get("status", "")[:20],
    )


@router.get("/{month}/files/{name:path}")
async def digest_file(visit: Viewer, month: str, name: str) -> Response:
    """A rendered file of the month: its HTML page, PDF, a chart, or digest.json."""
    chosen = Month.parse_or_none(month)
    matched = _FILE.fullmatch(name)
    directory = folder(visit.runtime.settings, str(chosen)) if chosen else None
    if chosen is None or matched is None or directory is None:
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    if matched.group("name").startswith("fikir-digest-") and str(chosen) not in name:
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    path = (directory / name).resolve()
    if not path.is_file() or directory.resolve() not in path.parents:
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    suffix = path.suffix.lstrip(".")
    if suffix in {"html", "pdf"}:
        async with visit.runtime.sessions() as session, session.begin():
            audit(session, visit.user, "view", "digest", str(chosen), name)
    response = FileResponse(path, media_type=_MEDIA[suffix])
    visit.finish(response)
    if suffix == "html":
        response.headers["Content-Security-Policy"] = _DIGEST_CSP
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@router.post("/build")
async def digest_build(
    visit: AnalystPost, month: Annotated[str, Form(max_length=10)] = ""
) -> Response:
    """Count the month now; also write its HTML, PDF and charts when the renderer is there."""
    chosen = Month.parse_or_none(month)
    build = builder()
    if chosen is None:
        return visit.redirect("/admin/digests?status=bad-month")
    if build is None:
        return visit.redirect("/admin/digests?status=unavailable")
    document = await build(visit.runtime, str(chosen))
    render = _digest_attr("fikir.digest.build", "render_files")
    directory = folder(visit.runtime.settings, str(chosen))
    if render is not None and directory is not None:
        await render(document, directory)
    async with visit.runtime.sessions() as session, session.begin():
        audit(session, visit.user, "build", "digest", str(chosen))
    return visit.redirect(f"/admin/digests/{chosen}")
