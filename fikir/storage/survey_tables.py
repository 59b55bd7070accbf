"""The survey tables: a survey's questions (kind, texts, skip rule) and one answer per person
per question. A free-text answer is a feedback row (redacted, tagged, retained like any other);
the answer only points at it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from fikir.storage.models import _ts, utcnow


class SurveyQuestion(SQLModel, table=True):
    """One question of a survey (a poll with questions); `position` orders them from 0."""

    __tablename__ = "survey_question"
    __table_args__ = (UniqueConstraint("poll_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    position: int
    kind: str = Field(max_length=16)  # single, multiple, number, rating, text
    text: str = Field(sa_column=Column(Text, nullable=False))  # {lang: question}
    choices: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    min_value: int | None = None
    max_value: int | None = None
    # Shown only when the answer to question `show_if_question` is one of `show_if_answers`.
    show_if_question: int | None = None
    show_if_answers: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))


class SurveyAnswer(SQLModel, table=True):
    """One person's answer to one question (or that they skipped it), with a profile snapshot."""

    __tablename__ = "survey_answer"
    __table_args__ = (UniqueConstraint("poll_id", "position", "respondent_id"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    position: int
    respondent_id: int = Field(foreign_key="respondent.id", index=True)
    # Choice positions ("0 2"), a number ("17"), a rating ("4"); "" when skipped or free text.
    value: str = Field(default="", max_length=64)
    skipped: bool = False
    feedback_id: int | None = Field(default=None, foreign_key="feedback.id", index=True)
    channel: str = Field(max_length=16)
    language: str | None = Field(default=None, max_length=8)
    region: str | None = Field(default=None, max_length=32)
    age_band: str | None = Field(default=None, max_length=16)
    gender: str | None = Field(default=None, max_length=16)
    answered_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


SURVEY_TABLES = (SurveyQuestion, SurveyAnswer)
