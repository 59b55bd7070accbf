"""Monthly figures for the dashboard and the public page, counted in SQL and always suppressed.

Cells count distinct respondents (a message whose writer was erased counts as one), every
breakdown goes through `fikir.privacy.suppression`, and staff test traffic (the web simulator and
`fikir chat`) is left out.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable
from dataclasses import dataclass, replace
from typing import Any, cast

from sqlalchemy import ColumnElement, Subquery, and_, exists, func, literal, not_, union_all
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import TEST_CHANNELS
from fikir.privacy.differencing import Family, protect
from fikir.privacy.suppression import SuppressedCounts, safe_count, suppress
from fikir.storage.channel_sql import family_sql
from fikir.storage.figures import (
    effective_tags,
    goal_bits,
    mask,
    profiles_where,
    residual_people,
)
from fikir.storage.models import Feedback, FeedbackTag
from fikir.web.admin.months import Month

SOURCES = ("staff", "respondent", "auto")


def effective(tag: Any) -> ColumnElement[bool]:
    """True for a tag that counts (storage.figures: the highest-ranked source of its message)."""
    counted_tags = effective_tags().subquery("counted_tags")
    return exists().where(
        counted_tags.c.feedback_id == tag.feedback_id, counted_tags.c.goal == tag.goal
    )


def respondent_key() -> ColumnElement[int]:
    return func.coalesce(col(Feedback.respondent_id), -col(Feedback.id))


def channel_family() -> ColumnElement[str]:
    return family_sql(col(Feedback.channel))


def _language() -> ColumnElement[str]:
    return func.coalesce(col(Feedback.language), literal("undisclosed"))


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
    """Largest first, at most `limit` bars and the merged small groups.

    Cells past `limit` are left out, never added to the merged bar: the counts are of people,
    and one person is in several goals (or languages), so a sum of cells counts people twice
    and can pass 100% of those who wrote. The merged bar comes only beside shown cells and
    only when every cell was shown, since then it is exactly the small groups.
    """
    if counts.suppressed:
        return []
    denominator = base or counts.total or 1
    ranked = sorted(counts.shown.items(), key=lambda item: (-item[1], str(item[0])))
    shown, rest = ranked[:limit], ranked[limit:]
    out = [Bar(key, n, n / denominator) for key, n in shown]
    if counts.other and shown and not rest:
        out.append(Bar(None, counts.other, counts.other / denominator))
    return out


def _window(month: Month, tz: str) -> ColumnElement[bool]:
    start, end = month.bounds(tz)
    return and_(col(Feedback.created_at) >= start, col(Feedback.created_at) < end, counted())


async def by_people(session: AsyncSession, pairs: Subquery, k: int) -> SuppressedCounts[Any]:
    """Suppress the distinct people per key of `pairs` (key, person), merged groups counted in
    distinct people: the people of the keys under k are read to decide what merges, and the
    merged bucket is counted again only when a key of k or more had to join it."""
    rows = (
        await session.exec(
            select(pairs.c.key, func.count(func.distinct(pairs.c.person))).group_by(pairs.c.key)
        )
    ).all()
    counts = {key: int(n) for key, n in rows}
    small = [key for key, n in counts.items() if 0 < n < k]
    people: dict[Any, set[int]] = {}
    if small:
        for key, person in (
            await session.exec(
                select(pairs.c.key, pairs.c.person).where(pairs.c.key.in_(small)).distinct()
            )
        ).all():
            people.setdefault(key, set()).add(int(person))

    def union(keys: Collection[Any]) -> int:
        together = set().union(*(people.get(key, set()) for key in keys))
        return max([len(together), *(counts[key] for key in keys if counts[key] >= k)])

    found = suppress(counts, k, union)
    merged = [key for key in counts if counts[key] and key not in found.shown]
    if found.other is not None and any(counts[key] >= k for key in merged):
        exact = (
            await session.exec(
                select(func.count(func.distinct(pairs.c.person))).where(pairs.c.key.in_(merged))
            )
        ).one()
        found = replace(found, other=int(exact))
    return found


def _keyed(key: ColumnElement[Any], where: ColumnElement[bool]) -> Subquery:
    return select(key.label("key"), respondent_key().label("person")).where(where).subquery()


def _profiled(field: str, where: ColumnElement[bool]) -> Subquery:
    """(key, person) with the writer's month profile (storage.figures) as the key."""
    profiles = profiles_where(where, "profiled_rows")
    known = select(
        func.coalesce(profiles.c[field], literal("undisclosed")).label("key"),
        profiles.c.rid.label("person"),
    )
    erased = select(
        func.coalesce(_column(getattr(Feedback, field)), literal("undisclosed")),
        respondent_key(),
    ).where(where, col(Feedback.respondent_id).is_(None))
    return union_all(known, erased).subquery()


async def goal_counts(
    session: AsyncSession, where: ColumnElement[bool], k: int
) -> SuppressedCounts[int]:
    """Distinct respondents per goal under the tags that count, safe beside the month's total.

    A goal with k people may still be hidden: when the month's people minus those of the shown
    goals would be 1..k-1, the smallest goals go (fikir.privacy.differencing).
    """
    tags = effective_tags().subquery("eff")
    pairs = (
        select(tags.c.goal.label("key"), respondent_key().label("person"))
        .join_from(Feedback, tags, tags.c.feedback_id == col(Feedback.id))
        .where(where)
        .subquery()
    )
    found = await by_people(session, pairs, k)
    if found.suppressed or not found.shown:
        return found
    bits = goal_bits(where, respondent_key())
    family = Family("total", frozenset(range(1, 18)), everything=True)

    async def residuals(shown: frozenset[int]) -> dict[Hashable, int]:
        connection = await session.connection()
        [left] = (await connection.execute(residual_people(bits, [(None, mask(shown))]))).one()
        return {family.key: int(left)}

    kept = await protect([family], frozenset(found.shown), found.shown, k, residuals)
    if kept.shown == frozenset(found.shown):
        return found
    # The hidden goals join `other`, which then holds at least one goal of k or more people.
    exact = (
        await session.exec(
            select(func.count(func.distinct(pairs.c.person))).where(
                pairs.c.key.not_in(sorted(kept.shown))
            )
        )
    ).one()
    return SuppressedCounts(
        shown={g: n for g, n in found.shown.items() if g in kept.shown},
        other=int(exact),
        total=found.total,
        k=k,
    )


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
        languages=await by_people(session, _keyed(_language(), where), k),
        regions=await by_people(session, _profiled("region", where), k),
        channels=await by_people(session, _keyed(channel_family(), where), k),
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
