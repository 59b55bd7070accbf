"""Sending an update: what it costs and whom it reaches (shown under the k rule), then queueing
it once per person through the outbox."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import channel_of
from fikir.config.markers import N_
from fikir.config.settings import Settings
from fikir.i18n import translate
from fikir.outbox.message import OutboundMessage
from fikir.outbox.queue import Queued, enqueue_many
from fikir.outbox.segments import count_segments, fit_for_sms
from fikir.privacy.retention import months_before
from fikir.privacy.suppression import suppress
from fikir.updates.audience import recipients
from fikir.updates.model import UpdateError, UpdateView

MAX_UPDATE_SEGMENTS = 2
UPDATE_FOOTER = N_(
    "You receive this because you asked for updates on what you raised. Send /news to change this."
)


def sms_update_text(update: UpdateView, lang: str, transliterate: str) -> str:
    """The update by SMS in the update's language `lang`: title and text, as few parts as can be."""
    return fit_for_sms(f"fikir: {update.title[lang]}\n{update.body[lang]}", lang, transliterate)


def telegram_update_text(update: UpdateView, reader: str | None) -> str:
    """Title, text (the reader's language or its fallback) and a footer in the reader's own."""
    return "\n\n".join(
        (update.title_in(reader), update.body_in(reader), translate(reader, UPDATE_FOOTER))
    )


@dataclass(frozen=True)
class Cell:
    """Recipients on one channel who get the update in one language; `people` None when hidden."""

    channel: str
    language: str
    people: int | None
    segments_each: int
    encoding: str
    text: str


@dataclass
class UpdatePlan:
    """Shown before sending. Counts are of people and pass the k rule: a cell under k is merged
    into `other`, and SMS cost is then given as an upper bound, never as an exact figure."""

    k: int
    cells: list[Cell] = field(default_factory=list)
    other: int | None = None
    total: int | None = None
    sms_segments: int | None = 0
    sms_cost: float | None = 0.0
    sms_cost_at_most: float | None = None
    too_long: list[str] = field(default_factory=list)

    @property
    def nobody(self) -> bool:
        return not self.cells


def _message(
    update: UpdateView, channel: str, reader: str | None, settings: Settings
) -> tuple[OutboundMessage, int]:
    lang = update.language_for(reader)
    if channel_of(channel).paid:
        text = sms_update_text(update, lang, settings.sms_transliterate)
        return OutboundMessage(text=text, language=lang), count_segments(text).segments
    return OutboundMessage(text=telegram_update_text(update, reader), language=lang), 1


async def plan_update(
    session: AsyncSession, update: UpdateView, settings: Settings, now: datetime
) -> UpdatePlan:
    """Count recipients per channel and language, and the SMS cost, without queueing anything."""
    k, cost = settings.k_anonymity, settings.sms_segment_cost
    since = months_before(now, settings.updates_months)
    counts: Counter[tuple[str, str]] = Counter(
        (channel_of(person.channel).family, update.language_for(person.language))
        for person in await recipients(session, update, since)
    )
    plan = UpdatePlan(k=k)
    shown = suppress(counts, k)
    plan.total, plan.other = shown.total, shown.other
    segments: dict[tuple[str, str], int] = {}
    for channel, lang in sorted(counts):
        if channel_of(channel).paid:
            text = sms_update_text(update, lang, settings.sms_transliterate)
            info = count_segments(text)
            segments[(channel, lang)] = info.segments
            if info.segments > MAX_UPDATE_SEGMENTS:
                plan.too_long.append(f"{lang}: {info.segments} segments ({info.units} units)")
            cell = Cell(channel, lang, shown.shown.get((channel, lang)), info.segments,
                        info.encoding, text)  # fmt: skip
        else:
            text = telegram_update_text(update, lang)
            cell = Cell(channel, lang, shown.shown.get((channel, lang)), 0, "", text)
        plan.cells.append(cell)
    exact = sum(n * segments[key] for key, n in counts.items() if key in segments)
    hidden = [key for key in segments if key not in shown.shown]
    if not hidden:
        plan.sms_segments, plan.sms_cost = exact, exact * cost
    else:
        # Exact SMS cost would give away how many people a hidden cell holds: say "at most".
        shown_segments = sum(counts[key] * segments[key] for key in segments if key not in hidden)
        # Everything merged (`other` None, the total shown): the bound is everyone.
        people = shown.other if shown.other is not None else (shown.total or k - 1)
        most = shown_segments + people * max(segments[key] for key in hidden)
        plan.sms_segments, plan.sms_cost, plan.sms_cost_at_most = None, None, most * cost
    return plan


async def queue_update(
    session: AsyncSession, update: UpdateView, settings: Settings, now: datetime
) -> int:
    """Queue the update for everyone it is for, once per person (dedupe key per update and
    person, so sending again reaches only people not reached yet); the caller commits.
    Refuses, queueing nothing, when an SMS version would take more than two segments."""
    people = await recipients(session, update, months_before(now, settings.updates_months))
    messages: dict[tuple[str, str | None], tuple[OutboundMessage, int]] = {}
    queued: list[Queued] = []
    for person in people:
        channel = channel_of(person.channel).family
        key = (channel, person.language)
        if key not in messages:
            messages[key] = _message(update, channel, person.language, settings)
        message, segments = messages[key]
        if segments > MAX_UPDATE_SEGMENTS:
            raise UpdateError(f"{message.language}: {segments} SMS segments, at most 2")
        queued.append(
            Queued(
                person.pseudonym, channel, "update", message,
                f"update:{update.id}:{person.pseudonym}", segments,
            )
        )  # fmt: skip
    return len(await enqueue_many(session, queued, now))
