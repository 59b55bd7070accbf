"""A survey's results per question, every figure suppressed below k: people who answered, each
choice (merged into "other" when small), a rating's spread, a number's median."""

from __future__ import annotations

import statistics
from collections.abc import Collection
from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import TEST_CHANNELS
from fikir.privacy.suppression import SuppressedCounts, safe_count, suppress
from fikir.storage.survey_tables import SurveyAnswer
from fikir.surveys.kinds import RATING_MAX, Kind, Question
from fikir.surveys.service import Survey


@dataclass(frozen=True)
class QuestionResult:
    """One question's figures: None wherever fewer than k people stand behind a figure."""

    question: Question
    k: int
    answered: int | None  # people who answered it (skips not counted)
    counts: SuppressedCounts[int] | None = None  # choices (from 0) or ratings (1–5)
    median: float | None = None  # a number question's

    def labels(self, lang: str | None) -> dict[int, str]:
        """The label of each counted key, as `counts` is keyed."""
        if self.question.kind == Kind.RATING:
            return {value: str(value) for value in range(1, RATING_MAX + 1)}
        return dict(enumerate(self.question.labels_in(lang)))

    def percent(self, n: int) -> int:
        """A share of the people who answered (a multiple choice's shares add up past 100)."""
        return round(100 * n / self.answered) if self.answered else 0


async def survey_results(session: AsyncSession, survey: Survey, k: int) -> list[QuestionResult]:
    """Every question's result; answers staff gave while trying the survey are never counted."""
    rows = (
        await session.exec(
            select(SurveyAnswer.position, SurveyAnswer.respondent_id, SurveyAnswer.value).where(
                SurveyAnswer.poll_id == survey.id,
                col(SurveyAnswer.skipped).is_(False),
                col(SurveyAnswer.channel).not_in(TEST_CHANNELS),
            )
        )
    ).all()
    by_question: dict[int, dict[int, tuple[int, ...]]] = {}
    for position, respondent_id, value in rows:
        values = tuple(int(v) for v in value.split()) if value else ()
        by_question.setdefault(int(position), {})[int(respondent_id)] = values
    return [_result(q, by_question.get(q.position, {}), k) for q in survey.questions]


def _result(question: Question, answers: dict[int, tuple[int, ...]], k: int) -> QuestionResult:
    answered = safe_count(len(answers), k)
    if answered is None:
        return QuestionResult(question, k, None)
    if question.kind == Kind.TEXT:
        return QuestionResult(question, k, answered)
    if question.kind == Kind.NUMBER:
        median = statistics.median(values[0] for values in answers.values() if values)
        return QuestionResult(question, k, answered, median=float(median))
    keys = (
        range(1, RATING_MAX + 1) if question.kind == Kind.RATING else range(len(question.choices))
    )
    who: dict[int, set[int]] = {key: set() for key in keys}
    for respondent, values in answers.items():
        for value in values:
            who.setdefault(value, set()).add(respondent)

    def people(cells: Collection[int]) -> int:
        # Several choices per person: a merged cell counts each person once.
        return len(set().union(*(who[cell] for cell in cells)))

    counts = suppress({key: len(ids) for key, ids in who.items()}, k, people)
    return QuestionResult(question, k, answered, counts=counts)
