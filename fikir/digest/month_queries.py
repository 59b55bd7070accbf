"""The month's queries share one connection, its window of months and k; figures whose
respondents are counted later wait as PendingFigures (see fikir.digest.aggregate for why)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    ScalarSelect,
    Select,
    String,
    and_,
    func,
    literal,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from fikir.config.channels import TEST_CHANNELS
from fikir.config.frameworks import Framework
from fikir.digest.period import Month
from fikir.storage.channel_sql import family_sql
from fikir.storage.models import Feedback

TREND_MONTHS = 6
LEADING_GOALS = 3
QUOTES_PER_GOAL = 3  # up to three quotes per leading goal (fikir.digest.month_themes)
QUOTE_MIN_CHARS, QUOTE_MAX_CHARS = 20, 320
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


class MonthQueries:
    """The month's window, bounds and connection, and the small query helpers every count uses.

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
