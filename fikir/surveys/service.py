"""Survey answers: which question comes next (skip rules honoured), storing an answer under the
poll's rules (open, audience), and each person's progress."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.polls.model import Audience, PollView
from fikir.polls.service import AnswerOutcome, is_open, load_view
from fikir.storage.models import Respondent
from fikir.storage.survey_tables import SurveyAnswer, SurveyQuestion
from fikir.surveys.kinds import Kind, Question, SkipRule, is_shown, shown_values


@dataclass(frozen=True)
class Survey:
    """A poll with questions: its view (title, audience, dates) and its questions in order."""

    poll: PollView
    questions: tuple[Question, ...]

    @property
    def id(self) -> int:
        return self.poll.id

    def question(self, position: int) -> Question | None:
        return self.questions[position] if 0 <= position < len(self.questions) else None


def question_of(row: SurveyQuestion) -> Question:
    answers = json.loads(row.show_if_answers or "[]")
    rule = (
        SkipRule(row.show_if_question, frozenset(int(a) for a in answers))
        if row.show_if_question is not None
        else None
    )
    return Question(
        position=row.position,
        kind=Kind(row.kind),
        text=json.loads(row.text),
        choices=tuple(json.loads(row.choices or "[]")),
        min_value=row.min_value,
        max_value=row.max_value,
        show_if=rule,
    )


async def survey_ids(session: AsyncSession, poll_ids: Iterable[int]) -> set[int]:
    """Which of these polls are surveys."""
    ids = list(poll_ids)
    if not ids:
        return set()
    rows = await session.exec(
        select(SurveyQuestion.poll_id).where(col(SurveyQuestion.poll_id).in_(ids)).distinct()
    )
    return set(rows.all())


async def load_survey(session: AsyncSession, poll_id: int) -> Survey | None:
    view = await load_view(session, poll_id)
    if view is None:
        return None
    rows = (
        await session.exec(
            select(SurveyQuestion)
            .where(SurveyQuestion.poll_id == poll_id)
            .order_by(col(SurveyQuestion.position))
        )
    ).all()
    if not rows:
        return None
    return Survey(view, tuple(question_of(row) for row in rows))


def given_values(survey: Survey, answers: dict[int, SurveyAnswer]) -> dict[int, tuple[int, ...]]:
    """Each answered question's values as people saw them (what skip rules are written in)."""
    given: dict[int, tuple[int, ...]] = {}
    for position, answer in answers.items():
        question = survey.question(position)
        if question is None or answer.skipped or question.kind == Kind.TEXT:
            continue
        values = tuple(int(v) for v in answer.value.split())
        given[position] = shown_values(question, values)
    return given


def next_question(survey: Survey, answers: dict[int, SurveyAnswer]) -> Question | None:
    """The first question asked (its skip rule holds) that has no answer yet; None when done."""
    given = given_values(survey, answers)
    for question in survey.questions:
        if question.position in answers or not is_shown(question, given):
            continue
        return question
    return None


async def answers_of(
    session: AsyncSession, survey: Survey, respondent: Respondent
) -> dict[int, SurveyAnswer]:
    if respondent.id is None:
        return {}
    rows = await session.exec(
        select(SurveyAnswer).where(
            SurveyAnswer.poll_id == survey.id, SurveyAnswer.respondent_id == respondent.id
        )
    )
    return {row.position: row for row in rows.all()}


async def record(
    session: AsyncSession,
    survey: Survey,
    question: Question,
    respondent: Respondent,
    now: datetime,
    *,
    values: tuple[int, ...] = (),
    feedback_id: int | None = None,
    skipped: bool = False,
) -> AnswerOutcome:
    """Store or replace the answer to one question under the poll's rules; the caller commits."""
    if not is_open(survey.poll.poll, now):
        return "closed"
    if not Audience.from_json(survey.poll.poll.audience).includes(respondent):
        return "outside"
    if respondent.id is None or survey.question(question.position) is None:
        return "invalid"
    existing = (
        await session.exec(
            select(SurveyAnswer).where(
                SurveyAnswer.poll_id == survey.id,
                SurveyAnswer.position == question.position,
                SurveyAnswer.respondent_id == respondent.id,
            )
        )
    ).first()
    answer = existing or SurveyAnswer(
        poll_id=survey.id, position=question.position, respondent_id=respondent.id, channel=""
    )
    answer.value = " ".join(str(v) for v in values)
    answer.skipped = skipped
    answer.feedback_id = feedback_id
    answer.answered_at = now
    answer.channel = respondent.channel
    answer.language = respondent.language
    answer.region = respondent.region
    answer.age_band = respondent.age_band
    answer.gender = respondent.gender
    session.add(answer)
    return "changed" if existing is not None else "recorded"
