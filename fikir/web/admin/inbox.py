"""The feedback inbox: filters, search, one message's tags, and staff re-tagging (audited)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote

from fastapi import APIRouter
from fastapi.responses import Response
from sqlmodel import col, delete, select

from fikir.config.languages import LANGUAGE_CODES
from fikir.config.regions import REGION_CODES
from fikir.dialog.text import small_number
from fikir.dialog.threads import MAX_STAFF_TEXT, ReplyPlan, new_nonce, plan_reply
from fikir.digest.safety_count import flagged
from fikir.storage.models import Feedback, FeedbackTag
from fikir.storage.threads import mark_read, thread_of, with_new_answers
from fikir.web.admin import goals
from fikir.web.admin.audit import audit
from fikir.web.admin.feedback_query import (
    CHANNELS,
    PAGE_SIZE,
    TAG_SOURCES,
    InboxFilter,
    InboxRow,
    page,
    with_profiles,
)
from fikir.web.admin.inbox_tests import hidden_tests
from fikir.web.admin.months import recent
from fikir.web.admin.quasi import Profiles
from fikir.web.admin.security import ROLE_RANK, AnalystPost, RowId, Viewer, Visit

router = APIRouter(prefix="/admin")


@router.get("/inbox")
async def inbox(visit: Viewer) -> Response:
    flt = InboxFilter.parse(visit.request.query_params)
    settings = visit.runtime.settings
    async with visit.runtime.sessions() as session, session.begin():
        total, rows = await page(
            session,
            flt,
            settings.timezone,
            settings.k_anonymity,
            with_safety=reads_safety(visit),
        )
        answered = await with_new_answers(session, [row.feedback.id or 0 for row in rows])
        tests = await hidden_tests(session, flt, settings.timezone)
        audit(session, visit.user, "view", "inbox", "", flt.describe())
    # A hidden count still pages: fewer than k people wrote at most a few pages.
    pages = max(1, -(-(total if total is not None else len(rows)) // PAGE_SIZE))
    return visit.page(
        "admin/inbox.html",
        flt=flt,
        total=total,
        k=settings.k_anonymity,
        rows=rows,
        answered=answered,
        tests=tests,
        pages=pages,
        months=[str(m) for m in recent(datetime.now(UTC), settings.timezone, 24)],
        languages=LANGUAGE_CODES,
        regions=REGION_CODES,
        channels=CHANNELS,
        sources=TAG_SOURCES,
        all_goals=goals.GOALS,
        areas=goals.areas(),
    )


def reads_safety(visit: Visit) -> bool:
    """Safety messages are for analysts and admins (the safety queue's readers), not viewers."""
    role = visit.user.role if visit.user is not None else ""
    return ROLE_RANK.get(role, 0) >= ROLE_RANK["analyst"]


async def _load(visit: Viewer, feedback_id: int) -> InboxRow | None:
    settings = visit.runtime.settings
    async with visit.runtime.sessions() as session:
        feedback = await session.get(Feedback, feedback_id)
        if feedback is None:
            return None
        if not reads_safety(visit):
            if (await session.exec(select(flagged(feedback_id)))).one():
                return None
        profiles = Profiles(session, settings.timezone, settings.k_anonymity)
        [row] = await with_profiles(session, [feedback], profiles)
    return row


@router.get("/feedback/{feedback_id}")
async def feedback_detail(visit: Viewer, feedback_id: RowId, back: str = "") -> Response:
    return await render_detail(visit, feedback_id, back=back, viewed=True)


async def render_detail(
    visit: Visit,
    feedback_id: int,
    *,
    status_code: int = 200,
    back: str = "",
    viewed: bool = False,
    draft: str = "",
    nonce: str | None = None,
    preview: ReplyPlan | None = None,
) -> Response:
    """One message, its tags and its reply thread (answers are no longer new once shown)."""
    row = await _load(visit, feedback_id)
    if row is None:
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    settings = visit.runtime.settings
    async with visit.runtime.sessions() as session, session.begin():
        if viewed:
            audit(session, visit.user, "view", "feedback", feedback_id)
        thread = await thread_of(session, feedback_id)
        reach = preview or await plan_reply(session, feedback_id, "", settings)
        await mark_read(session, feedback_id, datetime.now(UTC))
    return visit.page(
        "admin/feedback.html",
        status_code=status_code,
        row=row,
        all_goals=goals.GOALS,
        back=_clean_back(back),
        saved=visit.request.query_params.get("saved") == "1",
        replied=visit.request.query_params.get("replied") == "1",
        thread=thread,
        reach=reach,
        preview=preview if preview is not None and preview.text else None,
        problem=preview.problem if preview is not None else None,
        draft=draft,
        nonce=nonce or new_nonce(),
        max_text=MAX_STAFF_TEXT,
    )


@router.post("/feedback/{feedback_id}/tags")
async def retag(visit: AnalystPost, feedback_id: RowId) -> Response:
    """Replace the staff tags of one message; an empty choice hands it back to the tagger."""
    form = await visit.request.form()
    numbers = (small_number(v, 2) if isinstance(v, str) else None for v in form.getlist("goal"))
    chosen = sorted({goal for goal in numbers if goal is not None and 1 <= goal <= 17})
    now = datetime.now(UTC)
    async with visit.runtime.sessions() as session, session.begin():
        if await session.get(Feedback, feedback_id) is None:
            return visit.page("admin/error.html", status_code=404, reason="not_found")
        before = (
            await session.exec(select(FeedbackTag).where(FeedbackTag.feedback_id == feedback_id))
        ).all()
        was = ",".join(f"{tag.source}:{tag.goal}" for tag in sorted(before, key=_order))
        await session.exec(
            delete(FeedbackTag).where(
                col(FeedbackTag.feedback_id) == feedback_id, col(FeedbackTag.source) == "staff"
            )
        )
        for goal in chosen:
            session.add(
                FeedbackTag(
                    feedback_id=feedback_id,
                    goal=goal,
                    score=1.0,
                    source="staff",
                    staff_user_id=visit.user.id if visit.user else None,
                    created_at=now,
                )
            )
        audit(
            session,
            visit.user,
            "retag",
            "feedback",
            feedback_id,
            f"staff goals: {','.join(map(str, chosen)) or 'none'}; before: {was or 'none'}",
        )
    back = _clean_back(str(form.get("back") or ""))
    return visit.redirect(f"/admin/feedback/{feedback_id}?saved=1&back={quote(back, safe='')}")


def _clean_back(back: str) -> str:
    """The inbox query to return to, rebuilt from its parsed filters (nothing else passes)."""
    return InboxFilter.parse(dict(parse_qsl(back[:2000]))).query()


def _order(tag: FeedbackTag) -> tuple[str, int]:
    return tag.source, tag.goal
