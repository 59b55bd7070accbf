"""Opening a poll: who receives it on which channel, what it costs per segment, and queueing it once."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import ColumnElement
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import PROACTIVE_FAMILIES, channel_of
from fikir.config.settings import Settings
from fikir.outbox.message import OutboundMessage
from fikir.outbox.queue import Queued, enqueue_many
from fikir.outbox.segments import count_segments, fit_for_sms
from fikir.outbox.window import Route, route
from fikir.polls.model import Audience, PollView
from fikir.polls.service import PollResults
from fikir.polls.texts import render_results
from fikir.storage.bulk import table_of
from fikir.storage.models import Contact, PollAnswer, Respondent
from fikir.surveys import texts as survey_texts
from fikir.surveys.service import load_survey

MAX_POLL_SEGMENTS = 2


@dataclass(frozen=True)
class LanguagePreview:
    """What one language's recipients on one channel will get."""

    recipients: int
    segments_each: int
    encoding: str
    text: str
    gets: str = ""  # the language of `text`: the recipients', or the one they fall back to


@dataclass
class BroadcastPlan:
    """Shown before sending: recipients per channel, SMS segments and estimated cost."""

    recipients: Counter[str] = field(default_factory=Counter)
    previews: dict[tuple[str, str], LanguagePreview] = field(default_factory=dict)
    total_segments: int = 0
    estimated_cost: float = 0.0
    too_long: list[str] = field(default_factory=list)
    # Channels with a window (WhatsApp): how many go as free text, by template, or wait.
    routes: Counter[tuple[str, Route]] = field(default_factory=Counter)
    # Who exactly would receive what, hashed: a confirmation is bound to it, so a changed
    # audience, text or price needs a new preview.
    fingerprint: str = ""

    def by_route(self) -> dict[str, tuple[int, ...]]:
        """Per channel with a window: (inside it, by template, waiting), in Route's order."""
        channels = sorted({channel for channel, _ in self.routes})
        return {c: tuple(self.routes[(c, way)] for way in Route) for c in channels}

    def lines(self) -> list[str]:
        out = [f"{channel}: {n} recipients" for channel, n in sorted(self.recipients.items())]
        for (channel, lang), preview in sorted(self.previews.items()):
            if channel_of(channel).paid:
                fallback = f" (falls back to {preview.gets})" if preview.gets != lang else ""
                out.append(
                    f"  {channel}/{lang}{fallback}: {preview.recipients} × "
                    f"{preview.segments_each} {preview.encoding} segment(s)"
                )
        for channel in sorted({channel for channel, _ in self.routes}):
            counts = ", ".join(f"{self.routes[(channel, r)]} {r.value}" for r in Route)
            out.append(f"  {channel}: {counts}")
        out.append(f"SMS total: {self.total_segments} segments, about ${self.estimated_cost:,.2f}")
        out.extend(f"TOO LONG for SMS: {item}" for item in self.too_long)
        return out


def sms_poll_text(poll: PollView, lang: str, transliterate: str) -> str:
    """The question and numbered options on as few SMS parts as possible, for a reader of `lang`
    (spelled as the language of the text they get: an Azerbaijani fallback goes in plain letters)."""
    options = "  ".join(f"{i} {label}" for i, label in enumerate(poll.labels_in(lang), start=1))
    written = poll.language_for(lang) or lang
    return fit_for_sms(f"{poll.question_in(lang)}\n{options}", written, transliterate)


def chat_poll_message(poll: PollView, lang: str) -> OutboundMessage:
    """The question with its options as choices (buttons, or numbered lines where there are none)."""
    labels = poll.labels_in(lang)
    return OutboundMessage(
        text=poll.question_in(lang),
        choices=tuple((f"poll:{poll.id}:{i}", label) for i, label in enumerate(labels)),
        language=lang,
    )


