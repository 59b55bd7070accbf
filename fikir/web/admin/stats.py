"""Monthly figures for the dashboard and the public page, counted in SQL and always suppressed.

Cells count distinct respondents (a message whose writer was erased counts as one), every
breakdown goes through `fikir.privacy.suppression`, and staff test traffic (the web simulator and
`fikir chat`) is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, case, exists, func, literal, not_
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import TEST_CHANNELS
from fikir.privacy.suppression import SuppressedCounts, safe_count, suppress
from fikir.storage.models import Feedback, FeedbackTag
from fikir.web.admin.months import Month

SOURCES = ("staff", "respondent", "auto")


def source_rank(source: Any) -> ColumnElement[int]:
    """Staff tags outrank a respondent's own choice, which outranks the tagger."""
    return case((source == "staff", 3), (source == "respondent", 2), else_=1)


def effective(tag: Any) -> ColumnElement[bool]:
    """True for a tag no higher-ranked tag of the same message overrides."""
    other = aliased(FeedbackTag)
    return not_(
        exists().where(
            col(other.feedback_id) == tag.feedback_id,
            source_rank(col(other.source)) > source_rank(tag.source),
        )
    )


def respondent_key() -> ColumnElement[int]:
    return func.coalesce(col(Feedback.respondent_id), -col(Feedback.id))


def channel_family() -> ColumnElement[str]:
    return case((col(Feedback.channel).like("sms%"), literal("sms")), else_=col(Feedback.channel))


def _column(attribute: Any) -> ColumnElement[Any]:
    return cast(ColumnElement[Any], col(attribute))


def counted() -> ColumnElement[bool]:
    return col(Feedback.channel).not_in(TEST_CHANNELS)


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: `key` is None for the merged small cells."""

    key: str | int | None
    count: int
    share: float


@dataclass(frozen=True)
class Overview:
    """One month at a glance; `None` figures are hidden because they are under k."""

    month: Month
    respondents: int | None
    messages: int | None
    goals: SuppressedCounts[int]
    languages: SuppressedCounts[str]
    regions: SuppressedCounts[str]
    channels: SuppressedCounts[str]


def bars(counts: SuppressedCounts[Any], base: int | None = None, limit: int = 17) -> list[Bar]:
    """Largest first; cells past `limit` join the merged remainder, which stays at least k."""
    if counts.suppressed:
        return []
    denominator = base or counts.total or 1
    ranked = sorted(counts.shown.items(), key=lambda item: (-item[1], str(item[0])))
    shown, rest = ranked[:limit], ranked[limit:]
    out = [Bar(key, n, n / denominator) for key, n in shown]
    other = (counts.other or 0) + sum(n for _, n in rest)
    if other:
        out.append(Bar(None, other, other / denominator))
    return out


def _window(month: Month, tz: str) -> ColumnElement[bool]:
    start, end = month.bounds(tz)
    return and_(col(Feedback.created_at) >= start, col(Feedback.created_at) < end, counted())


async def _breakdown(
    session: AsyncSession, column: ColumnElement[Any], where: ColumnElement[bool], k: int
) -> SuppressedCounts[str]:
    rows = (
        await session.exec(
            select(column, func.count(func.distinct(respondent_key())))
            .where(where)
            .group_by(column)
        )
    ).all()
    return suppress({str(value or "undisclosed"): int(n) for value, n in rows}, k)


async def goal_counts(
    session: AsyncSession, where: ColumnElement[bool], k: int
) -> SuppressedCounts[int]:
    """Distinct respondents per goal, each message counted under its effective tags."""
    tag = aliased(FeedbackTag)
    rows = (
        await session.exec(
            select(col(tag.goal), func.count(func.distinct(respondent_key())))
            .join(tag, col(tag.feedback_id) == col(Feedback.id))
            .where(where, effective(tag))
            .group_by(col(tag.goal))
        )
    ).all()
    return suppress({int(goal): int(n) for goal, n in rows}, k)


async def overview(session: AsyncSession, month: Month, tz: str, k: int) -> Overview:
    where = _window(month, tz)
    respondents, messages = (
        await session.exec(
            select(func.count(func.distinct(respondent_key())), func.count()).where(where)
        )
    ).one()
    shown_respondents = safe_count(int(respondents), k)
    # A message may carry several goals, so goal cells can add up past k even when fewer than
    # k people wrote: with too few respondents, no goal figure is shown at all.
    goals = await goal_counts(session, where, k) if shown_respondents else suppress({}, k)
    return Overview(
        month=month,
        respondents=shown_respondents,
        messages=int(messages) if shown_respondents is not None else None,
        goals=goals,
        languages=await _breakdown(session, _column(Feedback.language), where, k),
        regions=await _breakdown(session, _column(Feedback.region), where, k),
        channels=await _breakdown(session, channel_family(), where, k),
    )


async def leading_goals(
    session: AsyncSession, month: Month, tz: str, k: int
) -> tuple[int | None, SuppressedCounts[int]]:
    """Respondents in the month (None under k) and their goals, for the public page."""
    where = _window(month, tz)
    respondents = (
        await session.exec(select(func.count(func.distinct(respondent_key()))).where(where))
    ).one()
    shown = safe_count(int(respondents), k)
    return shown, await goal_counts(session, where, k) if shown else suppress({}, k)


def has_source(source: str) -> ColumnElement[bool]:
    tag = aliased(FeedbackTag)
    return exists().where(col(tag.feedback_id) == col(Feedback.id), col(tag.source) == source)


def has_goal(goals: tuple[int, ...]) -> ColumnElement[bool]:
    """The message's effective tags include one of these goals."""
    tag = aliased(FeedbackTag)
    return exists().where(
        col(tag.feedback_id) == col(Feedback.id), col(tag.goal).in_(goals), effective(tag)
    )


def untagged() -> ColumnElement[bool]:
    tag = aliased(FeedbackTag)
    return not_(exists().where(col(tag.feedback_id) == col(Feedback.id)))
