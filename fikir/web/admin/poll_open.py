"""Opening a poll from the dashboard: a preview of who gets what at what cost, then a
confirmation bound to that preview, so nothing is paid for that staff did not see.

The first POST only shows the plan (fikir.polls.broadcast.plan_broadcast). Its form carries a
token, an HMAC of the poll, the plan's fingerprint (the exact recipients, texts and price), the
staff member and the time it was issued; the second POST opens the poll only if the plan is
still the same, so a changed audience or text needs a new preview.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlmodel import select

from fikir.config.channels import channel_of
from fikir.config.languages import LANGUAGE_CODES
from fikir.config.settings import Settings
from fikir.dialog.messages import Choice, Reply
from fikir.dialog.outreach import open_poll
from fikir.dialog.render import numbered
from fikir.outbox.segments import count_segments
from fikir.polls.broadcast import BroadcastPlan, chat_poll_message, plan_broadcast, sms_poll_text
from fikir.polls.manage import PollError
from fikir.polls.model import Audience, PollView
from fikir.polls.plan_view import SmsLine, shown_plan
from fikir.polls.service import load_view
from fikir.storage.models import Poll
from fikir.surveys import texts as survey_texts
from fikir.surveys.service import Survey, load_survey
from fikir.web.admin import plan_token as plan_tokens
from fikir.web.admin.audit import audit
from fikir.web.admin.plan_token import TOKEN_FIELD as TOKEN_FIELD
from fikir.web.admin.poll_form import AUDIENCE_CHANNELS
from fikir.web.admin.security import AnalystPost, Visit

router = APIRouter(prefix="/admin/polls")

POLL_OPEN = "poll-open"  # the purpose its tokens are bound to


def plan_token(settings: Settings, poll_id: int, user_id: int, fingerprint: str, at: int) -> str:
    """The confirmation token for one preview, by one staff member, at one time."""
    return plan_tokens.issue(settings, POLL_OPEN, str(poll_id), user_id, fingerprint, at)


def token_matches(
    settings: Settings, poll_id: int, user_id: int, fingerprint: str, token: str, now: int
) -> bool:
    """True when `token` confirms this very plan and is recent."""
    return plan_tokens.matches(settings, POLL_OPEN, str(poll_id), user_id, fingerprint, token, now)


@dataclass(frozen=True)
class ChannelPreview:
    """The poll as one channel shows it in one language."""

    channel: str
    text: str
    buttons: tuple[str, ...]
    segments: int
    encoding: str


def previews(
    poll: PollView, lang: str, settings: Settings, channels: list[str], survey: Survey | None = None
) -> list[ChannelPreview]:
    """Telegram's message with its buttons, the SMS text (transliterated as configured, with
    its parts) and the numbered text of channels without buttons, as the adapters render them.
    A survey shows its first question; its SMS parts are those of the whole survey."""
    shown = []
    for name in channels:
        channel = channel_of(name)
        if channel.paid and survey is not None:
            (parts, encoding, text), _ = survey_texts.sms_preview(
                survey, lang, settings.sms_transliterate
            )
            shown.append(ChannelPreview(name, text, (), parts, encoding))
            continue
        if channel.paid:
            text = sms_poll_text(poll, lang, settings.sms_transliterate)
            info = count_segments(text)
            shown.append(ChannelPreview(name, text, (), info.segments, info.encoding))
            continue
        message = chat_poll_message(poll, lang)
        if survey is not None:
            message, _ = survey_texts.first_message(
                survey, lang, settings.sms_transliterate, paid=False, buttons=channel.buttons
            )
        if channel.buttons:
            labels = tuple(label for _, label in message.choices)
            shown.append(ChannelPreview(name, message.text, labels, 0, ""))
        else:
            choices = tuple(Choice(payload, label) for payload, label in message.choices)
            reply = Reply(message.text, choices, lang)
            shown.append(ChannelPreview(name, numbered(reply), (), 0, ""))
    return shown


async def _load(visit: Visit, slug: str) -> tuple[Poll, PollView, BroadcastPlan] | None:
    async with visit.runtime.sessions() as session:
        poll = (await session.exec(select(Poll).where(Poll.slug == slug[:64]))).first()
        if poll is None:
            return None
        loaded = await load_view(session, poll.id or 0)
        if loaded is None:
            return None
        return poll, loaded, await plan_broadcast(session, loaded, visit.runtime.settings)


@router.post("/{slug}/open")
async def poll_open(visit: AnalystPost, slug: str) -> Response:
    """Without a token: the preview. With the preview's token: open and queue."""
    found = await _load(visit, slug)
    if found is None:
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    poll, loaded, plan = found
    if poll.status not in {"draft", "scheduled", "held"}:
        return visit.redirect(f"/admin/polls/{poll.slug}?error=state")
    settings = visit.runtime.settings
    user_id = visit.user.id if visit.user and visit.user.id else 0
    given = (await visit.request.form()).get(TOKEN_FIELD)
    token = given if isinstance(given, str) else ""
    now = int(time.time())
    if token and token_matches(settings, loaded.id, user_id, plan.fingerprint, token, now):
        return await _open(visit, poll.slug)
    return await confirm_page(visit, loaded, plan, token, "admin/poll_confirm.html")


async def confirm_page(
    visit: Visit,
    loaded: PollView,
    plan: BroadcastPlan,
    given: str,
    template: str,
    **extra: Any,
) -> Response:
    """The preview with a fresh token for this plan (the k rule: fikir.polls.plan_view)."""
    settings = visit.runtime.settings
    user_id = visit.user.id if visit.user and visit.user.id else 0
    audience = Audience.from_json(loaded.poll.audience)
    languages = list(audience.languages or LANGUAGE_CODES)
    channels = list(audience.channels or AUDIENCE_CHANNELS)
    async with visit.runtime.sessions() as session:
        survey = await load_survey(session, loaded.id)
    whole = None
    if survey is not None:  # the whole survey's parts, the longest way through
        whole = [
            SmsLine(lang, preview[0], preview[1], lang)
            for lang in languages
            for preview, _ in [survey_texts.sms_preview(survey, lang, settings.sms_transliterate)]
        ]
    shown = shown_plan(plan, loaded, settings, whole)
    fingerprint = str(extra.pop("fingerprint", plan.fingerprint))
    return visit.page(
        template,
        view=loaded,
        **shown.figures(),
        previews={lang: previews(loaded, lang, settings, channels, survey) for lang in languages},
        token=plan_token(settings, loaded.id, user_id, fingerprint, int(time.time())),
        token_field=TOKEN_FIELD,
        stale=bool(given),
        **extra,
    )


async def _open(visit: Visit, slug: str) -> Response:
    settings = visit.runtime.settings
    try:
        async with visit.runtime.sessions() as session, session.begin():
            poll, queued = await open_poll(session, slug, settings, datetime.now(UTC))
            audit(session, visit.user, "open", "poll", poll.slug, f"{queued} messages queued")
    except PollError:
        return visit.redirect(f"/admin/polls/{slug}?error=state")
    if queued:
        visit.runtime.wake_outbox()
    return visit.redirect(f"/admin/polls/{slug}")
