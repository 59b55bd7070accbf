"""One month's figures, counted in SQL with GROUP BY (never by looping over messages in Python).

Goals come from each message's effective tags: the staff or respondent tags when a message has
any, otherwise the automatic ones. Every figure then passes through fikir.privacy.suppression.

SQLite has no hash aggregation: every GROUP BY is a sort and every COUNT(DISTINCT …) a B-tree
insert per row, and at a million messages those are what a digest costs. So each month is read
in statements of its own (sorts stay one month long), each as few times as its figures allow
(this month's dimensions in one statement, a month's goals and priority areas in another), and
respondents are counted in full only where the digest shows them. Elsewhere (the trend months,
the previous month's goals and areas) suppression only asks whether a figure has k respondents,
and on SQLite that is answered by counting them up to k, which stops after a few rows.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.frameworks import Framework
from fikir.config.population import load_population
from fikir.digest.closed_polls import closed_polls
from fikir.digest.closed_surveys import closed_surveys
from fikir.digest.concepts import default_concepts
from fikir.digest.document import (
    DIMENSIONS,
    AreaFigure,
    Breakdown,
    DigestDocument,
    GoalFigure,
    Totals,
    TrendSeries,
)
from fikir.digest.honest import is_rising, tied_ranks, usual_level
from fikir.digest.month_breakdowns import BreakdownQueries
from fikir.digest.month_goals import GoalQueries
from fikir.digest.month_queries import (
    LEADING_GOALS,
    MAX_RISING,
    SQLITE_CACHE_KIB,
    _int,
    _ratio,
    _respondent,
)
from fikir.digest.month_regions import RegionQueries
from fikir.digest.month_themes import themes_and_quotes
from fikir.digest.opinion_maps import month_opinion_maps
from fikir.digest.period import Month
from fikir.digest.representation import population_source, representation
from fikir.digest.safety_count import safety_figure
from fikir.digest.updates import month_updates
from fikir.privacy.suppression import safe_count


class MonthAggregator(GoalQueries, BreakdownQueries, RegionQueries):
    """Runs the month's queries on one connection and folds them into a DigestDocument.

    `capped` (the default on SQLite) counts the respondents of figures that are only compared
    with k no further than k. PostgreSQL counts distinct values by hashing and would gain
    nothing, so there every count is exact.
    """

    # Totals --------------------------------------------------------------------------------
    async def monthly_totals(self) -> dict[int, tuple[int, int]]:
        """Messages and distinct respondents per window month index (absent when no messages).

        One small query per month, each reading its range of the created_at index. This month's
        and the previous month's respondents are shown; the earlier months' only decide whether
        their trend shares are, so with `capped` they are counted up to k.
        """
        found: dict[int, tuple[int, int]] = {}
        for index in range(len(self.bounds)):
            in_month = self._in_month(index)
            people: ColumnElement[Any] | ScalarSelect[Any]
            if self.capped and index < self.current - 1:
                people = self._at_most_k(select(_respondent).where(in_month))
            else:
                people = func.count(func.distinct(_respondent))
            [(messages, respondents)] = await self._rows(
                select(func.count(), people).where(in_month)
            )
            if _int(messages):
                found[index] = (_int(messages), _int(respondents))
        return found


async def aggregate_month(
    session: AsyncSession,
    month: Month,
    *,
    tz: str,
    k: int,
    framework: Framework,
    now: datetime,
) -> DigestDocument:
    """Count the month in SQL and return its suppressed figures."""
    conn = await session.connection()
    async with _sqlite_tuned(conn):
        doc = await _aggregate(session, conn, month, tz=tz, k=k, framework=framework, now=now)
    return replace(doc, safety=await safety_figure(session, doc.start, doc.end, k))


@asynccontextmanager
async def _sqlite_tuned(conn: AsyncConnection) -> AsyncIterator[None]:
    """A bigger page cache and in-memory sorting for this connection while the month is counted.

    SQLite's default 2 MB cache re-reads index pages from the OS for every lookup of a
    million-row month; the settings are put back so the pooled connection is left as it was.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    cache = (await conn.exec_driver_sql("PRAGMA cache_size")).scalar()
    temp = (await conn.exec_driver_sql("PRAGMA temp_store")).scalar()
    await conn.exec_driver_sql(f"PRAGMA cache_size={-SQLITE_CACHE_KIB}")
    await conn.exec_driver_sql("PRAGMA temp_store=MEMORY")
    try:
        yield
    finally:
        await conn.exec_driver_sql(f"PRAGMA cache_size={int(str(cache))}")
        await conn.exec_driver_sql(f"PRAGMA temp_store={int(str(temp))}")


