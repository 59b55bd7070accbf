"""Staff replies to a message, sent anonymously through the writer's channel (audited).

An SMS reply is previewed with its parts and cost before it can be sent; the confirm form
carries the part count it showed, so a changed text is previewed again rather than sent.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from fastapi.responses import Response

from fikir.dialog.text import small_number
from fikir.dialog.threads import (
    MAX_STAFF_TEXT,
    ReplyPlan,
    ReplyRefused,
    new_nonce,
    plan_reply,
    send_reply,
)
from fikir.web.admin.audit import audit
from fikir.web.admin.inbox import render_detail
from fikir.web.admin.security import AnalystPost, RowId, Visit

router = APIRouter(prefix="/admin")


@router.post("/feedback/{feedback_id}/reply")
async def reply(visit: AnalystPost, feedback_id: RowId) -> Response:
    """Preview a reply (its text and, by SMS, its cost), or send it once confirmed."""
    form = await visit.request.form()
    text = _field(form.get("text"))[: MAX_STAFF_TEXT + 1]
    nonce = _field(form.get("nonce"))[:64]
    action = _field(form.get("action"))
    shown = small_number(_field(form.get("segments")), 2)
    settings = visit.runtime.settings
    now = datetime.now(UTC)
    async with visit.runtime.sessions() as session, session.begin():
        plan = await plan_reply(session, feedback_id, text, settings)
        if plan is None:
            return visit.page("admin/error.html", status_code=404, reason="not_found")
        # SMS costs money: it leaves only from the preview that showed what it costs.
        confirmed = not plan.paid or shown == plan.segments
        if action != "send" or not plan.sendable or not confirmed:
            return await _again(visit, feedback_id, plan, text, nonce)
        try:
            _, entry = await send_reply(
                session,
                feedback_id,
                text,
                staff_user_id=visit.user.id if visit.user else None,
                nonce=nonce,
                settings=settings,
                now=now,
            )
        except ReplyRefused:
            return await _again(visit, feedback_id, plan, text, new_nonce())
        if entry is not None:
            audit(
                session,
                visit.user,
                "reply",
                "feedback",
                feedback_id,
                f"channel {plan.channel}; {plan.segments} SMS segments",
            )
    if entry is not None:
        visit.runtime.wake_outbox()
    return visit.redirect(f"/admin/feedback/{feedback_id}?replied=1#thread")


async def _again(
    visit: Visit, feedback_id: int, plan: ReplyPlan, text: str, nonce: str
) -> Response:
    """The message page again, with the draft, its preview and what stands in its way."""
    status = 409 if plan.unreachable else 400 if plan.problem else 200
    return await render_detail(
        visit,
        feedback_id,
        status_code=status,
        draft=text,
        nonce=nonce,
        preview=plan,
    )


def _field(value: object) -> str:
    return value if isinstance(value, str) else ""
