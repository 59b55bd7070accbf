"""Topics, statements and votes of the opinion map: what staff seed, what people are shown next,
what they vote and write; the caller owns the transaction."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.languages import LANGUAGE_CODES
from fikir.opinion.texts import MAX_SMS_SEGMENTS, sms_segments
from fikir.polls.model import pick
from fikir.storage.opinion_tables import (
    STATEMENT_STATES,
    TOPIC_STATES,
    OpinionStatement,
    OpinionTopic,
    OpinionVote,
)

VOTES = {"a": 1, "d": -1, "p": 0}  # agree, disagree, pass: the letters in button payloads
MAX_STATEMENT = 280  # a participant's statement: one tweet, two SMS parts at most in Latin


class OpinionError(ValueError):
    """A topic that cannot be accepted; the message says what to fix."""


@dataclass(frozen=True)
class TopicSpec:
    """A topic as staff write it (YAML, dashboard form): title and statements by language."""

    slug: str
    title: dict[str, str]
    statements: tuple[dict[str, str], ...]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TopicSpec:
        def texts(raw: Any) -> dict[str, str]:
            if not isinstance(raw, dict):
                raise OpinionError("title and each statement: texts keyed by language code")
            return {str(k): str(v).strip() for k, v in raw.items() if str(v).strip()}

        statements = data.get("statements") or []
        if not isinstance(statements, list):
            raise OpinionError("statements: a list, each with texts keyed by language code")
        return cls(
            slug=str(data.get("slug", "")),
            title=texts(data.get("title") or {}),
            statements=tuple(texts(raw) for raw in statements),
        )

    def validate(self) -> None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,62}", self.slug):
            raise OpinionError("slug: use 2–63 lower-case letters, digits and dashes")
        for texts in (self.title, *self.statements):
            unknown = sorted(set(texts) - set(LANGUAGE_CODES))
            if unknown:
                raise OpinionError(f"unknown language code(s): {', '.join(unknown)}")
            if not texts:
                raise OpinionError("every text needs at least one language")
        if not self.statements:
            raise OpinionError("seed the topic with at least one statement")
        for number, texts in enumerate(self.statements, start=1):
            check_sms_length(texts, f"statement {number}")


def check_sms_length(texts: dict[str, str], name: str) -> None:
    """Refuse a statement whose SMS would cost more than two parts for any reader (each reads
    it along their language's fallback chain), as a poll question is refused."""
    for lang in LANGUAGE_CODES:
        parts = sms_segments(pick(texts, lang), lang)
        if parts > MAX_SMS_SEGMENTS:
            raise OpinionError(
                f"{name}: {parts} SMS parts for {lang} readers (at most {MAX_SMS_SEGMENTS}); "
                "shorten it"
            )


async def create_topic(session: AsyncSession, spec: TopicSpec) -> OpinionTopic:
    """A draft topic with its seed statements, approved (staff wrote them)."""
    spec.validate()
    if await topic_by_slug(session, spec.slug) is not None:
        raise OpinionError(f"a topic called {spec.slug} exists already")
    topic = OpinionTopic(slug=spec.slug, title=json.dumps(spec.title, ensure_ascii=False))
    session.add(topic)
    await session.flush()
    assert topic.id is not None  # noqa: S101 - flushed
    for texts in spec.statements:
        session.add(
            OpinionStatement(
                topic_id=topic.id, texts=json.dumps(texts, ensure_ascii=False), status="approved"
            )
        )
    await session.flush()
    return topic


async def topic_by_slug(session: AsyncSession, slug: str) -> OpinionTopic | None:
    return (await session.exec(select(OpinionTopic).where(OpinionTopic.slug == slug))).first()


async def set_topic_status(session: AsyncSession, slug: str, status: str) -> OpinionTopic:
    if status not in TOPIC_STATES:
        raise OpinionError(f"status: one of {', '.join(TOPIC_STATES)}")
    topic = await topic_by_slug(session, slug)
    if topic is None:
        raise OpinionError(f"no topic called {slug}")
    topic.status = status
    session.add(topic)
    return topic


def title_in(topic: OpinionTopic, lang: str | None) -> str:
    return pick(json.loads(topic.title), lang)


def text_in(statement: OpinionStatement, lang: str | None) -> str:
    """The statement in `lang`, else along the language's fallback chain."""
    return pick(json.loads(statement.texts), lang)


async def next_statement(
    session: AsyncSession, topic_id: int, respondent_id: int
) -> OpinionStatement | None:
    """An approved statement of the topic, written by someone else, that this person has not
    voted on; the least voted first, so that new statements get their votes (Pol.is does so)."""
    voted = select(OpinionVote.statement_id).where(OpinionVote.respondent_id == respondent_id)
    votes = (
        select(OpinionVote.statement_id, func.count().label("n"))
        .group_by(col(OpinionVote.statement_id))
        .subquery()
    )
    query = (
        select(OpinionStatement)
        .join(votes, votes.c.statement_id == OpinionStatement.id, isouter=True)
        .where(
            OpinionStatement.topic_id == topic_id,
            OpinionStatement.status == "approved",
            col(OpinionStatement.id).not_in(voted),
            (col(OpinionStatement.author_id).is_(None))
            | (col(OpinionStatement.author_id) != respondent_id),
        )
        .order_by(func.coalesce(votes.c.n, 0), col(OpinionStatement.id))
        .limit(1)
    )
    return (await session.exec(query)).first()


async def record_vote(
    session: AsyncSession, statement_id: int, respondent_id: int, vote: int, now: datetime
) -> tuple[str, OpinionStatement | None]:
    """Store (or change) a vote: "ok", "closed" (topic not open) or "invalid"; and the statement."""
    statement = await session.get(OpinionStatement, statement_id)
    if statement is None or statement.status != "approved" or vote not in VOTES.values():
        return "invalid", statement
    topic = await session.get(OpinionTopic, statement.topic_id)
    if topic is None or topic.status != "open":
        return "closed", statement
    existing = (
        await session.exec(
            select(OpinionVote).where(
                OpinionVote.statement_id == statement_id,
                OpinionVote.respondent_id == respondent_id,
            )
        )
    ).first()
    if existing is None:
        existing = OpinionVote(statement_id=statement_id, respondent_id=respondent_id, vote=vote)
    existing.vote, existing.voted_at = vote, now
    session.add(existing)
    return "ok", statement


async def add_statement(
    session: AsyncSession, topic_id: int, respondent_id: int, text: str, lang: str, now: datetime
) -> OpinionStatement | None:
    """A participant's statement, already redacted, waiting for staff; None if the topic closed."""
    topic = await session.get(OpinionTopic, topic_id)
    if topic is None or topic.status != "open" or not text.strip():
        return None
    statement = OpinionStatement(
        topic_id=topic_id,
        texts=json.dumps({lang: text.strip()[:MAX_STATEMENT]}, ensure_ascii=False),
        status="pending",
        author_id=respondent_id,
        created_at=now,
    )
    session.add(statement)
    return statement


async def moderate(session: AsyncSession, statement_id: int, status: str) -> OpinionStatement:
    """Staff approve or reject a participant's statement (or take an approved one back)."""
    if status not in STATEMENT_STATES:
        raise OpinionError(f"status: one of {', '.join(STATEMENT_STATES)}")
    statement = await session.get(OpinionStatement, statement_id)
    if statement is None:
        raise OpinionError(f"no statement {statement_id}")
    if status == "approved":
        check_sms_length(json.loads(statement.texts), f"statement {statement_id}")
    statement.status = status
    session.add(statement)
    return statement


async def statements_of(
    session: AsyncSession, topic_id: int | None = None, status: str | None = None
) -> list[OpinionStatement]:
    """Statements, oldest first, of one topic and/or in one state (the moderation queue)."""
    query = select(OpinionStatement).order_by(col(OpinionStatement.id))
    if topic_id is not None:
        query = query.where(OpinionStatement.topic_id == topic_id)
    if status is not None:
        query = query.where(OpinionStatement.status == status)
    return list((await session.exec(query)).all())


async def topics(session: AsyncSession, status: str | None = None) -> list[OpinionTopic]:
    query = select(OpinionTopic).order_by(col(OpinionTopic.id).desc())
    if status is not None:
        query = query.where(OpinionTopic.status == status)
    return list((await session.exec(query)).all())
