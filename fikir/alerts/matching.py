"""Which new messages an alert counts: people's (test channels left out), not safety-flagged
(those have their own queue), with a goal that counts (storage.figures) and the region asked for.

Only counts leave this module, and a count of fewer than k people is never given as a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func
from sqlalchemy import select as sa_select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import TEST_CHANNELS
from fikir.digest.safety_count import flagged
from fikir.storage.figures import effective_tags
from fikir.storage.models import Feedback


@dataclass(frozen=True)
class Tally:
    """New messages and their writers for one subscription; `people` None when under k."""

    messages: int
    people: int | None

    @property
    def any(self) -> bool:
        return self.messages > 0


@dataclass(frozen=True)
class Hit:
    """One message that matched: when, whose (a person key, never shown), where, which goal."""

    message: int
    at: datetime
    person: int
    region: str | None
    goal: int | None  # None: a message with no goal, counted for "any goal in a region"


def person_key() -> ColumnElement[int]:
    """A writer, or the message itself when its writer was erased (counts as one person)."""
    return func.coalesce(col(Feedback.respondent_id), -col(Feedback.id))


def counted_messages(start: datetime, end: datetime) -> ColumnElement[bool]:
    """Messages from people in [start, end): no test traffic, nothing safety-flagged."""
    return and_(
        col(Feedback.created_at) >= start,
        col(Feedback.created_at) < end,
        col(Feedback.channel).not_in(TEST_CHANNELS),
        ~flagged(col(Feedback.id)),
    )


async def hits(
    session: AsyncSession, start: datetime, end: datetime, goal: int | None, region: str | None
) -> list[Hit]:
    """Every (message, goal) in [start, end) on `goal` (any when None, untagged messages too)
    in `region` (any when None)."""
    tags = effective_tags().subquery("alert_tags")
    where = [counted_messages(start, end)]
    if goal is not None:
        where.append(tags.c.goal == goal)
    if region is not None:
        where.append(col(Feedback.region) == region)
    statement = (
        sa_select(
            col(Feedback.id),
            col(Feedback.created_at),
            person_key(),
            col(Feedback.region),
            tags.c.goal,
        )
        # With any goal, a message the tagger found no goal in still counts for its region.
        .join_from(Feedback, tags, tags.c.feedback_id == col(Feedback.id), isouter=goal is None)
        .where(*where)
    )
    rows = (await (await session.connection()).execute(statement)).all()
    return [
        Hit(int(m or 0), at, int(p), place, None if g is None else int(g))
        for m, at, p, place, g in rows
    ]


def tally(found: list[Hit], k: int) -> Tally:
    """Messages and people of `found` (a message with two goals counts once), people hidden
    below k, and then the messages too: with few writers their number says too much."""
    messages = {hit.message for hit in found}
    people = {hit.person for hit in found}
    if len(people) < k:
        return Tally(len(messages), None)
    return Tally(len(messages), len(people))
