"""A round of the opinion map sent to everyone fikir may write to first, as polls are: each gets
a statement they have not voted on (never their own), and their conversation waits on it, so
that a bare "1" or "razıyam" is their vote. Only a plan staff confirmed is sent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import bindparam, update
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.settings import Settings
from fikir.dialog.flows.opinion import statement_wait
from fikir.dialog.state import State, dump_record
from fikir.opinion.round import ROUND, RoundPlan, plan_round
from fikir.opinion.service import set_topic_status
from fikir.outbox.queue import Queued, enqueue_many
from fikir.storage.bulk import CHUNK, table_of
from fikir.storage.models import Respondent


async def send_round(
    session: AsyncSession,
    slug: str,
    settings: Settings,
    now: datetime,
    *,
    confirmed: Callable[[str], bool],
) -> tuple[RoundPlan, int | None]:
    """Plan the round and, only if `confirmed` accepts the plan's fingerprint (the one staff
    saw in the preview), open the topic and queue it; the caller commits. Returns the plan and
    how many were queued, or None when the plan was not the confirmed one: nothing is written.
    A person already sent a statement they have not answered yet is not sent it twice."""
    planned = await plan_round(session, slug, settings, now)
    if not confirmed(planned.plan.fingerprint):
        return planned, None
    await set_topic_status(session, slug, "open")
    queued, waiting = [], []
    for item in planned.items:
        wait = statement_wait(item.statement_id, item.text, ROUND, item.lang)
        key = f"opinion:{item.statement_id}:{item.person.pseudonym}"
        queued.append(
            Queued(item.person.pseudonym, item.family, "opinion", item.message, key, item.parts)
        )
        waiting.append((key, {"rid": item.person.id, "data": dump_record(wait)}))
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
    return planned, len(rows)
