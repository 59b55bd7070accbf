"""Erasure: everything held about one respondent goes, in the caller's transaction."""

from __future__ import annotations

from sqlalchemy import delete, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.storage.models import (
    Contact,
    Feedback,
    FeedbackTag,
    OutboxMessage,
    PollAnswer,
    Respondent,
    ThreadMessage,
)
from fikir.storage.opinion_tables import OpinionStatement, OpinionVote
from fikir.storage.safety_tables import FeedbackSafety, SafetyCase
from fikir.storage.survey_tables import SurveyAnswer


async def _delete_dependants(session: AsyncSession, feedback_ids: object) -> None:
    """Reply threads, tags, safety flags and queue entries of the messages `feedback_ids`
    selects."""
    await _erase_threads(session, feedback_ids)
    # A survey's free-text answer points at its message: the pointer goes with it.
    await session.exec(
        delete(SurveyAnswer).where(col(SurveyAnswer.feedback_id).in_(feedback_ids))  # type: ignore[arg-type]
    )
    for table in (FeedbackTag, FeedbackSafety, SafetyCase):
        await session.exec(delete(table).where(col(table.feedback_id).in_(feedback_ids)))  # type: ignore[arg-type]


async def erase_respondent(session: AsyncSession, respondent: Respondent) -> None:
    """Delete the respondent's feedback, reply threads, tags, answers, opinion votes and
    statements, vault entry, queued messages and state."""
    if respondent.id is not None:
        feedback_ids = select(Feedback.id).where(Feedback.respondent_id == respondent.id)
        await session.exec(
            delete(SurveyAnswer).where(col(SurveyAnswer.respondent_id) == respondent.id)
        )
        await _delete_dependants(session, feedback_ids)
        await session.exec(delete(Feedback).where(col(Feedback.respondent_id) == respondent.id))
        await session.exec(delete(PollAnswer).where(col(PollAnswer.respondent_id) == respondent.id))
        await _erase_opinions(session, respondent.id)
    await session.exec(delete(Contact).where(col(Contact.pseudonym) == respondent.pseudonym))
    await session.exec(
        delete(OutboxMessage).where(col(OutboxMessage.pseudonym) == respondent.pseudonym)
    )
    await session.delete(respondent)


async def erase_by_reference(session: AsyncSession, ref_code: str) -> bool:
    """`fikir forget --code REF`: erase whoever wrote the feedback with this reference."""
    code = normalise_ref(ref_code)
    feedback = (await session.exec(select(Feedback).where(Feedback.ref_code == code))).first()
    if feedback is None:
        return False
    if feedback.respondent_id is None:
        await _delete_dependants(session, [feedback.id])
        await session.delete(feedback)
        return True
    respondent = await session.get(Respondent, feedback.respondent_id)
    if respondent is None:
        return False
    await erase_respondent(session, respondent)
    return True


async def _erase_threads(session: AsyncSession, feedback_ids: object) -> None:
    """Staff replies to these messages and the answers that came back: the thread goes too."""
    await session.exec(
        delete(ThreadMessage).where(
            or_(
                col(ThreadMessage.feedback_id).in_(feedback_ids),  # type: ignore[arg-type]
                col(ThreadMessage.answer_feedback_id).in_(feedback_ids),  # type: ignore[arg-type]
            )
        )
    )


async def _erase_opinions(session: AsyncSession, respondent_id: int) -> None:
    """Their votes, the statements they wrote and everyone's votes on those statements."""
    written = select(OpinionStatement.id).where(OpinionStatement.author_id == respondent_id)
    await session.exec(
        delete(OpinionVote).where(
            or_(
                col(OpinionVote.respondent_id) == respondent_id,
                col(OpinionVote.statement_id).in_(written),
            )
        )
    )
    await session.exec(
        delete(OpinionStatement).where(col(OpinionStatement.author_id) == respondent_id)
    )


def normalise_ref(code: str) -> str:
    """People type references with spaces, dashes and lower case; store and compare one form."""
    return "".join(ch for ch in code.upper() if ch.isalnum())
