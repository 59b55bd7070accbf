"""A round of the opinion map planned before anything is sent, as a poll's opening is: who gets
which statement on which channel, the SMS parts and the cost, and a fingerprint that a staff
member's confirmation is bound to (a changed audience or text needs a new preview)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import channel_of
from fikir.config.languages import LANGUAGE_CODES
from fikir.config.settings import Settings
from fikir.opinion.service import OpinionError, text_in, topic_by_slug
from fikir.opinion.texts import ask_text, sms_text, vote_choices
from fikir.outbox.message import OutboundMessage
from fikir.outbox.segments import count_segments
from fikir.outbox.window import route
from fikir.polls.broadcast import BroadcastPlan, LanguagePreview, Recipient, reachable
from fikir.polls.plan_view import ShownPlan, SmsLine, shown_figures
from fikir.storage.opinion_tables import OpinionStatement, OpinionTopic, OpinionVote

ROUND = 3  # statements offered in a row before the offer to add one's own


@dataclass(frozen=True)
class RoundItem:
    """One person's statement in this round, as their channel will carry it."""

    person: Recipient
    statement_id: int
    text: str  # the statement in the person's language (or along its fallback chain)
    lang: str
    family: str
    message: OutboundMessage
    parts: int


@dataclass(frozen=True)
class RoundPlan:
    """What sending the round would queue, and its figures for the preview."""

    topic: OpinionTopic
    items: list[RoundItem]
    plan: BroadcastPlan
    sms: list[SmsLine]
    sample: OpinionStatement  # the least voted: what the preview shows on every channel

    def shown(self, settings: Settings) -> ShownPlan:
        """The figures staff may see: the poll preview's k rule (fikir.polls.plan_view)."""
        return shown_figures(self.plan, self.sms, settings)


async def _approved(session: AsyncSession, topic_id: int) -> list[OpinionStatement]:
    """The topic's approved statements, the least voted first (new ones get their votes)."""
    statements = list(
        (
            await session.exec(
                select(OpinionStatement)
                .where(OpinionStatement.topic_id == topic_id, OpinionStatement.status == "approved")
                .order_by(col(OpinionStatement.id))
            )
        ).all()
    )
    ids = [s.id for s in statements]
    counts = dict(
        (
            await session.exec(
                select(OpinionVote.statement_id, func.count())
                .where(col(OpinionVote.statement_id).in_(ids))
                .group_by(col(OpinionVote.statement_id))
            )
        ).all()
    )
    statements.sort(key=lambda s: (counts.get(s.id or 0, 0), s.id or 0))
    return statements


async def plan_round(
    session: AsyncSession, slug: str, settings: Settings, now: datetime
) -> RoundPlan:
    """Everyone fikir may write to first with a statement left to vote on (never their own),
    what each would get and what it costs; nothing is written."""
    topic = await topic_by_slug(session, slug)
    if topic is None or topic.id is None:
        raise OpinionError(f"no topic called {slug}")
    statements = await _approved(session, topic.id)
    if not statements:
        raise OpinionError("the topic has no approved statement to send")
    done: dict[int, set[int]] = defaultdict(set)
    for respondent_id, statement_id in (
        await session.exec(
            select(OpinionVote.respondent_id, OpinionVote.statement_id).where(
                col(OpinionVote.statement_id).in_([s.id for s in statements])
            )
        )
    ).all():
        done[respondent_id].add(statement_id)
    plan, items = BroadcastPlan(), []
    groups: dict[tuple[str, str], list[RoundItem]] = defaultdict(list)
    for person in await reachable(session):
        chosen = next(
            (s for s in statements if s.id not in done[person.id] and s.author_id != person.id),
            None,
        )
        if chosen is None or chosen.id is None:
            continue
        lang = person.language or "az"
        text = text_in(chosen, lang)
        known = channel_of(person.channel)
        if channel_of(known.family).paid:
            sms = sms_text(chosen.id, text, ROUND, lang, settings.sms_transliterate)
            message, parts = OutboundMessage(text=sms, language=lang), count_segments(sms).segments
        else:
            choices = vote_choices(chosen.id, ROUND, lang)
            message, parts = OutboundMessage(ask_text(text, lang), choices, lang), 1
        item = RoundItem(person, chosen.id, text, lang, known.family, message, parts)
        items.append(item)
        groups[(known.family, lang)].append(item)
        plan.recipients[known.family] += 1
        if known.window is not None:
            way = route(known, person.last_seen_at, now, settings.whatsapp_templates, lang)
            plan.routes[(known.family, way)] += 1
    for (family, lang), members in groups.items():
        paid = channel_of(family).paid
        most = max(members, key=lambda m: m.parts)
        encoding = count_segments(most.message.text).encoding if paid else ""
        plan.previews[(family, lang)] = LanguagePreview(
            len(members), most.parts if paid else 0, encoding, most.message.text, lang
        )
        if paid:
            plan.total_segments += sum(m.parts for m in members)
    plan.estimated_cost = plan.total_segments * settings.sms_segment_cost
    plan.fingerprint = _fingerprint(topic, items, settings)
    return RoundPlan(topic, items, plan, sms_lines(statements, settings), statements[0])


def sms_lines(statements: list[OpinionStatement], settings: Settings) -> list[SmsLine]:
    """Per language, the most parts any statement of the topic costs by SMS: every language,
    whoever is present (a line only for the languages present would tell who is)."""
    lines = []
    for lang in LANGUAGE_CODES:
        infos = [
            count_segments(
                sms_text(s.id or 0, text_in(s, lang), ROUND, lang, settings.sms_transliterate)
            )
            for s in statements
        ]
        most = max(infos, key=lambda info: info.segments)
        lines.append(SmsLine(lang, most.segments, most.encoding, lang))
    return lines


def _fingerprint(topic: OpinionTopic, items: list[RoundItem], settings: Settings) -> str:
    """Who would receive which text at what price, hashed."""
    digest = hashlib.sha256()
    for part in (str(topic.id), repr(settings.sms_segment_cost), settings.sms_transliterate):
        digest.update(part.encode() + b"\x00")
    for item in items:
        line = f"{item.person.id}:{item.family}:{item.lang}:{item.statement_id}:{item.message.text}"
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()
