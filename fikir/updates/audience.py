"""Who receives an update: people who asked for updates and raised its topic where it happened.

A person receives it when they said yes to updates, can be written to (subscribed, not opted out
or blocked, address in the vault, Telegram or SMS) and either

- wrote a message in the last N months (`FIKIR_UPDATES_MONTHS`, 6) that counts under one of the
  update's goals (the one tag rule, fikir.storage.figures) while their region is one of the
  update's regions (an update without goals: any message; without regions: any region), or
- answered the poll the update is linked to.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, or_
from sqlalchemy import select as sa_select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.polls.broadcast import Recipient, reachable
from fikir.storage.bulk import table_of
from fikir.storage.figures import effective_tags
from fikir.storage.models import Feedback, PollAnswer, Respondent
from fikir.updates.model import UpdateView


def _wrote_about(update: UpdateView, since: datetime) -> ColumnElement[bool]:
    respondent = table_of(Respondent)
    wrote = sa_select(col(Feedback.id)).where(
        col(Feedback.respondent_id) == respondent.c.id, col(Feedback.created_at) >= since
    )
    if update.goals:
        tags = effective_tags().subquery("update_tags")
        wrote = wrote.where(
            sa_select(tags.c.feedback_id)
            .where(tags.c.feedback_id == col(Feedback.id), tags.c.goal.in_(update.goals))
            .exists()
        )
    if update.regions:
        return and_(wrote.exists(), respondent.c.region.in_(update.regions))
    return wrote.exists()


def _answered(poll_id: int) -> ColumnElement[bool]:
    respondent = table_of(Respondent)
    return (
        sa_select(col(PollAnswer.id))
        .where(col(PollAnswer.poll_id) == poll_id, col(PollAnswer.respondent_id) == respondent.c.id)
        .exists()
    )


async def recipients(session: AsyncSession, update: UpdateView, since: datetime) -> list[Recipient]:
    """Everyone the update is for, once each, in a stable order."""
    reasons: list[ColumnElement[bool]] = []
    if update.goals or update.regions:
        reasons.append(_wrote_about(update, since))
    if update.update.poll_id is not None:
        reasons.append(_answered(update.update.poll_id))
    opted_in = table_of(Respondent).c.updates_opt_in.is_(True)
    return await reachable(session, opted_in, or_(*reasons) if reasons else false())
