"""The translation workflow on a poll's and an update's page: download the texts a language
lacks (XLSX or PO), upload a community translator's file back (checked before it is saved),
and mark it reviewed; each step audited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from fikir.config.languages import LANGUAGE_CODES
from fikir.storage.models import Poll
from fikir.translations.exchange import (
    FORMATS,
    MAX_UPLOAD,
    MEDIA_TYPES,
    ExchangeError,
    checked,
    read_upload,
    to_po,
    to_xlsx,
)
from fikir.translations.items import (
    KINDS,
    Item,
    load_item,
    mark_reviewed,
    save_translation,
    sms_budget,
    sms_parts,
)
from fikir.web.admin.audit import audit
from fikir.web.admin.security import Analyst, AnalystPost, RowId, Visit

router = APIRouter(prefix="/admin/translations")

Kind = Annotated[str, Path(pattern="^(poll|update)$")]
Lang = Annotated[str, Path(max_length=8)]


async def page_of(visit: Visit, item: Item) -> str:
    """Where the item is shown on the dashboard."""
    if item.kind == "update":
        return f"/admin/updates/{item.id}"
    async with visit.runtime.sessions() as session:
        poll = await session.get(Poll, item.id)
    return f"/admin/polls/{poll.slug}" if poll else "/admin/polls"


async def _item(visit: Visit, kind: str, item_id: int, lang: str) -> Item | None:
    if kind not in KINDS or lang not in LANGUAGE_CODES:
        return None
    async with visit.runtime.sessions() as session:
        return await load_item(session, kind, item_id)


@router.get("/{kind}/{item_id}/{lang}.{fmt}")
async def download(visit: Analyst, kind: Kind, item_id: RowId, lang: Lang, fmt: str) -> Response:
    """The texts a translator into `lang` needs, beside the ones its readers get now."""
    item = await _item(visit, kind, item_id, lang)
    if item is None or fmt not in FORMATS or not item.translatable(lang):
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    sheet = item.sheet(lang)
    async with visit.runtime.sessions() as session, session.begin():
        audit(session, visit.user, "translation download", kind, item_id, f"{lang} {fmt}")
    data = to_xlsx(sheet) if fmt == "xlsx" else to_po(sheet)
    name = f"fikir-{kind}-{item_id}-{lang}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return visit.finish(Response(data, media_type=MEDIA_TYPES[fmt], headers=headers))


@router.post("/{kind}/{item_id}/{lang}")
async def upload(visit: AnalystPost, kind: Kind, item_id: RowId, lang: Lang) -> Response:
    """Check the uploaded file against what was sent; save it only when it passes."""
    item = await _item(visit, kind, item_id, lang)
    if item is None or not item.translatable(lang):
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    back = await page_of(visit, item)
    given = (await visit.request.form()).get("file")
    data = await given.read(MAX_UPLOAD + 1) if isinstance(given, UploadFile) else b""
    name = (given.filename or "") if isinstance(given, UploadFile) else ""
    expected = item.sheet(lang)
    try:
        texts = checked(read_upload(name, data), expected)
    except ExchangeError as error:
        async with visit.runtime.sessions() as session, session.begin():
            audit(session, visit.user, "translation refused", kind, item_id, lang)
        return visit.page(
            "admin/translation_result.html",
            status_code=400,
            problem=(error.msgid, error.params),
            back=back,
            code=lang,
        )
    settings = visit.runtime.settings
    async with visit.runtime.sessions() as session, session.begin():
        await save_translation(
            session, item, lang, expected.source_language, texts,
            visit.user.id if visit.user else None, datetime.now(UTC),
        )  # fmt: skip
        audit(session, visit.user, "translation upload", kind, item_id, lang)
        await session.flush()
        parts = await sms_parts(session, item, lang, settings.sms_transliterate)
    return visit.page(
        "admin/translation_result.html",
        problem=None,
        back=back,
        code=lang,
        parts=parts,
        budget=sms_budget(kind),
    )


@router.post("/{kind}/{item_id}/{lang}/review")
async def review(visit: AnalystPost, kind: Kind, item_id: RowId, lang: Lang) -> Response:
    """Mark a translation reviewed (who and when are recorded, and audited)."""
    item = await _item(visit, kind, item_id, lang)
    if item is None:
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    async with visit.runtime.sessions() as session, session.begin():
        done = await mark_reviewed(
            session, item, lang, visit.user.id if visit.user else None, datetime.now(UTC)
        )
        if done:
            audit(session, visit.user, "translation reviewed", kind, item_id, lang)
    if not done:
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    return visit.redirect(await page_of(visit, item))
