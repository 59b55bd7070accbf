"""The opinion map's tables: a topic, its statements (staff's and participants', redacted and
approved first), and one vote per person per statement. None holds an address or a pseudonym."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from fikir.storage.models import _ts, utcnow

TOPIC_STATES = ("draft", "open", "closed")
STATEMENT_STATES = ("pending", "approved", "rejected")


class OpinionTopic(SQLModel, table=True):
    """A question put up for discussion; its title is a JSON object keyed by language code."""

    __tablename__ = "opinion_topic"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True, index=True)
    title: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="draft", max_length=16, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class OpinionStatement(SQLModel, table=True):
    """One statement people vote on: texts by language, approved by staff before anyone sees it.

    `author_id` is set for a participant's statement (never shown to them to vote on, and erased
    with them); staff's seed statements have none.
    """

    __tablename__ = "opinion_statement"

    id: int | None = Field(default=None, primary_key=True)
    topic_id: int = Field(foreign_key="opinion_topic.id", index=True)
    texts: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", max_length=16, index=True)
    author_id: int | None = Field(default=None, foreign_key="respondent.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class OpinionVote(SQLModel, table=True):
    """One vote per person per statement: 1 agree, -1 disagree, 0 pass; a later one replaces it."""

    __tablename__ = "opinion_vote"
    __table_args__ = (UniqueConstraint("statement_id", "respondent_id"),)

    id: int | None = Field(default=None, primary_key=True)
    statement_id: int = Field(foreign_key="opinion_statement.id", index=True)
    respondent_id: int = Field(foreign_key="respondent.id", index=True)
    vote: int
    voted_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


OPINION_TABLES = (OpinionTopic, OpinionStatement, OpinionVote)
