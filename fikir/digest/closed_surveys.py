"""The surveys that closed during the month, with each question's results as the surveys
service suppresses them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.digest.document_surveys import (
    SurveyChoiceFigure,
    SurveyFigure,
    SurveyQuestionFigure,
    Texts,
)
from fikir.storage.models import Poll
from fikir.surveys.kinds import RATING_MAX, Kind
from fikir.surveys.results import QuestionResult, survey_results
from fikir.surveys.service import load_survey


def _question(result: QuestionResult) -> SurveyQuestionFigure:
    q = result.question
    text = tuple(sorted(q.text.items()))
    counts = result.counts
    if result.answered is None or counts is None or counts.suppressed:
        return SurveyQuestionFigure(q.position + 1, q.kind.value, text, result.answered,
                                    median=result.median)  # fmt: skip
    labels: dict[int, Texts] = (
        dict.fromkeys(range(1, RATING_MAX + 1), ())  # a rating is its own label
        if q.kind == Kind.RATING
        else {i: tuple(sorted(c.items())) for i, c in enumerate(q.choices)}
    )
    shown = 0 if q.kind == Kind.RATING else 1  # choices are numbered from 1 as people saw them
    choices = tuple(
        SurveyChoiceFigure(key + shown, texts, counts.shown.get(key))
        for key, texts in labels.items()
    )
    return SurveyQuestionFigure(
        q.position + 1, q.kind.value, text, result.answered, choices, counts.other
    )


async def closed_surveys(
    session: AsyncSession, start: datetime, end: datetime, k: int
) -> tuple[SurveyFigure, ...]:
    polls = (
        await session.exec(
            select(Poll)
            .where(Poll.status == "closed", col(Poll.closes_at) >= start, col(Poll.closes_at) < end)
            .order_by(col(Poll.closes_at), col(Poll.id))
        )
    ).all()
    figures = []
    for poll in polls:
        survey = await load_survey(session, poll.id or 0)
        if survey is None:
            continue
        found = await survey_results(session, survey, k)
        figures.append(
            SurveyFigure(
                poll.slug,
                tuple(sorted(survey.poll.question.items())),
                poll.closes_at,
                tuple(_question(result) for result in found),
            )
        )
    return tuple(figures)
