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

from collections.abc import AsyncIterator, Collection, Hashable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    CompoundSelect,
    Integer,
    ScalarSelect,
    Select,
    String,
    Subquery,
    and_,
    column,
    func,
    literal,
    select,
    union_all,
    values,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import TEST_CHANNELS
from fikir.config.frameworks import Framework, PriorityArea
from fikir.config.sdgs import GOAL_NUMBERS
from fikir.digest.closed_polls import closed_polls
from fikir.digest.document import (
    DIMENSIONS,
    AreaFigure,
    Breakdown,
    Cell,
    DigestDocument,
    GoalFigure,
    Quote,
    Totals,
    TrendSeries,
)
from fikir.digest.period import Month
from fikir.digest.quotes import Candidate, Quoted, pick_quotes
from fikir.digest.safety_count import flagged, safety_figure
from fikir.digest.updates import month_updates
from fikir.privacy.differencing import Family, Protected, protect
from fikir.privacy.suppression import safe_count, suppress
from fikir.storage.channel_sql import family_sql
from fikir.storage.figures import (
    answered,
    effective_tags,
    goal_bits,
    mask,
    month_profiles,
    residual_people,
)
from fikir.storage.models import AwareDateTime, Feedback

TREND_MONTHS = 6
LEADING_GOALS = 3
QUOTES_PER_GOAL = 5
QUOTE_CANDIDATES = 40
QUOTE_MIN_CHARS, QUOTE_MAX_CHARS = 20, 320
RISING_POINTS = 0.02  # a goal is "rising" when its share grew by at least 2 points
MAX_RISING = 5
SQLITE_CACHE_KIB = 64 * 1024

_created = col(Feedback.created_at)
_from_people = col(Feedback.channel).not_in(TEST_CHANNELS)
_respondent = col(Feedback.respondent_id)
_feedback_id = col(Feedback.id)

Counts = dict[tuple[int, int], tuple[int, int]]  # (month index, goal or area) -> (messages, people)
# On SQLite the goals and areas of a month that is not shown have their respondents counted up to
# k when it has at least CAPPED_FROM_MESSAGES messages (a smaller one costs little to count in
# full), except figures under RARE_MESSAGES * k messages, which are counted in full.
CAPPED_FROM_MESSAGES = 50_000
RARE_MESSAGES = 64


@dataclass(frozen=True)
class PendingFigure:
    """One goal's or area's entry in `counts`, whose respondents are still to be counted."""

    counts: Counts
    key: tuple[int, int]
    goals: tuple[int, ...]

    @property
    def messages(self) -> int:
        return self.counts[self.key][0]

    def record(self, respondents: int) -> None:
        self.counts[self.key] = (self.messages, respondents)


def _dimension_key(dimension: str) -> ColumnElement[str]:
    if dimension == "channel":
        # SMS over Twilio and over the Android gateway are one channel to the reader.
        return family_sql(col(Feedback.channel))
    if dimension == "language":
        return func.coalesce(col(Feedback.language), literal("unknown", String))
    return func.coalesce(getattr(Feedback, dimension), literal("undisclosed", String))


def _ratio(part: int, whole: int | None) -> float | None:
    return None if not whole else part / whole


def _int(value: object) -> int:
    return int(str(value))


