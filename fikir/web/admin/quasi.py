"""The profile a message is shown or exported with: generalised within its month so that every
combination of region, age band, gender, language and channel shown covers k people
(fikir.privacy.generalise); the same rows get the same blanks wherever they appear."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.privacy.generalise import Combination, Generalisation, generalise
from fikir.storage.figures import profile_of, profiles_where
from fikir.storage.models import Feedback
from fikir.web.admin import stats
from fikir.web.admin.months import Month


def _rows(month: Month, tz: str, where: ColumnElement[bool] | None = None) -> Any:
    """(fid, person, created_at, region, age_band, gender, language, channel) of counted
    messages of the month, with each writer's month profile."""
    start, end = month.bounds(tz)
    window = and_(
        col(Feedback.created_at) >= start, col(Feedback.created_at) < end, stats.counted()
    )
    profiles = profiles_where(window, "qi_rows")
    return (
        select(
            col(Feedback.id),
            stats.respondent_key(),
            col(Feedback.created_at),
            profile_of(profiles, "region"),
            profile_of(profiles, "age_band"),
            profile_of(profiles, "gender"),
            col(Feedback.language),
            stats.channel_family(),
        )
        .select_from(Feedback)
        .outerjoin(profiles, profiles.c.rid == col(Feedback.respondent_id))
        .where(window, *(() if where is None else (where,)))
    )


async def month_generalisation(
    session: AsyncSession, month: Month, tz: str, k: int
) -> Generalisation:
    """How each combination of the month's counted messages is shown."""
    rows = _rows(month, tz).subquery()
    people = (
        await session.exec(
            select(*list(rows.c)[3:], rows.c[1]).distinct()  # type: ignore[call-overload]
        )
    ).all()
    return generalise(((tuple(row[:5]), row[5]) for row in people), k)


class Profiles:
    """Generalised profiles of messages, each computed within its own month, cached per month."""

    def __init__(self, session: AsyncSession, tz: str, k: int) -> None:
        self.session, self.tz, self.k = session, tz, k
        self.months: dict[Month, Generalisation] = {}

    async def month(self, month: Month) -> Generalisation:
        if month not in self.months:
            self.months[month] = await month_generalisation(self.session, month, self.tz, self.k)
        return self.months[month]

    async def shown(self, ids: Iterable[int], at: Mapping[int, datetime]) -> dict[int, Combination]:
        """The generalised combination of each counted message in `ids` (keyed by id)."""
        by_month: dict[Month, list[int]] = {}
        for fid in ids:
            if fid in at:
                by_month.setdefault(Month.of(at[fid], self.tz), []).append(fid)
        found: dict[int, Combination] = {}
        for month, fids in by_month.items():
            general = await self.month(month)
            for row in (
                await self.session.exec(_rows(month, self.tz, col(Feedback.id).in_(fids)))
            ).all():
                found[int(row[0])] = general.of(tuple(row[3:]))
        return found


def people_of(where: ColumnElement[bool]) -> Any:
    """How many distinct people wrote the messages `where` selects."""
    return select(func.count(func.distinct(stats.respondent_key()))).where(where)


NOT_SHOWN = literal(None)
