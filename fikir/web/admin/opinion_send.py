"""Sending a round of the opinion map from the dashboard as a poll is opened: a preview of who
gets what at what cost (the poll preview's k rule), then a confirmation bound to that preview,
so nothing is paid for that staff did not see. Both steps are audited."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from fastapi.responses import Response

from fikir.config.channels import PROACTIVE_FAMILIES, channel_of
from fikir.config.languages import LANGUAGE_CODES
from fikir.config.settings import Settings
from fikir.dialog.messages import Choice, Reply
from fikir.dialog.opinion_outreach import send_round
from fikir.dialog.render import numbered
from fikir.opinion.round import ROUND, RoundPlan
from fikir.opinion.service import text_in, title_in
from fikir.opinion.texts import ask_text, sms_text, vote_choices
from fikir.outbox.segments import count_segments
from fikir.web.admin import plan_token
from fikir.web.admin.audit import audit
from fikir.web.admin.poll_open import ChannelPreview
from fikir.web.admin.security import Visit

ROUND_SEND = "opinion-send"  # the purpose confirmation tokens are bound to


def previews(planned: RoundPlan, lang: str, settings: Settings) -> list[ChannelPreview]:
    """The least voted statement as each channel shows it in `lang`, as the adapters render it."""
    statement = planned.sample
    sid, text = statement.id or 0, text_in(statement, lang)
    shown = []
    for name in PROACTIVE_FAMILIES:
        channel = channel_of(name)
        if channel.paid:
            sms = sms_text(sid, text, ROUND, lang, settings.sms_transliterate)
            info = count_segments(sms)
            shown.append(ChannelPreview(name, sms, (), info.segments, info.encoding))
            continue
        choices = vote_choices(sid, ROUND, lang)
        if channel.buttons:
            labels = tuple(label for _, label in choices)
            shown.append(ChannelPreview(name, ask_text(text, lang), labels, 0, ""))
        else:
            reply = Reply(ask_text(text, lang), tuple(Choice(*c) for c in choices), lang)
            shown.append(ChannelPreview(name, numbered(reply), (), 0, ""))
    return shown


async def send_or_preview(visit: Visit, slug: str, token: str) -> Response | str:
    """With the token of this very plan: queue it (returns what to report). Otherwise: the
    preview with a fresh token (a changed plan says so)."""
    settings = visit.runtime.settings
    user_id = visit.user.id if visit.user and visit.user.id else 0
    now = int(time.time())

    def confirmed(fingerprint: str) -> bool:
        return bool(token) and plan_token.matches(
            settings, ROUND_SEND, slug, user_id, fingerprint, token, now
        )

    async with visit.runtime.sessions() as session, session.begin():
        planned, sent = await send_round(
            session, slug, settings, datetime.now(UTC), confirmed=confirmed
        )
        if sent is not None:
            audit(session, visit.user, "opinion_send", "opinion_topic", slug, f"{sent} queued")
        else:
            shown = "stale preview" if token else "preview"
            audit(session, visit.user, "opinion_preview", "opinion_topic", slug, shown)
    if sent is not None:
        if sent:
            visit.runtime.wake_outbox()
        k = settings.k_anonymity
        return f"{slug}: {sent if sent == 0 or sent >= k else f'< {k}'}"  # no count under k
    return visit.page(
        "admin/opinion_confirm.html",
        slug=slug,
        title=title_in(planned.topic, visit.lang),
        **planned.shown(settings).figures(),
        previews={lang: previews(planned, lang, settings) for lang in LANGUAGE_CODES},
        token=plan_token.issue(settings, ROUND_SEND, slug, user_id, planned.plan.fingerprint, now),
        token_field=plan_token.TOKEN_FIELD,
        stale=bool(token),
    )