class MonthAggregator:
    """Runs the month's queries on one connection and folds them into a DigestDocument.

    `capped` (the default on SQLite) counts the respondents of figures that are only compared
    with k no further than k. PostgreSQL counts distinct values by hashing and would gain
    nothing, so there every count is exact.
    """

    def __init__(
        self,
        conn: AsyncConnection,
        month: Month,
        *,
        tz: str,
        k: int,
        framework: Framework,
        capped: bool | None = None,
    ) -> None:
        self.conn = conn
        self.month = month
        self.tz = tz
        self.k = k
        self.framework = framework
        self.capped = conn.dialect.name == "sqlite" if capped is None else capped
        self.window = month.back(TREND_MONTHS)
        self.bounds = [m.bounds(tz) for m in self.window]
        self.current = len(self.window) - 1

    async def _rows(
        self, statement: Select[Any] | CompoundSelect[Any]
    ) -> Sequence[tuple[object, ...]]:
        return (await self.conn.execute(statement)).tuples().all()

    def _in_month(self, index: int) -> ColumnElement[bool]:
        """Messages of window month `index` that people sent (staff's tries are not counted)."""
        start, end = self.bounds[index]
        return and_(_created >= start, _created < end, _from_people)

    def _at_most_k(self, respondents: Select[Any]) -> ScalarSelect[Any]:
        """How many distinct respondents `respondents` yields, counted no further than k.

        That is the exact count when it is under k and k otherwise, so `safe_count` decides as
        it would on the full count; SQLite stops reading as soon as k have been found.
        """
        first = respondents.where(_respondent.is_not(None)).distinct().limit(self.k).subquery()
        return select(func.count()).select_from(first).scalar_subquery()

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

    # Breakdowns ----------------------------------------------------------------------------
    async def breakdowns(self) -> tuple[Breakdown, ...]:
        """Messages and respondents by every dimension, from two reads of the month's rows.

        Channel and language are a message's own; region, age band and gender are its writer's
        month profile (storage.figures), so those are counted from one row per person. A
        merged `other` is measured in distinct people: a person writes in one channel and has
        one profile, but may write in several languages, so the people of the languages under
        k are read (a few rows each) to decide what merges, and only when a language of k or
        more had to join is the merged bucket counted again in SQL.
        """
        per_message = ("channel", "language")
        month_rows = (
            select(
                *[_dimension_key(d).label(d) for d in DIMENSIONS],
                _respondent.label("rid"),
                _feedback_id.label("fid"),
                answered().label("answered"),
            )
            .where(self._in_month(self.current))
            .cte("month_rows")
        )
        parts: list[Select[Any]] = [
            select(
                literal(d, String).label("dimension"),
                month_rows.c[d].label("key"),
                func.count().label("messages"),
                func.count(func.distinct(month_rows.c.rid)).label("respondents"),
            ).group_by(month_rows.c[d])
            for d in per_message
        ]
        profiles = month_profiles(month_rows)
        for d in DIMENSIONS:
            if d in per_message:
                continue
            value = func.coalesce(profiles.c[d], literal("undisclosed", String))
            parts.append(
                select(
                    literal(d, String), value, func.sum(profiles.c.messages), func.count()
                ).group_by(value)
            )
            # Messages whose writer was erased keep their own snapshot and count nobody.
            parts.append(
                select(literal(d, String), month_rows.c[d], func.count(), literal(0))
                .where(month_rows.c.rid.is_(None))
                .group_by(month_rows.c[d])
            )
        rows = await self._rows(union_all(*parts))
        by_dimension: dict[str, dict[str, tuple[int, int]]] = {d: {} for d in DIMENSIONS}
        for dimension, key, messages, respondents in rows:
            before = by_dimension[str(dimension)].get(str(key), (0, 0))
            by_dimension[str(dimension)][str(key)] = (
                before[0] + _int(messages),
                before[1] + _int(respondents),
            )
        small = {
            d: sorted(key for key, (_, r) in cells.items() if r < self.k)
            for d, cells in by_dimension.items()
        }
        people: dict[tuple[str, str], set[int]] = {}
        lookups = [
            select(literal(d, String), month_rows.c[d], month_rows.c.rid)
            .where(month_rows.c[d].in_(keys), month_rows.c.rid.is_not(None))
            .distinct()
            for d, keys in small.items()
            if keys and d == "language"
        ]
        if lookups:
            for dimension, key, rid in await self._rows(union_all(*lookups)):
                people.setdefault((str(dimension), str(key)), set()).add(_int(rid))
        found = []
        for d in DIMENSIONS:
            merged, breakdown = self._breakdown(d, by_dimension[d], people)
            if (
                d == "language"
                and breakdown.other_respondents is not None
                and any(by_dimension[d][key][1] >= self.k for key in merged)
            ):
                [(exact,)] = await self._rows(
                    select(func.count(func.distinct(month_rows.c.rid))).where(
                        month_rows.c[d].in_(sorted(merged))
                    )
                )
                breakdown = replace(breakdown, other_respondents=_int(exact))
            found.append(breakdown)
        return tuple(found)

    def _breakdown(
        self,
        dimension: str,
        counts: Mapping[str, tuple[int, int]],
        people: Mapping[tuple[str, str], set[int]],
    ) -> tuple[set[str], Breakdown]:
        """The suppressed breakdown and its merged keys; `other` exact unless a large key joined.

        Merging only compares a union with k: one with a group of k or more is at least that
        group, so its lower bound decides as well as its exact size would.
        """
        messages = {key: n for key, (n, _) in counts.items()}

        def union(keys: Collection[str]) -> int:
            if dimension != "language":  # one channel and one profile per person: disjoint
                return sum(counts[key][1] for key in keys)
            large = [counts[key][1] for key in keys if counts[key][1] >= self.k]
            together = set().union(*(people.get((dimension, key), set()) for key in keys))
            return max([len(together), *large])

        safe = suppress({key: r for key, (_, r) in counts.items()}, self.k, union)
        if safe.suppressed:
            return set(), Breakdown(dimension, (), None, None)
        cells = tuple(
            Cell(key, messages[key], n)
            for key, n in sorted(safe.shown.items(), key=lambda item: (-item[1], item[0]))
        )
        if safe.other is None:
            return set(), Breakdown(dimension, cells, None, None)
        merged = {key for key, n in messages.items() if n and key not in safe.shown}
        other_messages = sum(messages[key] for key in merged)
        return merged, Breakdown(dimension, cells, other_messages, safe.other)

    # Goals and priority areas --------------------------------------------------------------
    def _tagged(self, index: int, *, respondents: bool) -> Select[Any]:
        """(goal, fid[, rid]) of every effective tag on a message of window month `index`.

        Without `respondents` it reads only indexes, not the feedback rows themselves.
        """
        tags = effective_tags().subquery()
        columns = [tags.c.goal, _feedback_id.label("fid")]
        if respondents:
            columns.append(_respondent.label("rid"))
        return (
            select(*columns)
            .join_from(Feedback, tags, tags.c.feedback_id == _feedback_id)
            .where(self._in_month(index))
        )

    async def tag_counts(self, messages: Mapping[int, int]) -> tuple[Counts, Counts]:
        """(month index, goal) and (month index, area id) -> (messages, respondents).

        Goals over the whole trend window, priority areas this month and the month before. A
        month's goals and areas come from one statement, so its tags are read once, and each
        month has its own, so that every sort stays one month long. A message counts once in an
        area however many of the area's goals it has. Respondents are exact for this month;
        with `capped`, those of the other months with at least CAPPED_FROM_MESSAGES messages
        (`messages`: the monthly totals) are counted up to k afterwards (`_cap_respondents`).
        """
        goals: Counts = {}
        areas: Counts = {}
        capped: set[int] = set()
        for index in range(len(self.bounds)):
            shown_areas = self.framework.areas if index >= self.current - 1 else ()
            if (
                self.capped
                and index != self.current
                and messages.get(index, 0) >= CAPPED_FROM_MESSAGES
            ):
                capped.add(index)
            if index in capped:
                await self._month_messages(index, shown_areas, goals, areas)
            else:
                await self._month_figures(index, shown_areas, goals, areas)
        if capped:
            await self._cap_respondents(goals, areas, capped)
        return goals, areas

    async def _month_figures(
        self,
        index: int,
        areas: Sequence[PriorityArea],
        goal_counts: Counts,
        area_counts: Counts,
    ) -> None:
        """Month `index`'s messages and respondents per goal and per area, in one statement."""
        tagged = self._tagged(index, respondents=True)
        source: CTE | Subquery = tagged.cte("tagged") if areas else tagged.subquery("tagged")
        people = func.count(func.distinct(source.c.rid))
        parts = [
            select(
                literal("goal", String).label("kind"),
                source.c.goal.label("key"),
                func.count().label("messages"),
                people.label("respondents"),
            ).group_by(source.c.goal)
        ]
        parts.extend(
            select(
                literal("area", String),
                literal(area.id),
                func.count(func.distinct(source.c.fid)),
                people,
            ).where(source.c.goal.in_(area.goals))
            for area in areas
        )
        statement = union_all(*parts) if len(parts) > 1 else parts[0]
        for kind, key, messages, respondents in await self._rows(statement):
            counts = goal_counts if kind == "goal" else area_counts
            counts[(index, _int(key))] = (_int(messages), _int(respondents))

    async def _month_messages(
        self,
        index: int,
        areas: Sequence[PriorityArea],
        goal_counts: Counts,
        area_counts: Counts,
    ) -> None:
        """Month `index`'s messages per goal and per area, in one statement.

        Respondents are left at the number of messages, never fewer, for `_cap_respondents` to
        replace; so the feedback rows themselves are not read, and without respondents a
        filtered count per goal of the catalogue (no other goal can be tagged) and per area
        is one pass with no sort, which SQLite runs faster than a GROUP BY.
        """
        tagged = self._tagged(index, respondents=False).subquery("tagged")
        per_goal = [func.count().filter(tagged.c.goal == goal) for goal in GOAL_NUMBERS]
        per_area = [
            func.count(func.distinct(tagged.c.fid)).filter(tagged.c.goal.in_(area.goals))
            for area in areas
        ]
        [row] = await self._rows(select(*per_goal, *per_area))
        for goal, messages in zip(GOAL_NUMBERS, row[: len(per_goal)], strict=True):
            if _int(messages):
                goal_counts[(index, goal)] = (_int(messages), _int(messages))
        for area, messages in zip(areas, row[len(per_goal) :], strict=True):
            area_counts[(index, area.id)] = (_int(messages), _int(messages))

    async def _cap_respondents(self, goals: Counts, areas: Counts, months: set[int]) -> None:
        """Count the respondents of the figures of `months` as far as comparing them with k needs.

        A figure with fewer than k messages has fewer than k respondents and is hidden as it
        stands. One with fewer than RARE_MESSAGES * k messages is counted exactly: finding k of
        its respondents could mean reading most of its month, so each month's small figures are
        counted together, in one read of it. The others are counted up to k, in a few rows each.
        """
        covers = {area.id: area.goals for area in self.framework.areas}
        figures = [PendingFigure(goals, key, (key[1],)) for key in goals]
        figures += [PendingFigure(areas, key, covers[key[1]]) for key in areas]
        small: dict[int, list[PendingFigure]] = {}
        large: list[PendingFigure] = []
        for figure in figures:
            index, messages = figure.key[0], figure.messages
            if index not in months or messages < self.k:
                continue
            if messages < RARE_MESSAGES * self.k:
                small.setdefault(index, []).append(figure)
            else:
                large.append(figure)
        for index, in_month in small.items():
            await self._count_exactly(index, in_month)
        if large:
            await self._count_up_to_k(large)

    async def _count_exactly(self, index: int, figures: Sequence[PendingFigure]) -> None:
        """The distinct respondents of several figures of month `index`, in one read of it."""
        tags = effective_tags().subquery()
        on_any = sorted({goal for figure in figures for goal in figure.goals})
        people = [
            func.count(func.distinct(_respondent)).filter(tags.c.goal.in_(figure.goals))
            for figure in figures
        ]
        [row] = await self._rows(
            select(*people)
            .join_from(Feedback, tags, tags.c.feedback_id == _feedback_id)
            .where(self._in_month(index), tags.c.goal.in_(on_any))
        )
        for figure, exact in zip(figures, row, strict=True):
            figure.record(_int(exact))

    async def _count_up_to_k(self, figures: Sequence[PendingFigure]) -> None:
        """The respondents of each figure counted up to k, all figures in one statement.

        The figures are rows of VALUES (their month's bounds, their goals as a bit set), and
        for each a correlated subquery reads that month's tags on those goals until it has k
        distinct respondents (`_at_most_k`).
        """
        when = AwareDateTime()
        listed = (
            values(
                column("number", Integer),
                column("start", when),
                column("end", when),
                column("goal_bits", Integer),
                name="figure",
            )
            .data(
                [
                    (number, *self.bounds[figure.key[0]], sum(1 << g for g in set(figure.goals)))
                    for number, figure in enumerate(figures)
                ]
            )
            .cte("figure")
        )
        tags = effective_tags().subquery()
        its_tags = (
            select(_respondent)
            .join_from(Feedback, tags, tags.c.feedback_id == _feedback_id)
            .where(
                _created >= listed.c.start,
                _created < listed.c.end,
                _from_people,
                listed.c.goal_bits.op(">>")(tags.c.goal).op("&")(1) == 1,
            )
            .correlate(listed)
        )
        rows = await self._rows(select(listed.c.number, self._at_most_k(its_tags)))
        for number, capped in rows:
            figures[_int(number)].record(_int(capped))

    async def protected_goals(self, index: int, goals: Counts, areas: Counts) -> Protected[int]:
        """Goals and areas of window month `index` that may be shown together with its total.

        Each needs k people; then fikir.privacy.differencing makes sure that no subtraction of
        shown goals from the month's total (the smallest goals go) or from an area's figure (the
        area goes) leaves 1..k-1 people (docs/digest-schema.md, "Subtraction").
        """
        k = self.k
        shown = frozenset(g for (i, g), (_, r) in goals.items() if i == index and r >= k)
        families = [Family("total", frozenset(GOAL_NUMBERS), everything=True)]
        families += [
            Family(area.id, frozenset(area.goals), yields_parent=True)
            for area in self.framework.areas
            if areas.get((index, area.id), (0, 0))[1] >= k
        ]
        size = {g: m for (i, g), (m, _) in goals.items() if i == index}
        bits = goal_bits(self._in_month(index), col(Feedback.respondent_id))

        async def residuals(now_shown: frozenset[int]) -> dict[Hashable, int]:
            parents = [
                (None if f.everything else mask(f.children), mask(f.children & now_shown))
                for f in families
            ]
            [row] = await self._rows(residual_people(bits, parents))
            return {f.key: _int(n) for f, n in zip(families, row, strict=True)}

        return await protect(families, shown, size, k, residuals)

    async def quote_candidates(
        self, goals: Sequence[int], languages: set[str]
    ) -> dict[int, list[Candidate]]:
        """Each goal's highest-scoring redacted messages this month, best first (one query).

        The month's eligible tags are ranked as (goal, score, message id) only, each goal's
        best taken with ORDER BY … LIMIT, and just those few messages' texts are read.
        """
        if not languages or not goals:
            return {}
        tags = effective_tags().subquery("eff")
        length = func.length(col(Feedback.text))
        eligible = (
            select(tags.c.goal, tags.c.score, _feedback_id.label("fid"))
            .join_from(Feedback, tags, tags.c.feedback_id == _feedback_id)
            .where(
                self._in_month(self.current),
                tags.c.goal.in_(list(goals)),
                col(Feedback.text).is_not(None),
                _respondent.is_not(None),
                length >= QUOTE_MIN_CHARS,
                length <= QUOTE_MAX_CHARS,
                col(Feedback.language).in_(sorted(languages)),
                ~flagged(_feedback_id),  # a safety message is never quoted (docs/safety.md)
            )
            .cte("eligible")
        )
        best = [
            select(
                select(eligible)
                .where(eligible.c.goal == goal)
                .order_by(eligible.c.score.desc(), eligible.c.fid)
                .limit(QUOTE_CANDIDATES)
                .subquery()
            )
            for goal in dict.fromkeys(goals)
        ]
        chosen = union_all(*best).subquery("chosen") if len(best) > 1 else best[0].subquery()
        rows = await self._rows(
            select(
                chosen.c.goal,
                col(Feedback.text),
                col(Feedback.language),
                _respondent,
            )
            .join_from(chosen, Feedback, _feedback_id == chosen.c.fid)
            .order_by(chosen.c.goal, chosen.c.score.desc(), chosen.c.fid)
        )
        found: dict[int, list[Candidate]] = {}
        for goal, text, lang, rid in rows:
            quote = Quote(_int(goal), str(text), str(lang))
            found.setdefault(quote.goal, []).append(Candidate(quote, _int(rid)))
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
        updates=await month_updates(session, start, end, k),
    )
