"""'You said, we did' on the dashboard: write a draft, see whom it reaches and what it costs
(counts of people under the k rule), then send it once, on confirmation; every step audited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Form
from fastapi.responses import Response
from fastapi.routing import APIRouter
from sqlmodel import col, select

from fikir.config.languages import LANGUAGE_CODES
from fikir.privacy.suppression import safe_count
from fikir.storage.models import Poll
from fikir.translations.items import load_item
from fikir.updates.manage import (
    DRAFT,
    SENT_ALREADY,
    all_updates,
    create_update,
    edit_update,
    load_update,
)
from fikir.updates.manage import send_update as send
from fikir.updates.model import UPDATE_REGIONS, UpdateError
from fikir.updates.send import plan_update
from fikir.web.admin.audit import audit
from fikir.web.admin.security import Analyst, AnalystPost, RowId, Visit
from fikir.web.admin.update_form import NO_POLL, REFUSED, UpdateForm, read, to_spec

router = APIRouter(prefix="/admin/updates")


async def _polls(visit: Visit) -> list[tuple[int, str]]:
    async with visit.runtime.sessions() as session:
        rows = (await session.exec(select(Poll).order_by(col(Poll.id).desc()))).all()
    return [(poll.id or 0, poll.slug) for poll in rows]


async def _form_page(
    visit: Visit, data: UpdateForm, update_id: int | None = None, status_code: int = 200
) -> Response:
    return visit.page(
        "admin/update_form.html",
        status_code=status_code,
        form=data,
        update_id=update_id,
        languages=LANGUAGE_CODES,
        goal_numbers=range(1, 18),
        regions=UPDATE_REGIONS,
        polls=await _polls(visit),
    )


@router.get("")
async def update_list(visit: Analyst) -> Response:
    k = visit.runtime.settings.k_anonymity
    async with visit.runtime.sessions() as session:
        updates = await all_updates(session)
    reached = {u.id: safe_count(u.update.recipients, k) for u in updates}
    return visit.page("admin/updates.html", updates=updates, reached=reached, k=k)


@router.get("/new")
async def update_new(visit: Analyst) -> Response:
    return await _form_page(visit, UpdateForm())


async def _save(visit: Visit, update_id: int | None) -> Response:
    data = read(await visit.request.form())
    spec = to_spec(data)
    if spec is None:
        return await _form_page(visit, data, update_id, 400)
    now = datetime.now(UTC)
    try:
        async with visit.runtime.sessions() as session, session.begin():
            if update_id is None:
                user_id = visit.user.id if visit.user is not None else None
                saved = await create_update(session, spec, user_id, now)
            else:
                saved = await edit_update(session, update_id, spec, now)
            action = "create" if update_id is None else "edit"
            audit(session, visit.user, action, "update", saved.id or "", saved.status)
    except UpdateError as exc:
        reason = str(exc)
        if reason == "no such update":
            return visit.page("admin/error.html", status_code=404, reason="not_found")
        if reason == SENT_ALREADY:
            return visit.redirect(f"/admin/updates/{update_id}?error=state")
        refused = (NO_POLL, {}) if reason == "no such poll" else (REFUSED, {"reason": reason})
        data.errors.append(refused)
        return await _form_page(visit, data, update_id, 400)
    return visit.redirect(f"/admin/updates/{saved.id}")


@router.post("")
async def update_create(visit: AnalystPost) -> Response:
    return await _save(visit, None)


@router.get("/{update_id}")
async def update_detail(visit: Analyst, update_id: RowId) -> Response:
    settings = visit.runtime.settings
    async with visit.runtime.sessions() as session, session.begin():
        found = await load_update(session, update_id)
        if found is None:
            return visit.page("admin/error.html", status_code=404, reason="not_found")
        plan = None
        if found.update.status == DRAFT:
            plan = await plan_update(session, found, settings, datetime.now(UTC))
            # The preview shows (suppressed) counts of people: looking at it is recorded.
            audit(session, visit.user, "preview", "update", update_id)
        poll = await session.get(Poll, found.update.poll_id) if found.update.poll_id else None
        item = await load_item(session, "update", update_id)
    return visit.page(
        "admin/update.html",
        item=item,
        update=found,
        plan=plan,
        poll=poll,
        k=settings.k_anonymity,
        reached=safe_count(found.update.recipients, settings.k_anonymity),
        error=visit.request.query_params.get("error", "")[:40],
    )


@router.get("/{update_id}/edit")
async def update_edit(visit: Analyst, update_id: RowId) -> Response:
    async with visit.runtime.sessions() as session:
        found = await load_update(session, update_id)
    if found is None:
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    if found.update.status != DRAFT:
        return visit.redirect(f"/admin/updates/{update_id}?error=state")
    return await _form_page(visit, UpdateForm.of(found), update_id)


@router.post("/{update_id}")
async def update_save(visit: AnalystPost, update_id: RowId) -> Response:
    return await _save(visit, update_id)


@router.post("/{update_id}/send")
async def update_send(
    visit: AnalystPost, update_id: RowId, confirm: Annotated[str, Form(max_length=8)] = ""
) -> Response:
    """Send a draft once staff have ticked the confirmation; a sent update is not sent again."""
    if confirm != "yes":
        return visit.redirect(f"/admin/updates/{update_id}?error=confirm")
    settings = visit.runtime.settings
    try:
        async with visit.runtime.sessions() as session, session.begin():
            found = await load_update(session, update_id)
            if found is None:
                return visit.page("admin/error.html", status_code=404, reason="not_found")
            if found.update.status != DRAFT:
                return visit.redirect(f"/admin/updates/{update_id}?error=state")
            _, queued = await send(session, update_id, settings, datetime.now(UTC))
            shown = safe_count(queued, settings.k_anonymity)
            detail = f"{shown} messages queued" if shown else "fewer than k messages queued"
            audit(session, visit.user, "send", "update", update_id, detail)
    except UpdateError:
        return visit.redirect(f"/admin/updates/{update_id}?error=long")
    if queued:
        visit.runtime.wake_outbox()
    return visit.redirect(f"/admin/updates/{update_id}")
