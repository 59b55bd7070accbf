"""One month's figures, counted in SQL with GROUP BY (never by looping over messages in Python).

Goals come from each message's effective tags: the staff or respondent tags when a message has
any, otherwise the automatic ones. Every figure then passes through fikir.privacy.suppression.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Subquery,
    and_,
    case,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased
from sqlmodel import col
from sqlmodel import select as select_models
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.frameworks import Framework
from fikir.digest.document import (
    DIMENSIONS,
    AreaFigure,
    Breakdown,
    Cell,
    DigestDocument,
    GoalFigure,
    PollFigure,
    PollOptionFigure,
    Quote,
    Totals,
    TrendSeries,
)
from fikir.digest.period import Month
from fikir.polls.service import load_view, results
from fikir.privacy.suppression import safe_count, suppress
from fikir.storage.models import Feedback, FeedbackTag, Poll

TREND_MONTHS = 6
LEADING_GOALS = 3
QUOTES_PER_GOAL = 5
QUOTE_CANDIDATES = 40
QUOTE_MIN_CHARS, QUOTE_MAX_CHARS = 20, 320
RISING_POINTS = 0.02  # a goal is "rising" when its share grew by at least 2 points
MAX_RISING = 5
SQLITE_CACHE_KIB = 64 * 1024

_created = col(Feedback.created_at)
_respondent = col(Feedback.respondent_id)
_feedback_id = col(Feedback.id)


def effective_tags() -> Select[Any]:
    """(feedback_id, goal, score), one row per message and goal, chosen tags outranking auto.

    A message with any staff or respondent tag counts with those only; when staff and the
    respondent chose the same goal the staff row stands for both, so (message, goal) is unique
    and messages can be counted with COUNT(*) rather than COUNT(DISTINCT …).
    """
    source, feedback_id, goal = (
        col(FeedbackTag.source),
        col(FeedbackTag.feedback_id),
        col(FeedbackTag.goal),
    )
    overridden = select(feedback_id).where(source != "auto")
    same = aliased(FeedbackTag)
    staff_chose_it_too = (
        select(col(same.id))
        .where(
            col(same.feedback_id) == feedback_id,
            col(same.goal) == goal,
            col(same.source) == "staff",
        )
        .exists()
    )
    return select(
        feedback_id.label("feedback_id"), goal.label("goal"), col(FeedbackTag.score).label("score")
    ).where(
        or_(
            and_(source == "auto", feedback_id.not_in(overridden)),
            source == "staff",
            and_(source != "auto", source != "staff", ~staff_chose_it_too),
        )
    )


def _dimension_key(dimension: str) -> ColumnElement[str]:
    if dimension == "channel":
        # SMS over Twilio and over the Android gateway are one channel to the reader.
        return case(
            (col(Feedback.channel).like("sms%"), literal("sms", String)),
            else_=col(Feedback.channel),
        )
    if dimension == "language":
        return func.coalesce(col(Feedback.language), literal("unknown", String))
    column = getattr(Feedback, dimension)
    return func.coalesce(column, literal("undisclosed", String))


def _ratio(part: int, whole: int | None) -> float | None:
    return None if not whole else part / whole


class MonthAggregator:
    """Runs the month's queries on one connection and folds them into a DigestDocument."""

    def __init__(
        self, conn: AsyncConnection, month: Month, *, tz: str, k: int, framework: Framework
    ) -> None:
        self.conn = conn
        self.month = month
        self.tz = tz
        self.k = k
        self.framework = framework
        self.window = month.back(TREND_MONTHS)
        self.bounds = [m.bounds(tz) for m in self.window]
        self.current = len(self.window) - 1

    async def _rows(self, statement: Select[Any]) -> Sequence[tuple[object, ...]]:
        return (await self.conn.execute(statement)).tuples().all()

    # Totals --------------------------------------------------------------------------------
    async def monthly_totals(self) -> dict[int, tuple[int, int]]:
        """Messages and distinct respondents per window month index.

        One small query per month: each reads its range of the created_at index and needs no
        sort, which at a million rows is cheaper than grouping the whole window at once.
        """
        found: dict[int, tuple[int, int]] = {}
        for index, (start, end) in enumerate(self.bounds):
            rows = await self._rows(
                select(func.count(), func.count(func.distinct(_respondent))).where(
                    _created >= start, _created < end
                )
            )
            messages, people = rows[0]
            if int(str(messages)):
                found[index] = (int(str(messages)), int(str(people)))
        return found

    # Breakdowns ----------------------------------------------------------------------------
    async def breakdown(self, dimension: str) -> Breakdown:
        start, end = self.bounds[self.current]
        inner = (
            select(_dimension_key(dimension).label("key"), _respondent.label("rid"))
            .where(_created >= start, _created < end)
            .subquery()
        )
        rows = await self._rows(
            select(inner.c.key, func.count(), func.count(func.distinct(inner.c.rid))).group_by(
                inner.c.key
            )
        )
        messages = {str(key): int(str(n)) for key, n, _ in rows}
        respondents = {str(key): int(str(r)) for key, _, r in rows}
        safe = suppress(respondents, self.k)
        if safe.suppressed:
            return Breakdown(dimension, (), None, None)
        cells = tuple(
            Cell(key, messages[key], n)
            for key, n in sorted(safe.shown.items(), key=lambda item: (-item[1], item[0]))
        )
        other_messages = sum(messages.values()) - sum(c.messages for c in cells)
        if safe.other is None:
            return Breakdown(dimension, cells, None, None)
        return Breakdown(dimension, cells, other_messages, safe.other)

    # Goals ---------------------------------------------------------------------------------
    def _tagged(self, index: int) -> Subquery:
        """(goal, fid, rid) of every effective tag on a message of window month `index`."""
        start, end = self.bounds[index]
        tags = effective_tags().subquery("eff")
        return (
            select(tags.c.goal, _feedback_id.label("fid"), _respondent.label("rid"))
            .join_from(Feedback, tags, tags.c.feedback_id == _feedback_id)
            .where(_created >= start, _created < end)
            .subquery()
        )

    async def goal_counts(self) -> dict[tuple[int, int], tuple[int, int]]:
        """(month index, goal) -> (messages, distinct respondents) over the trend window.

        A query per month (GROUP BY goal over that month's index range) sorts far fewer rows
        than grouping the whole window by month and goal.
        """
        found: dict[tuple[int, int], tuple[int, int]] = {}
        for index in range(len(self.bounds)):
            tagged = self._tagged(index)
            rows = await self._rows(
                select(
                    tagged.c.goal, func.count(), func.count(func.distinct(tagged.c.rid))
                ).group_by(tagged.c.goal)
            )
            for goal, messages, people in rows:
                found[(index, int(str(goal)))] = (int(str(messages)), int(str(people)))
        return found

    async def area_counts(self) -> dict[tuple[int, int], tuple[int, int]]:
        """(month index, area id) -> (messages, respondents), this month and the one before.

        When every goal belongs to at most one area (as in the signed frameworks) a CASE maps
        goal to area and one GROUP BY counts all areas; otherwise each area gets its own pair
        of conditional distinct counts.
        """
        areas = self.framework.areas
        found: dict[tuple[int, int], tuple[int, int]] = {}
        if not areas:
            return found
        owners = [goal for area in areas for goal in area.goals]
        disjoint = len(owners) == len(set(owners))
        for index in (self.current - 1, self.current):
            tagged = self._tagged(index)
            if disjoint:
                area_of = case(
                    *[(tagged.c.goal.in_(area.goals), literal(area.id)) for area in areas]
                ).label("area")
                inner = select(area_of, tagged.c.fid, tagged.c.rid).subquery()
                rows = await self._rows(
                    select(
                        inner.c.area,
                        func.count(func.distinct(inner.c.fid)),
                        func.count(func.distinct(inner.c.rid)),
                    )
                    .where(inner.c.area.is_not(None))
                    .group_by(inner.c.area)
                )
                for area_id, messages, people in rows:
                    found[(index, int(str(area_id)))] = (int(str(messages)), int(str(people)))
                continue
            columns = []
            for area in areas:
                inside = tagged.c.goal.in_(area.goals)
                columns.append(func.count(func.distinct(case((inside, tagged.c.fid)))))
                columns.append(func.count(func.distinct(case((inside, tagged.c.rid)))))
            [figures] = await self._rows(select(*columns))
            for number, area in enumerate(areas):
                messages, people = figures[2 * number], figures[2 * number + 1]
                found[(index, area.id)] = (int(str(messages)), int(str(people)))
        return found

    async def quote_candidates(
        self, goals: Sequence[int], languages: set[str]
    ) -> dict[int, list[Candidate]]:
        """Each goal's highest-scoring redacted messages this month, best first (one query)."""
        if not languages or not goals:
            return {}
        start, end = self.bounds[self.current]
        tags = effective_tags().subquery("eff")
        length = func.length(col(Feedback.text))
        rank = (
            func.row_number()
            .over(partition_by=tags.c.goal, order_by=(tags.c.score.desc(), _feedback_id))
            .label("rank")
        )
        ranked = (
            select(
                tags.c.goal,
                col(Feedback.text).label("text"),
                col(Feedback.language).label("language"),
                _respondent.label("rid"),
                rank,
            )
            .join_from(Feedback, tags, tags.c.feedback_id == _feedback_id)
            .where(
                _created >= start,
                _created < end,
                tags.c.goal.in_(list(goals)),
                col(Feedback.text).is_not(None),
                _respondent.is_not(None),
                length >= QUOTE_MIN_CHARS,
                length <= QUOTE_MAX_CHARS,
                col(Feedback.language).in_(sorted(languages)),
            )
            .subquery()
        )
        rows = await self._rows(
            select(ranked.c.goal, ranked.c.text, ranked.c.language, ranked.c.rid)
            .where(ranked.c.rank <= QUOTE_CANDIDATES)
            .order_by(ranked.c.goal, ranked.c.rank)
        )
        found: dict[int, list[Candidate]] = {}
        for goal, text, lang, rid in rows:
            quote = Quote(int(str(goal)), str(text), str(lang))
            found.setdefault(quote.goal, []).append(Candidate(quote, int(str(rid))))
        return found


