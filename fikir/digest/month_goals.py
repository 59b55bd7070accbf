"""Goals and priority areas per month: messages, respondents (exact or up to k), and which
may be shown together without a subtraction singling anyone out."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    CTE,
    Integer,
    Select,
    String,
    Subquery,
    column,
    func,
    literal,
    select,
    union_all,
    values,
)
from sqlmodel import col

from fikir.config.frameworks import PriorityArea
from fikir.config.sdgs import GOAL_NUMBERS
from fikir.digest.month_queries import (
    CAPPED_FROM_MESSAGES,
    RARE_MESSAGES,
    Counts,
    MonthQueries,
    PendingFigure,
    _created,
    _feedback_id,
    _from_people,
    _int,
    _respondent,
)
from fikir.privacy.differencing import Family, Protected, protect
from fikir.storage.figures import (
    effective_tags,
    goal_bits,
    mask,
    residual_people,
)
from fikir.storage.models import AwareDateTime, Feedback


class GoalQueries(MonthQueries):
    """The goal and area counts of the trend window."""

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