@dataclass(frozen=True)
class Recipient:
    """What a broadcast needs of a respondent (plain values: 100,000 ORM objects cost seconds)."""

    id: int
    pseudonym: str
    channel: str
    language: str | None
    region: str | None
    age_band: str | None
    last_seen_at: datetime | None = None
    gender: str | None = None


async def reachable(session: AsyncSession, *conditions: ColumnElement[bool]) -> list[Recipient]:
    """Everyone fikir may write to first (consented, subscribed, not blocked or gone, with an
    address in the vault, on a proactive channel) who also meets `conditions`, in id order."""
    respondent, contact = table_of(Respondent), table_of(Contact)
    statement = (
        sa_select(
            respondent.c.id,
            respondent.c.pseudonym,
            respondent.c.channel,
            respondent.c.language,
            respondent.c.region,
            respondent.c.age_band,
            respondent.c.last_seen_at,
            respondent.c.gender,
        )
        .join(contact, contact.c.pseudonym == respondent.c.pseudonym)
        .where(
            respondent.c.consent_at.is_not(None),
            respondent.c.subscribed.is_(True),
            respondent.c.blocked.is_(False),
            respondent.c.opted_out.is_(False),
            *conditions,
        )
        .order_by(respondent.c.id)
    )
    rows = (await (await session.connection()).execute(statement)).all()
    people = [Recipient(*row) for row in rows]
    return [r for r in people if channel_of(r.channel).family in PROACTIVE_FAMILIES]


async def _recipients(session: AsyncSession, audience: Audience) -> list[Recipient]:
    return [r for r in await reachable(session) if audience.includes(r)]


async def plan_broadcast(
    session: AsyncSession, poll: PollView, settings: Settings, now: datetime | None = None
) -> BroadcastPlan:
    """Count recipients, segments and cost, and who is outside a window, queueing nothing."""
    plan = BroadcastPlan()
    now = now or datetime.now(UTC)
    audience = Audience.from_json(poll.poll.audience)
    per_language: Counter[tuple[str, str]] = Counter()
    people = await _recipients(session, audience)
    plan.fingerprint = _fingerprint(poll, people, settings)
    survey = await load_survey(session, poll.id)  # several questions: the whole way through
    for respondent in people:
        known = channel_of(respondent.channel)
        lang = respondent.language or "az"
        plan.recipients[known.family] += 1
        per_language[(known.family, lang)] += 1
        if known.window is not None:
            way = route(known, respondent.last_seen_at, now, settings.whatsapp_templates, lang)
            plan.routes[(known.family, way)] += 1
    for (channel, lang), count in per_language.items():
        if channel_of(channel).paid and survey is not None:
            preview, too_long = survey_texts.sms_preview(survey, lang, settings.sms_transliterate)
            plan.previews[(channel, lang)] = LanguagePreview(count, *preview)
            plan.total_segments += count * preview[0]
            plan.too_long.extend(too_long)
        elif channel_of(channel).paid:
            text = sms_poll_text(poll, lang, settings.sms_transliterate)
            info = count_segments(text)
            plan.previews[(channel, lang)] = LanguagePreview(
                count, info.segments, info.encoding, text, poll.language_for(lang)
            )
            plan.total_segments += count * info.segments
            if info.segments > MAX_POLL_SEGMENTS:
                plan.too_long.append(f"{lang}: {info.segments} segments ({info.units} units)")
        else:
            plan.previews[(channel, lang)] = LanguagePreview(
                count, 0, "", poll.question_in(lang), poll.language_for(lang)
            )
    plan.estimated_cost = plan.total_segments * settings.sms_segment_cost
    return plan


def _fingerprint(poll: PollView, people: list[Recipient], settings: Settings) -> str:
    digest = hashlib.sha256()
    for part in (
        str(poll.id),
        poll.poll.question,
        repr(poll.options),
        repr(poll.fallbacks),
        poll.poll.audience,
        repr(settings.sms_segment_cost),
        settings.sms_transliterate,
    ):
        digest.update(part.encode() + b"\x00")
    for person in people:
        digest.update(f"{person.id}:{person.channel}:{person.language}\n".encode())
    return digest.hexdigest()


