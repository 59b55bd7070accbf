"""Each economic region's goals this month, counted in SQL, suppressed below k and protected
against subtraction from the region totals and the goal totals the digest publishes beside them."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any, cast

from sqlalchemy import ColumnElement, String, func, literal, select

from fikir.config.population import ECONOMIC_REGIONS
from fikir.config.sdgs import GOAL_NUMBERS
from fikir.digest.document import Breakdown
from fikir.digest.document_regions import RegionFigure, RegionGoal
from fikir.digest.honest import tied_ranks
from fikir.digest.month_queries import MonthQueries, _feedback_id, _int, _respondent
from fikir.privacy.differencing import Family, protect
from fikir.storage.figures import answered, goal_bits, month_profiles

Cell = tuple[str, int]  # (region, goal)


class RegionQueries(MonthQueries):
    """The region × goal figures of the month being digested."""

    def _people_regions(self) -> Any:
        """(person, region, bits) per message of the month: the writer's month profile region
        (storage.figures) and the message's goals as a bit set. Erased writers count nobody."""
        in_month = self._in_month(self.current)
        rows = (
            select(
                _respondent.label("rid"), _feedback_id.label("fid"), answered().label("answered")
            )
            .where(in_month)
            .subquery("region_rows")
        )
        profiles = month_profiles(rows)
        bits = goal_bits(in_month, _respondent)
        return (
            select(
                bits.c.person,
                func.coalesce(profiles.c.region, literal("undisclosed", String)).label("region"),
                bits.c.bits,
            )
            .join_from(bits, profiles, profiles.c.rid == bits.c.person)
            .subquery("people_regions")
        )

    async def region_figures(
        self, regions: Breakdown, shown_goals: Iterable[int]
    ) -> tuple[RegionFigure, ...]:
        """Every economic region, with figures only where the region breakdown shows it.

        A (region, goal) cell needs k people. Then fikir.privacy.differencing hides the smallest
        cells until neither a region's people minus those its shown goals cover, nor a shown
        goal's people minus those of its shown regions, is 1..k-1 people.
        """
        people = {c.key: c.respondents for c in regions.cells if c.key in ECONOMIC_REGIONS}
        if not people:
            return tuple(RegionFigure(code, None, ()) for code in ECONOMIC_REGIONS)
        source = self._people_regions()

        def has(goal: int) -> ColumnElement[bool]:
            return cast(ColumnElement[bool], source.c.bits.op("&")(1 << goal) != 0)

        person = source.c.person
        counts: dict[Cell, int] = {}
        rows = await self._rows(
            select(
                source.c.region,
                *[func.count(func.distinct(person)).filter(has(g)) for g in GOAL_NUMBERS],
            )
            .where(source.c.region.in_(sorted(people)))
            .group_by(source.c.region)
        )
        for region, *by_goal in rows:
            for goal, n in zip(GOAL_NUMBERS, by_goal, strict=True):
                if _int(n) >= self.k:
                    counts[(str(region), goal)] = _int(n)
        goals_shown = tuple(sorted(set(shown_goals)))
        families: list[Family[Cell]] = [
            Family(("region", r), frozenset((r, g) for g in GOAL_NUMBERS), everything=True)
            for r in people
        ]
        families += [
            Family(("goal", g), frozenset((r, g) for r in ECONOMIC_REGIONS)) for g in goals_shown
        ]

        async def residuals(shown: frozenset[Cell]) -> dict[Hashable, int]:
            columns = []
            for region in people:
                covered = sum(1 << g for (r, g) in shown if r == region)
                where = (source.c.region == region) & (source.c.bits.op("&")(covered) == 0)
                columns.append(func.count(func.distinct(person)).filter(where))
            for goal in goals_shown:
                heard = sorted(r for (r, g) in shown if g == goal)
                where = has(goal) & source.c.region.not_in(heard)
                columns.append(func.count(func.distinct(person)).filter(where))
            [row] = await self._rows(select(*columns))
            return {f.key: _int(n) for f, n in zip(families, row, strict=True)}

        kept = await protect(families, frozenset(counts), counts, self.k, residuals)
        found = []
        for code in ECONOMIC_REGIONS:
            if code not in people:
                found.append(RegionFigure(code, None, ()))
                continue
            cells = sorted(
                ((g, n) for (r, g), n in counts.items() if r == code and (r, g) in kept.shown),
                key=lambda item: (-item[1], item[0]),
            )
            ranks = tied_ranks([n for _, n in cells])
            found.append(
                RegionFigure(
                    code,
                    people[code],
                    tuple(
                        RegionGoal(g, rank, n, n / people[code])
                        for rank, (g, n) in zip(ranks, cells, strict=True)
                    ),
                )
            )
        return tuple(found)
