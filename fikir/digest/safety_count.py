"""The digest's one safety figure: how many of the month's messages spoke of a safety concern,
shown only when at least k people wrote them ("fewer than k" otherwise); never their words."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Exists, exists, func, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import TEST_CHANNELS
from fikir.digest.document import SafetyFigure
from fikir.privacy.suppression import safe_count
from fikir.storage.models import Feedback
from fikir.storage.safety_tables import FeedbackSafety


def flagged(feedback_id: Any) -> Exists:
    """SQL: the message `feedback_id` names had a safety category found in it."""
    return exists().where(col(FeedbackSafety.feedback_id) == feedback_id)


async def safety_figure(
    session: AsyncSession, start: datetime, end: datetime, k: int
) -> SafetyFigure:
    """The month's flagged messages from people (test channels left out), suppressed below k."""
    messages, people = (
        await session.exec(  # type: ignore[call-overload]
            select(func.count(), func.count(func.distinct(col(Feedback.respondent_id)))).where(
                col(Feedback.created_at) >= start,
                col(Feedback.created_at) < end,
                col(Feedback.channel).not_in(TEST_CHANNELS),
                flagged(col(Feedback.id)),
            )
        )
    ).one()
    if not messages:
        return SafetyFigure(messages=0, fewer_than_k=False)
    shown = safe_count(int(people), k)
    return SafetyFigure(
        messages=int(messages) if shown is not None else None, fewer_than_k=shown is None
    )
