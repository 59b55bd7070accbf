"""The month's breakdowns by channel, language, region, age band and gender, each suppressed,
with a merged `other` measured in distinct people."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import (
    Select,
    String,
    func,
    literal,
    select,
    union_all,
)

from fikir.digest.document import (
    DIMENSIONS,
    Breakdown,
    Cell,
)
from fikir.digest.month_queries import (
    MonthQueries,
    _dimension_key,
    _feedback_id,
    _int,
    _respondent,
)
from fikir.privacy.suppression import suppress
from fikir.storage.figures import (
    answered,
    month_profiles,
)


class BreakdownQueries(MonthQueries):
    """The breakdowns of the month being digested."""

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
