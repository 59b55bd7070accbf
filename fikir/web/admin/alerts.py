"""A staff member's own alerts between digests: list, add and delete subscriptions to a goal
and/or a region, each change audited (the notices themselves: fikir.alerts)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response
from sqlmodel import col, select

from fikir.config.regions import REGION_CODES
from fikir.storage.alert_tables import FREQUENCIES, AlertSubscription
from fikir.web.admin.audit import audit
from fikir.web.admin.security import RowId, Viewer, ViewerPost, Visit

router = APIRouter(prefix="/admin/alerts")

GOALS = tuple(range(1, 18))
# A plain address check: the mail server is the real judge; this keeps typos and headers out.
EMAIL = re.compile(r"[^@\s<>,;\"]{1,64}@[A-Za-z0-9.-]{1,189}\.[A-Za-z]{2,24}")


async def _page(visit: Visit, status_code: int = 200, error: str = "") -> Response:
    assert visit.user is not None  # noqa: S101 - Viewer guarantees a signed-in member
    async with visit.runtime.sessions() as session:
        subs = (
            await session.exec(
                select(AlertSubscription)
                .where(AlertSubscription.staff_user_id == visit.user.id)
                .order_by(col(AlertSubscription.id))
            )
        ).all()
    settings = visit.runtime.settings
    return visit.page(
        "admin/alerts.html",
        status_code=status_code,
        subscriptions=subs,
        goals=GOALS,
        regions=REGION_CODES,
        error=error,
        telegram_linked=bool(visit.user.telegram_pseudonym),
        suggested_email=visit.user.name if EMAIL.fullmatch(visit.user.name) else "",
        window=settings.alert_window_minutes,
        daily_hour=settings.alert_daily_hour,
        timezone=settings.timezone,
        k=settings.k_anonymity,
    )


@router.get("")
async def alert_list(visit: Viewer) -> Response:
    return await _page(visit)


@router.post("")
async def alert_add(
    visit: ViewerPost,
    goal: Annotated[str, Form(max_length=4)] = "",
    region: Annotated[str, Form(max_length=32)] = "",
    frequency: Annotated[str, Form(max_length=16)] = "daily",
    chat: Annotated[str, Form(max_length=4)] = "",
    email: Annotated[str, Form(max_length=254)] = "",
) -> Response:
    assert visit.user is not None  # noqa: S101 - ViewerPost guarantees a signed-in member
    chosen_goal = int(goal) if goal.isascii() and goal.isdigit() and int(goal) in GOALS else None
    chosen_region = region if region in REGION_CODES else None
    address = email.strip() or None
    if chosen_goal is None and chosen_region is None:
        return await _page(visit, 400, "topic")
    if frequency not in FREQUENCIES:
        return await _page(visit, 400, "frequency")
    if address is not None and not EMAIL.fullmatch(address):
        return await _page(visit, 400, "email")
    wants_chat = chat == "on"
    if not wants_chat and address is None:
        return await _page(visit, 400, "channel")
    async with visit.runtime.sessions() as session, session.begin():
        sub = AlertSubscription(
            staff_user_id=visit.user.id or 0,
            goal=chosen_goal,
            region=chosen_region,
            frequency=frequency,
            to_chat=wants_chat,
            email=address,
            since=datetime.now(UTC),
        )
        session.add(sub)
        await session.flush()
        # The detail names the topic and the ways, never the address typed.
        ways = "+".join(w for w, on in (("chat", wants_chat), ("email", address)) if on)
        audit(
            session,
            visit.user,
            "alert_add",
            "alert",
            sub.id or "",
            f"goal {chosen_goal or 'any'}, region {chosen_region or 'any'}, {frequency}, {ways}",
        )
    return visit.redirect("/admin/alerts")


@router.post("/{sub_id}/delete")
async def alert_delete(visit: ViewerPost, sub_id: RowId) -> Response:
    assert visit.user is not None  # noqa: S101 - ViewerPost guarantees a signed-in member
    async with visit.runtime.sessions() as session, session.begin():
        sub = await session.get(AlertSubscription, sub_id)
        # Another member's subscription is as good as missing: nobody edits another's alerts.
        if sub is None or sub.staff_user_id != visit.user.id:
            return visit.page("admin/error.html", status_code=404, reason="not_found")
        await session.delete(sub)
        audit(session, visit.user, "alert_delete", "alert", sub_id)
    return visit.redirect("/admin/alerts")
