"""Staff rename, merge or hide a month's themes and add English renderings of its quotes before
the digest goes out; every change is kept per month (fikir.storage.digest_edits) and audited."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import Response
from sqlmodel import col, select

from fikir.digest.edits import quote_key
from fikir.storage.digest_edits import DigestEdit
from fikir.storage.models import Digest
from fikir.web.admin.audit import audit
from fikir.web.admin.months import Month
from fikir.web.admin.security import AnalystPost, Viewer

router = APIRouter(prefix="/admin/themes")
NAME_MAX = 120
ENGLISH_MAX = 600


async def _stored(visit: Any, month: str) -> dict[str, Any] | None:
    async with visit.runtime.sessions() as session:
        row = (await session.exec(select(Digest).where(Digest.month == month))).first()
    if row is None:
        return None
    try:
        data = json.loads(row.data)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


@router.get("/{month}")
async def theme_page(visit: Viewer, month: str) -> Response:
    chosen = Month.parse_or_none(month)
    data = await _stored(visit, str(chosen)) if chosen else None
    if chosen is None or data is None:
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    async with visit.runtime.sessions() as session, session.begin():
        rows = (
            await session.exec(select(DigestEdit).where(col(DigestEdit.month) == str(chosen)))
        ).all()
        audit(session, visit.user, "view", "digest_themes", str(chosen))
    edits = {(row.kind, row.key): row for row in rows}
    quotes = [(quote_key(q["text"]), q) for q in data.get("quotes", [])]
    return visit.page(
        "admin/themes.html",
        month=str(chosen),
        themes=data.get("themes", []),
        quotes=quotes,
        edits=edits,
        status=visit.request.query_params.get("status", "")[:20],
    )


@router.post("/{month}")
async def theme_save(
    visit: AnalystPost,
    month: str,
    kind: Annotated[str, Form(max_length=8)] = "",
    key: Annotated[str, Form(max_length=200)] = "",
    name: Annotated[str, Form(max_length=NAME_MAX)] = "",
    merge_into: Annotated[str, Form(max_length=200)] = "",
    hidden: Annotated[str, Form(max_length=4)] = "",
    english: Annotated[str, Form(max_length=ENGLISH_MAX)] = "",
) -> Response:
    """Keep one theme's or quote's edit; only keys of the month's stored digest are accepted."""
    chosen = Month.parse_or_none(month)
    data = await _stored(visit, str(chosen)) if chosen else None
    if chosen is None or data is None:
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    goals = {t["key"]: t["goal"] for t in data.get("themes", [])}
    quotes = {quote_key(q["text"]) for q in data.get("quotes", [])}
    if kind == "theme":
        valid = key in goals and (
            not merge_into or (merge_into != key and goals.get(merge_into) == goals[key])
        )
    else:
        valid = kind == "quote" and key in quotes
    if not valid:
        return visit.redirect(f"/admin/themes/{chosen}?status=refused")
    async with visit.runtime.sessions() as session, session.begin():
        row = (
            await session.exec(
                select(DigestEdit).where(
                    col(DigestEdit.month) == str(chosen),
                    col(DigestEdit.kind) == kind,
                    col(DigestEdit.key) == key,
                )
            )
        ).first() or DigestEdit(month=str(chosen), kind=kind, key=key)
        if kind == "theme":
            row.name = " ".join(name.split()) or None
            row.merge_into = merge_into or None
            row.hidden = hidden == "1"
            detail = ",".join(
                part
                for part, on in (
                    ("name", row.name),
                    ("merge", row.merge_into),
                    ("hide", row.hidden),
                )
                if on
            )
        else:
            row.english = english.strip() or None
            detail = "english" if row.english else "english-removed"
        row.updated_by = visit.user.id if visit.user else None
        row.updated_at = datetime.now(UTC)
        session.add(row)
        # The audit names the theme's key or the quote's hash and what changed, never the words.
        audit(session, visit.user, f"{kind}_edit", "digest", str(chosen), f"{key} {detail}")
    return visit.redirect(f"/admin/themes/{chosen}?status=saved")
