"""The inbox's filters and full-text search over redacted feedback, shared with the exports.

Search ignores case and the Azerbaijani letters people type without diacritics ("seher" finds
"şəhər"), on SQLite through a registered function and on PostgreSQL through translate().
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, and_, func, true
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from fikir.config.channels import FAMILIES, TEST_CHANNELS, channel_of
from fikir.config.languages import LANGUAGE_CODES
from fikir.config.regions import REGION_CODES
from fikir.dialog.text import small_number
from fikir.digest.safety_count import flagged
from fikir.i18n.textfold import SEARCH_FROM, SEARCH_TO, search_fold
from fikir.privacy.generalise import QUASI_IDENTIFIERS, Combination
from fikir.storage.channel_sql import in_family
from fikir.storage.figures import effective_of
from fikir.storage.models import Feedback, FeedbackTag
from fikir.web.admin import goals as goal_data
from fikir.web.admin import stats
from fikir.web.admin.months import Month
from fikir.web.admin.quasi import Profiles

PAGE_SIZE = 50
CHANNELS = FAMILIES
TAG_SOURCES = ("auto", "staff", "respondent", "none")
_LIKE_ESCAPE = str.maketrans({"\\": "\\\\", "%": "\\%", "_": "\\_"})


def _int(value: str | None, low: int, high: int) -> int | None:
    number = small_number(value, 5)
    return number if number is not None and low <= number <= high else None


def _choice(value: str | None, allowed: Sequence[str]) -> str | None:
    return value if value in allowed else None


@dataclass(frozen=True)
class InboxFilter:
    """What the inbox shows; anything unrecognised in a query string is simply ignored."""

    month: Month | None = None
    goal: int | None = None
    area: int | None = None
    language: str | None = None
    region: str | None = None
    channel: str | None = None
    source: str | None = None
    q: str = ""
    page: int = 1
    words: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> InboxFilter:
        q = " ".join((params.get("q") or "").split())[:200]
        words = tuple(w for w in (search_fold(part) for part in re.split(r"\s+", q)) if w)[:8]
        return cls(
            month=Month.parse_or_none(params.get("month")),
            goal=_int(params.get("goal"), 1, 17),
            area=_int(params.get("area"), 1, 99),
            language=_choice(params.get("lang"), LANGUAGE_CODES),
            region=_choice(params.get("region"), REGION_CODES),
            channel=_choice(params.get("channel"), CHANNELS),
            source=_choice(params.get("source"), TAG_SOURCES),
            q=q,
            page=_int(params.get("page"), 1, 100_000) or 1,
            words=words,
        )

    def params(self, **changes: Any) -> dict[str, str]:
        current = replace(self, **changes) if changes else self
        values = {
            "month": str(current.month) if current.month else "",
            "goal": str(current.goal or ""),
            "area": str(current.area or ""),
            "lang": current.language or "",
            "region": current.region or "",
            "channel": current.channel or "",
            "source": current.source or "",
            "q": current.q,
            "page": str(current.page) if current.page > 1 else "",
        }
        return {key: value for key, value in values.items() if value}

    def query(self, **changes: Any) -> str:
        return urlencode(self.params(**changes))

    def describe(self) -> str:
        return self.query(page=1) or "all"


def _folded(dialect: str) -> ColumnElement[str]:
    if dialect == "sqlite":
        return func.fikir_fold(col(Feedback.text))
    return func.translate(func.lower(col(Feedback.text)), SEARCH_FROM, SEARCH_TO)


async def prepare_search(session: AsyncSession) -> str:
    """Register the fold function on this SQLite connection; returns the dialect name."""
    connection = await session.connection()
    dialect = connection.dialect.name
    if dialect == "sqlite":
        raw = await connection.get_raw_connection()
        await raw.driver_connection.create_function(  # type: ignore[union-attr]
            "fikir_fold", 1, search_fold, deterministic=True
        )
    return dialect


def conditions(flt: InboxFilter, tz: str, dialect: str) -> ColumnElement[bool]:
    parts: list[ColumnElement[bool]] = []
    if flt.month is not None:
        start, end = flt.month.bounds(tz)
        parts += [col(Feedback.created_at) >= start, col(Feedback.created_at) < end]
    if flt.channel is not None:
        parts.append(in_family(col(Feedback.channel), flt.channel))
    else:
        parts.append(stats.counted())
    if flt.language is not None:
        parts.append(col(Feedback.language) == flt.language)
    if flt.region is not None:
        parts.append(col(Feedback.region) == flt.region)
    if flt.goal is not None:
        parts.append(stats.has_goal((flt.goal,)))
    if flt.area is not None:
        parts.append(stats.has_goal(goal_data.goals_in_area(flt.area) or (0,)))
    if flt.source == "none":
        parts.append(stats.untagged())
    elif flt.source is not None:
        parts.append(stats.has_source(flt.source))
    if flt.words:
        folded = _folded(dialect)
        for word in flt.words:
            pattern = "%" + word.translate(_LIKE_ESCAPE) + "%"
            parts.append(folded.like(pattern, escape="\\"))
    return and_(true(), *parts)


def statement(flt: InboxFilter, tz: str, dialect: str) -> SelectOfScalar[Feedback]:
    return (
        select(Feedback)
        .where(conditions(flt, tz, dialect))
        .order_by(col(Feedback.created_at).desc(), col(Feedback.id).desc())
    )


@dataclass(frozen=True)
class InboxRow:
    """A message with all its tags, the ones that count, and the profile it may be shown with.

    `shown` is the message's generalised (region, age band, gender, language, channel), see
    web.admin.quasi; None for staff test traffic, which is shown as it is.
    """

    feedback: Feedback
    tags: tuple[FeedbackTag, ...]
    shown: Combination | None = None

    @property
    def effective(self) -> tuple[FeedbackTag, ...]:
        return effective_of(self.tags)

    @property
    def effective_goals(self) -> tuple[int, ...]:
        return tuple(tag.goal for tag in self.effective)

    def _field(self, name: str) -> str | None:
        if self.shown is None:
            if name == "channel":
                return channel_of(self.feedback.channel).family
            value: str | None = getattr(self.feedback, name)
            return value
        return self.shown[QUASI_IDENTIFIERS.index(name)]

    @property
    def region(self) -> str | None:
        return self._field("region")

    @property
    def age_band(self) -> str | None:
        return self._field("age_band")

    @property
    def gender(self) -> str | None:
        return self._field("gender")

    @property
    def language(self) -> str | None:
        return self._field("language")

    @property
    def channel(self) -> str | None:
        return self._field("channel")


async def tags_for(session: AsyncSession, ids: Sequence[int]) -> dict[int, list[FeedbackTag]]:
    found: dict[int, list[FeedbackTag]] = {i: [] for i in ids}
    if not ids:
        return found
    for tag in (
        await session.exec(select(FeedbackTag).where(col(FeedbackTag.feedback_id).in_(ids)))
    ).all():
        found.setdefault(tag.feedback_id, []).append(tag)
    return found


def _asked(flt: InboxFilter) -> dict[str, str]:
    """The quasi-identifiers the filter selects on (test channels are not people's)."""
    asked = {"language": flt.language, "region": flt.region}
    if flt.channel is not None and flt.channel not in TEST_CHANNELS:
        asked["channel"] = flt.channel
    return {name: value for name, value in asked.items() if value is not None}


async def with_profiles(
    session: AsyncSession, found: Sequence[Feedback], profiles: Profiles
) -> list[InboxRow]:
    """Rows with their tags and generalised profiles."""
    ids = [row.id for row in found if row.id is not None]
    tags = await tags_for(session, ids)
    at = {row.id: row.created_at for row in found if row.id is not None}
    shown = await profiles.shown(ids, at)
    return [
        InboxRow(row, tuple(tags.get(row.id or 0, ())), shown.get(row.id or 0)) for row in found
    ]


async def page(
    session: AsyncSession, flt: InboxFilter, tz: str, k: int, *, with_safety: bool = True
) -> tuple[int | None, list[InboxRow]]:
    """The number of matching messages (None when fewer than k people wrote them) and the rows
    of the requested page, newest first, each with its generalised profile.

    A filter on language, region or channel matches the profile a message is shown with, so a
    message whose language is blanked is not found by its language either. Without
    `with_safety` (viewers), messages about violence, abuse, self-harm, threats or reprisals are
    left out: they are read in the safety queue, by analysts and admins only.
    """
    dialect = await prepare_search(session)
    where = conditions(flt, tz, dialect)
    if not with_safety:
        where = and_(where, ~flagged(col(Feedback.id)))
    profiles = Profiles(session, tz, k)
    asked = _asked(flt)
    if asked:
        matches = (
            await session.exec(select(col(Feedback.id), col(Feedback.created_at)).where(where))
        ).all()
        at = {int(fid or 0): created for fid, created in matches}
        shown = await profiles.shown(at, at)
        kept = [
            fid
            for fid, combination in shown.items()
            if all(combination[QUASI_IDENTIFIERS.index(n)] == v for n, v in asked.items())
        ]
        where = and_(where, col(Feedback.id).in_(kept))
    total, people = (
        await session.exec(
            select(func.count(), func.count(func.distinct(stats.respondent_key()))).where(where)
        )
    ).one()
    rows = (
        await session.exec(
            select(Feedback)
            .where(where)
            .order_by(col(Feedback.created_at).desc(), col(Feedback.id).desc())
            .offset((flt.page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
    ).all()
    shown_total = int(total) if not int(total) or int(people) >= k else None
    return shown_total, await with_profiles(session, rows, profiles)