async def _aggregate(
    session: AsyncSession,
    conn: AsyncConnection,
    month: Month,
    *,
    tz: str,
    k: int,
    framework: Framework,
    now: datetime,
) -> DigestDocument:
    agg = MonthAggregator(conn, month, tz=tz, k=k, framework=framework)
    cur, prev = agg.current, agg.current - 1
    start, end = agg.bounds[cur]

    monthly = await agg.monthly_totals()
    # A month's total is shown only when it holds at least k respondents.
    denominators: dict[int, int | None] = {
        index: (n if safe_count(r, k) is not None else None) for index, (n, r) in monthly.items()
    }
    totals = Totals(
        messages=denominators.get(cur),
        respondents=safe_count(monthly.get(cur, (0, 0))[1], k),
        previous_messages=denominators.get(prev),
        previous_respondents=safe_count(monthly.get(prev, (0, 0))[1], k),
    )
    if totals.respondents is None:
        return DigestDocument(
            month=str(month), start=start, end=end, timezone=tz, generated_at=now, k=k,
            framework=framework, totals=totals,
            breakdowns=tuple(Breakdown(d, (), None, None) for d in DIMENSIONS),
            goals=(), trend_months=tuple(str(m) for m in agg.window), trend=(), areas=(),
            rising=(), polls=await closed_polls(session, start, end, k), quotes=(),
            updates=await month_updates(session, start, end, k),
            surveys=await closed_surveys(session, start, end, k),
            opinions=await month_opinion_maps(session, start, end, k),
        )  # fmt: skip

    breakdowns = await agg.breakdowns()
    counts, area_counts = await agg.tag_counts({index: n for index, (n, _) in monthly.items()})

    # This month's and last month's goals are published beside their totals and areas.
    protected = {
        index: await agg.protected_goals(index, counts, area_counts)
        for index in (prev, cur)
        if denominators.get(index) is not None
    }

    def share(index: int, goal: int) -> float | None:
        messages, respondents = counts.get((index, goal), (0, 0))
        if safe_count(respondents, k) is None:
            return None
        if index in (prev, cur) and (index not in protected or goal not in protected[index].shown):
            return None
        return _ratio(messages, denominators.get(index))

    shown = [
        (goal, messages, respondents)
        for (index, goal), (messages, respondents) in counts.items()
        if index == cur and goal in protected[cur].shown
    ]
    shown.sort(key=lambda item: (-item[1], item[0]))
    # Equal shares share a rank (honest.tied_ranks); a goal's usual level is its earlier months.
    usual = {goal: usual_level([share(i, goal) for i in range(cur)]) for goal, _, _ in shown}
    figures = []
    for rank, (goal, written, people) in zip(
        tied_ranks([m for _, m, _ in shown]), shown, strict=True
    ):
        level = usual[goal]
        figures.append(
            GoalFigure(
                goal=goal, rank=rank, messages=written, respondents=people,
                share=written / (totals.messages or 1), previous_share=share(prev, goal),
                usual_share=None if level is None else level.mean,
                usual_spread=None if level is None else level.spread,
            )
        )  # fmt: skip
    goals = tuple(figures)
    trend = []
    for goal in sorted({g for (_, g) in counts}):
        series = tuple(share(index, goal) for index in range(len(agg.window)))
        if any(value is not None for value in series):
            trend.append(TrendSeries(goal, series))
    risers = [g for g in goals if is_rising(g.share, usual[g.goal])]
    risers.sort(key=lambda g: (-(g.share - (g.usual_share or 0.0)), g.goal))

    def area_share(index: int, area: int) -> tuple[int | None, int | None, float | None]:
        messages, respondents = area_counts.get((index, area), (0, 0))
        if safe_count(respondents, k) is None or index not in protected:
            return None, None, None
        if area in protected[index].hidden_parents:
            return None, None, None
        return messages, respondents, _ratio(messages, denominators.get(index))

    areas = []
    for area in framework.areas:
        messages, respondents, now_share = area_share(cur, area.id)
        areas.append(
            AreaFigure(
                area=area.id, goals=area.goals, names=area.names, messages=messages,
                respondents=respondents, share=now_share,
                previous_share=area_share(prev, area.id)[2],
            )
        )  # fmt: skip

    # Quotes name their language, so only languages shown in the breakdown may be quoted.
    quotable = {c.key for c in breakdowns[DIMENSIONS.index("language")].cells} - {"unknown"}
    # Themes and quotes: fikir.digest.month_themes (one quote rule, docs/digest-schema.md).
    leading = [figure.goal for figure in goals[:LEADING_GOALS]]
    themes, quotes = await themes_and_quotes(agg, leading, quotable, default_concepts())

    return DigestDocument(
        month=str(month),
        start=start,
        end=end,
        timezone=tz,
        generated_at=now,
        k=k,
        framework=framework,
        totals=totals,
        breakdowns=breakdowns,
        goals=goals,
        trend_months=tuple(str(m) for m in agg.window),
        trend=tuple(trend),
        areas=tuple(areas),
        rising=tuple(g.goal for g in risers[:MAX_RISING]),
        polls=await closed_polls(session, start, end, k),
        surveys=await closed_surveys(session, start, end, k),
        quotes=quotes,
        themes=themes,
        updates=await month_updates(session, start, end, k),
        regions=await agg.region_figures(
            breakdowns[DIMENSIONS.index("region")], (g.goal for g in goals)
        ),
        representation=representation(breakdowns, load_population()),
        population=population_source(load_population()),
        opinions=await month_opinion_maps(session, start, end, k),
    )
