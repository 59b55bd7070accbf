"""Scheduling a poll's opening from the dashboard needs the same confirmed plan as "Open now":
the first POST shows who gets what at what cost, the second (with the preview's token, bound to
the plan and the times) saves the schedule and the confirmed cost (fikir.polls.plan_check),
against which the scheduler checks the cost again when the poll is due."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response
from sqlmodel import select

from fikir.polls.broadcast import plan_broadcast
from fikir.polls.plan_check import confirm_plan
from fikir.polls.service import load_view
from fikir.storage.models import Poll
from fikir.web.admin.audit import audit
from fikir.web.admin.poll_form import parse_time
from fikir.web.admin.poll_open import TOKEN_FIELD, confirm_page, token_matches
from fikir.web.admin.security import AnalystPost, Visit

router = APIRouter(prefix="/admin/polls")

WAITING = {"draft", "scheduled", "held"}


def _times(opening: datetime | None, closing: datetime | None) -> str:
    return (
        f"opens {opening.isoformat() if opening else '-'}, "
        f"closes {closing.isoformat() if closing else '-'}"
    )


@router.post("/{slug}/schedule")
async def poll_schedule(
    visit: AnalystPost,
    slug: str,
    opens_at: Annotated[str, Form(max_length=40)] = "",
    closes_at: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Set the opening and closing times; an opening time is saved only with a confirmed plan."""
    given = (await visit.request.form()).get(TOKEN_FIELD)
    token = given if isinstance(given, str) else ""
    return await schedule(visit, slug, opens_at, closes_at, token)


async def schedule(visit: Visit, slug: str, opens_at: str, closes_at: str, token: str) -> Response:
    """Save the times (with the plan confirmed by `token`), or show the plan to confirm."""
    settings = visit.runtime.settings
    tz = settings.timezone
    try:
        opening = parse_time(opens_at.strip(), tz)
        closing = parse_time(closes_at.strip(), tz)
    except ValueError:
        return visit.redirect(f"/admin/polls/{slug}?error=time")
    if opening and closing and closing <= opening:
        return visit.redirect(f"/admin/polls/{slug}?error=order")
    user_id = visit.user.id if visit.user and visit.user.id else 0
    now = datetime.now(UTC)
    async with visit.runtime.sessions() as session, session.begin():
        poll = (await session.exec(select(Poll).where(Poll.slug == slug[:64]))).first()
        view = await load_view(session, poll.id or 0) if poll is not None else None
        if poll is None or view is None:
            return visit.page("admin/error.html", status_code=404, reason="not_found")
        if poll.status == "closed":
            return visit.redirect(f"/admin/polls/{slug}?error=state")
        needs_plan = opening is not None and poll.status in WAITING
        if needs_plan:
            plan = await plan_broadcast(session, view, settings, now)
            # The token is bound to the plan and to the times it was shown with.
            bound = f"{plan.fingerprint}:{_times(opening, closing)}"
            if not (
                token and token_matches(settings, view.id, user_id, bound, token, int(time.time()))
            ):
                return await confirm_page(
                    visit,
                    view,
                    plan,
                    token,
                    "admin/poll_schedule_confirm.html",
                    fingerprint=bound,
                    opens_at=opens_at.strip(),
                    closes_at=closes_at.strip(),
                    margin=f"{100 * settings.poll_cost_margin:g}",
                )
            await confirm_plan(session, poll, plan, visit.user.id if visit.user else None, now)
        if poll.status in WAITING:
            poll.opens_at = opening
            poll.status = "scheduled" if opening else "draft"
        poll.closes_at = closing
        session.add(poll)
        confirmed = "; plan confirmed" if needs_plan else ""
        audit(
            session, visit.user, "schedule", "poll", poll.slug, _times(opening, closing) + confirmed
        )
    return visit.redirect(f"/admin/polls/{slug}")
