"""Building a month's digest: count it, keep digest.json in the database, and write its files.

`build` is what the dashboard's "build now" and the scheduled job call; `build_digest_files`
is what `fikir digest build` and `fikir demo` call.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from fikir.config.frameworks import (
    DEFAULT_FRAMEWORK,
    Framework,
    available_frameworks,
    load_framework,
)
from fikir.config.languages import STAFF_LANGUAGES
from fikir.digest.aggregate import aggregate_month
from fikir.digest.document import DigestDocument
from fikir.digest.period import Month
from fikir.digest.render import Rendered, render_language, write_json
from fikir.storage.models import Digest

if TYPE_CHECKING:
    from fikir.runtime import Runtime

log = logging.getLogger(__name__)


def framework_for(month: Month) -> Framework:
    """The framework in force that month, once staff have entered its areas; else the default."""
    for name in reversed(available_frameworks()):
        framework = load_framework(name)
        start, end = framework.period
        if start <= month.year <= end and framework.areas:
            return framework
    return load_framework(DEFAULT_FRAMEWORK)


async def build(
    runtime: Runtime, month: str | Month, now: datetime | None = None
) -> DigestDocument:
    """Count `month` (YYYY-MM) and store its digest.json in the `digest` table."""
    chosen = month if isinstance(month, Month) else Month.parse(month)
    moment = now or datetime.now(UTC)
    settings = runtime.settings
    async with runtime.sessions() as session, session.begin():
        doc = await aggregate_month(
            session,
            chosen,
            tz=settings.timezone,
            k=settings.k_anonymity,
            framework=framework_for(chosen),
            now=moment,
        )
    for _attempt in range(2):
        try:
            async with runtime.sessions() as session, session.begin():
                row = (await session.exec(select(Digest).where(Digest.month == doc.month))).first()
                row = row or Digest(month=doc.month, data="")
                row.data = doc.to_json()
                row.built_at = moment
                session.add(row)
            break
        except IntegrityError:
            # Another instance stored the same month at the same moment: update theirs.
            continue
    return doc


async def build_month(runtime: Runtime, month: str) -> DigestDocument:
    """The name the dashboard's "build now" looks for (fikir/web/admin/digests.py)."""
    return await build(runtime, month)


def write_files(
    doc: DigestDocument, out: Path, languages: tuple[str, ...] = STAFF_LANGUAGES
) -> dict[str, Rendered]:
    """digest.json, and per language the charts, HTML and PDF (blocking)."""
    write_json(doc, out)
    return {lang: render_language(doc, lang, out) for lang in languages}


async def render_files(
    doc: DigestDocument, out: Path, languages: tuple[str, ...] = STAFF_LANGUAGES
) -> dict[str, Rendered]:
    """`write_files` in a worker thread: matplotlib and WeasyPrint block."""
    return await asyncio.to_thread(write_files, doc, out, languages)


async def build_digest_files(runtime: Runtime, month: str, out: Path) -> Path:
    """Build `month` and write digest.json plus HTML, PDF and charts in en, az and ru to `out`."""
    doc = await build(runtime, month)
    rendered = await render_files(doc, out)
    log.info("digest for %s written to %s (%s)", month, out, ", ".join(rendered))
    return out