@dataclass(frozen=True)
class Candidate:
    """A possible quote and who wrote it, so that nobody is quoted twice."""

    quote: Quote
    respondent: int


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass
class Quoted:
    """Who and what has been quoted so far in this digest."""

    people: set[int] = field(default_factory=set)
    texts: set[str] = field(default_factory=set)


def pick_quotes(candidates: list[Candidate], quoted: Quoted, limit: int) -> list[Quote]:
    """Up to `limit` quotes from different people, taking languages in turn for variety."""
    by_language: dict[str | None, list[Candidate]] = {}
    for candidate in candidates:
        by_language.setdefault(candidate.quote.language, []).append(candidate)
    chosen: list[Quote] = []
    while len(chosen) < limit and any(by_language.values()):
        for queue in by_language.values():
            if not queue or len(chosen) >= limit:
                continue
            candidate = queue.pop(0)
            text = _fold(candidate.quote.text)
            if candidate.respondent in quoted.people or text in quoted.texts:
                continue
            quoted.people.add(candidate.respondent)
            quoted.texts.add(text)
            chosen.append(candidate.quote)
    return chosen


async def closed_polls(
    session: AsyncSession, start: datetime, end: datetime, k: int
) -> tuple[PollFigure, ...]:
    """Polls that closed during the month, with results suppressed by the polls service."""
    polls = (
        await session.exec(
            select_models(Poll)
            .where(
                col(Poll.status) == "closed",
                col(Poll.closes_at) >= start,
                col(Poll.closes_at) < end,
            )
            .order_by(col(Poll.closes_at), col(Poll.id))
        )
    ).all()
    figures = []
    for poll in polls:
        view = await load_view(session, poll.id or 0)
        if view is None:
            continue
        result = await results(session, view, k)
        options = tuple(
            PollOptionFigure(
                position=index + 1,
                labels=tuple(sorted(labels.items())),
                count=result.counts.shown.get(index),
            )
            for index, labels in enumerate(view.options)
        )
        figures.append(
            PollFigure(
                slug=poll.slug,
                question=tuple(sorted(view.question.items())),
                closed_at=poll.closes_at,
                total=result.counts.total,
                options=options if result.counts.total is not None else (),
                other=result.counts.other,
            )
        )
    return tuple(figures)


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
        return await _aggregate(session, conn, month, tz=tz, k=k, framework=framework, now=now)


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
        )  # fmt: skip

    breakdowns = tuple([await agg.breakdown(d) for d in DIMENSIONS])
    counts = await agg.goal_counts()

    def share(index: int, goal: int) -> float | None:
        messages, respondents = counts.get((index, goal), (0, 0))
        if safe_count(respondents, k) is None:
            return None
        return _ratio(messages, denominators.get(index))

    shown = [
        (goal, messages, respondents)
        for (index, goal), (messages, respondents) in counts.items()
        if index == cur and safe_count(respondents, k) is not None
    ]
    shown.sort(key=lambda item: (-item[1], item[0]))
    goals = tuple(
        GoalFigure(
            goal=goal,
            rank=rank,
            messages=messages,
            respondents=respondents,
            share=messages / (totals.messages or 1),
            previous_share=share(prev, goal),
        )
        for rank, (goal, messages, respondents) in enumerate(shown, start=1)
    )
    trend = []
    for goal in sorted({g for (_, g) in counts}):
        series = tuple(share(index, goal) for index in range(len(agg.window)))
        if any(value is not None for value in series):
            trend.append(TrendSeries(goal, series))
    risers = [g for g in goals if g.change is not None and g.change >= RISING_POINTS - 1e-9]
    risers.sort(key=lambda g: (-(g.change or 0.0), g.goal))

    area_counts = await agg.area_counts()

    def area_share(index: int, area: int) -> tuple[int | None, int | None, float | None]:
        messages, respondents = area_counts.get((index, area), (0, 0))
        if safe_count(respondents, k) is None:
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
    quoted = Quoted()
    quotes: list[Quote] = []
    leading = [figure.goal for figure in goals[:LEADING_GOALS]]
    candidates = await agg.quote_candidates(leading, quotable)
    for goal in leading:
        quotes.extend(pick_quotes(candidates.get(goal, []), quoted, QUOTES_PER_GOAL))

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
        quotes=tuple(quotes),
    )
