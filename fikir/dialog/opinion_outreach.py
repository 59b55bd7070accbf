"""A round of the opinion map sent to everyone fikir may write to first, as polls are: each gets
a statement they have not voted on (never their own), and their conversation waits on it, so
that a bare "1" or "razıyam" is their vote."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import bindparam, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import channel_of
from fikir.config.settings import Settings
from fikir.dialog.flows.opinion import ROUND, statement_wait
from fikir.dialog.state import State, dump_record
from fikir.opinion.service import OpinionError, set_topic_status, text_in
from fikir.opinion.texts import sms_text
from fikir.outbox.message import OutboundMessage
from fikir.outbox.queue import Queued, enqueue_many
from fikir.outbox.segments import count_segments
from fikir.polls.broadcast import reachable
from fikir.storage.bulk import CHUNK, table_of
from fikir.storage.models import Respondent
from fikir.storage.opinion_tables import OpinionStatement, OpinionVote


async def send_round(session: AsyncSession, slug: str, settings: Settings, now: datetime) -> int:
    """Open the topic and queue a statement to each reachable person who has one left to vote
    on; the caller commits. Returns how many were queued (a person already sent a statement
    they have not answered yet is not sent it twice)."""
    topic = await set_topic_status(session, slug, "open")
    statements = list(
        (
            await session.exec(
                select(OpinionStatement)
                .where(OpinionStatement.topic_id == topic.id, OpinionStatement.status == "approved")
                .order_by(col(OpinionStatement.id))
            )
        ).all()
    )
    if not statements:
        raise OpinionError("the topic has no approved statement to send")
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
    statements.sort(key=lambda s: (counts.get(s.id or 0, 0), s.id or 0))  # the least voted first
    done: dict[int, set[int]] = defaultdict(set)
    for respondent_id, statement_id in (
        await session.exec(
            select(OpinionVote.respondent_id, OpinionVote.statement_id).where(
                col(OpinionVote.statement_id).in_(ids)
            )
        )
    ).all():
        done[respondent_id].add(statement_id)
    queued, waiting = [], []
    for person in await reachable(session):
        pick = next(
            (s for s in statements if s.id not in done[person.id] and s.author_id != person.id),
            None,
        )
        if pick is None or pick.id is None:
            continue
        lang = person.language or "az"
        wait = statement_wait(pick.id, text_in(pick, lang), ROUND, lang)
        family = channel_of(person.channel).family
        if channel_of(family).paid:
            text = sms_text(pick.id, text_in(pick, lang), ROUND, lang, settings.sms_transliterate)
            message, parts = (
                OutboundMessage(text=text, language=lang),
                count_segments(text).segments,
            )
        else:
            choices = tuple((c.payload, c.label) for c in wait.choices)
            message, parts = OutboundMessage(wait.question, choices, lang), 1
        key = f"opinion:{pick.id}:{person.pseudonym}"
        queued.append(Queued(person.pseudonym, family, "opinion", message, key, parts))
        waiting.append((key, {"rid": person.id, "data": dump_record(wait)}))
    added = await enqueue_many(session, queued, now)
    rows = [row for key, row in waiting if key in added]
    respondents = table_of(Respondent)
    for start in range(0, len(rows), CHUNK):
        await session.exec(
            update(respondents)
            .where(respondents.c.id == bindparam("rid"))
            .values(state=State.OPINION.value, state_data=bindparam("data")),
            params=rows[start : start + CHUNK],
        )
    return len(rows)
