"""Turning a message into stored feedback: redacted first, then tagged, in the caller's transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.dialog.services import Services
from fikir.dialog.text import MAX_FEEDBACK_CHARS
from fikir.storage.models import Feedback, FeedbackTag, Respondent

_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REF_LENGTH = 6


@dataclass(frozen=True)
class Recorded:
    """What the respondent is told: the reference and whether the text was shortened."""

    ref_code: str
    truncated: bool
    feedback_id: int = 0
    goals: tuple[int, ...] = ()

    @property
    def display_code(self) -> str:
        return f"{self.ref_code[:3]}-{self.ref_code[3:]}"


def new_ref_code() -> str:
    return "".join(secrets.choice(_REF_ALPHABET) for _ in range(REF_LENGTH))


async def record_feedback(
    session: AsyncSession,
    services: Services,
    respondent: Respondent,
    text: str,
    now: datetime,
) -> Recorded:
    """Redact, label the language, tag, and add the rows; raw text never leaves this function."""
    truncated = len(text) > MAX_FEEDBACK_CHARS
    text = text[:MAX_FEEDBACK_CHARS]
    redacted, hits = services.redact(text)
    language = services.detect(redacted) or respondent.language
    code = new_ref_code()
    while (await session.exec(select(Feedback.id).where(Feedback.ref_code == code))).first():
        code = new_ref_code()
    feedback = Feedback(
        ref_code=code,
        respondent_id=respondent.id,
        text=redacted,
        language=language,
        channel=respondent.channel,
        region=respondent.region,
        age_band=respondent.age_band,
        gender=respondent.gender,
        redactions=hits,
        created_at=now,
    )
    session.add(feedback)
    await session.flush()
    assert feedback.id is not None  # noqa: S101 - flushed rows have ids
    goals = services.tag(redacted, language)
    for goal, score in goals:
        session.add(
            FeedbackTag(
                feedback_id=feedback.id, goal=goal, score=score, source="auto", created_at=now
            )
        )
    return Recorded(
        ref_code=code,
        truncated=truncated,
        feedback_id=feedback.id,
        goals=tuple(goal for goal, _ in goals),
    )


async def record_topic(
    session: AsyncSession, respondent: Respondent, feedback_id: int, goal: int, now: datetime
) -> bool:
    """The respondent's own choice of topic, kept as a tag that outranks the automatic ones."""
    feedback = await session.get(Feedback, feedback_id)
    if feedback is None or feedback.respondent_id != respondent.id or not 1 <= goal <= 17:
        return False
    exists = (
        await session.exec(
            select(FeedbackTag.id).where(
                FeedbackTag.feedback_id == feedback_id,
                FeedbackTag.source == "respondent",
                FeedbackTag.goal == goal,
            )
        )
    ).first()
    if exists is None:
        session.add(
            FeedbackTag(
                feedback_id=feedback_id, goal=goal, score=1.0, source="respondent", created_at=now
            )
        )
    return True