def check_sms_length(poll: PollView, languages: list[str], transliterate: str) -> list[str]:
    """Languages whose SMS version would need more than two segments (staff must shorten it)."""
    problems = []
    for lang in languages:
        info = count_segments(sms_poll_text(poll, lang, transliterate))
        if info.segments > MAX_POLL_SEGMENTS:
            problems.append(f"{lang}: {info.segments} segments")
    return problems


async def queue_broadcast(
    session: AsyncSession, poll: PollView, settings: Settings, now: datetime
) -> list[Recipient]:
    """Queue the poll for every recipient once (dedupe key per poll and person); the caller
    commits. Returns those newly queued: their conversations should then wait on this poll
    (fikir.dialog.outreach does that), so that a bare "2" answers it."""
    recipients = await _recipients(session, Audience.from_json(poll.poll.audience))
    survey = await load_survey(session, poll.id)
    messages: dict[tuple[str, str], tuple[OutboundMessage, int]] = {}
    queued: list[Queued] = []
    for respondent in recipients:
        channel = channel_of(respondent.channel).family
        lang = respondent.language or "az"
        if (channel, lang) not in messages and survey is not None:
            messages[(channel, lang)] = survey_texts.first_message(
                survey,
                lang,
                settings.sms_transliterate,
                paid=channel_of(channel).paid,
                buttons=channel_of(channel).buttons,
            )
        elif (channel, lang) not in messages:
            messages[(channel, lang)] = _poll_message(poll, channel, lang, settings)
        message, segments = messages[(channel, lang)]
        queued.append(
            Queued(
                respondent.pseudonym,
                channel,
                "poll",
                message,
                f"poll:{poll.id}:{respondent.pseudonym}",
                segments,
            )
        )
    added = await enqueue_many(session, queued, now)
    return [
        respondent
        for respondent, item in zip(recipients, queued, strict=True)
        if item.dedupe_key in added
    ]


def _poll_message(
    poll: PollView, channel: str, lang: str, settings: Settings
) -> tuple[OutboundMessage, int]:
    """The poll as one channel shows it in one language, and the segments it costs."""
    if channel_of(channel).paid:
        text = sms_poll_text(poll, lang, settings.sms_transliterate)
        return OutboundMessage(text=text, language=lang), count_segments(text).segments
    return chat_poll_message(poll, lang), 1


async def queue_results(
    session: AsyncSession, result: PollResults, settings: Settings, now: datetime
) -> int:
    """Share a closed poll's results with the people who answered it, in their language."""
    poll = result.poll
    rows = (
        await session.exec(
            select(Respondent.pseudonym, Respondent.channel, Respondent.language)
            .join(PollAnswer, col(PollAnswer.respondent_id) == col(Respondent.id))
            .join(Contact, col(Contact.pseudonym) == col(Respondent.pseudonym))
            .where(
                PollAnswer.poll_id == poll.id,
                col(Respondent.subscribed).is_(True),
                col(Respondent.blocked).is_(False),
            )
        )
    ).all()
    texts: dict[tuple[str, str], tuple[OutboundMessage, int]] = {}
    queued: list[Queued] = []
    for pseudonym, respondent_channel, language in rows:
        channel = channel_of(respondent_channel).family
        if channel not in PROACTIVE_FAMILIES:
            continue
        lang = language or "az"
        paid = channel_of(channel).paid
        if (channel, lang) not in texts:
            text = render_results(result, lang, with_thanks=True)
            if paid:
                text = fit_for_sms(text, lang, settings.sms_transliterate)
            segments = count_segments(text).segments if paid else 1
            texts[(channel, lang)] = (OutboundMessage(text=text, language=lang), segments)
        message, segments = texts[(channel, lang)]
        queued.append(
            Queued(
                pseudonym, channel, "results", message, f"results:{poll.id}:{pseudonym}", segments
            )
        )
    return len(await enqueue_many(session, queued, now))
