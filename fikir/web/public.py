"""GET /results: what people said and what polls found, for everyone, in every language fikir speaks.

No sign-in, nothing but suppressed aggregates: closed polls whose results are shared, the
leading goals of the last three complete months, the opinion maps (groups of k or more), and
what staff said was done ("you said, we did" updates of the last year, by goal, in the
reader's language or its fallback).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from fikir.config.languages import LANGUAGE_CODES
from fikir.opinion.public import OpinionMaps, public_maps
from fikir.polls.service import latest_shared_results
from fikir.privacy.retention import months_before
from fikir.runtime import Runtime
from fikir.updates.manage import by_goal, published
from fikir.web.admin import goals, stats
from fikir.web.admin.months import Month
from fikir.web.admin.security import VisitDep

PUBLIC_LANGUAGES = LANGUAGE_CODES  # every language fikir speaks (the registry)
MONTHS_SHOWN = 3
POLLS_SHOWN = 6
TOP_GOALS = 5
UPDATE_MONTHS = 12  # "you said, we did" updates sent in the last year
DATABASE_SECONDS = 5.0  # longer, and the last good page is served instead
log = logging.getLogger(__name__)

router = APIRouter(tags=["public"])


def _language(request: Request, lang: str) -> str:
    if lang in PUBLIC_LANGUAGES:
        return lang
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower().split("-")[0]
        if code in PUBLIC_LANGUAGES:
            return code
    return "az"


@router.get("/")
async def root() -> Response:
    return RedirectResponse("/results", status_code=307)


@lru_cache(maxsize=1)
def _goal_css() -> str:
    rules = [
        f".goal-{goal}{{background:{goals.colour(goal)};color:{goals.text_colour(goal)}}}"
        for goal in goals.GOALS
    ]
    return "\n".join(rules) + "\n"


@router.get("/goals.css")
async def goal_css() -> Response:
    """The official SDG colours as CSS classes, from the one catalogue in config."""
    return Response(
        _goal_css(),
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


@dataclass(frozen=True)
class Figures:
    """What the page shows, in no language yet, and when it was read from the database."""

    polls: list[Any]
    months: list[tuple[Month, Any, Any]]
    computed_at: datetime
    updates: list[tuple[int | None, list[Any]]]
    opinions: OpinionMaps = field(default_factory=list)


# The last figures read, by runtime: served, with their time, while the database is down.
_last_good: dict[int, Figures] = {}


async def _figures(runtime: Runtime, now: datetime) -> Figures:
    settings = runtime.settings
    k = settings.k_anonymity
    month = Month.of(now, settings.timezone)
    months = []
    async with asyncio.timeout(DATABASE_SECONDS), runtime.sessions() as session:
        polls = await latest_shared_results(session, k, limit=POLLS_SHOWN)
        for _ in range(MONTHS_SHOWN):
            month = month.previous()
            respondents, goals = await stats.leading_goals(session, month, settings.timezone, k)
            months.append((month, respondents, stats.bars(goals, respondents, limit=TOP_GOALS)))
        updates = by_goal(await published(session, since=months_before(now, UPDATE_MONTHS)))
        opinions = await public_maps(session, k)
    return Figures(list(polls), months, now, updates, opinions)


@router.get("/results")
async def results_page(visit: VisitDep, lang: str = "") -> Response:
    chosen = _language(visit.request, lang)
    runtime = visit.runtime
    visit.fresh = False  # the public page sets no cookie
    try:
        figures = await _figures(runtime, datetime.now(UTC))
    except Exception as exc:  # noqa: BLE001 - the database is away: the last good page
        log.warning("results page: database unavailable (%s)", type(exc).__name__)
        last = _last_good.get(id(runtime))
        if last is None:
            return visit.page(
                "admin/error.html", status_code=503, private=False, lang=chosen,
                reason="unavailable",
            )  # fmt: skip
        figures = last
    else:
        _last_good[id(runtime)] = figures
    zone = ZoneInfo(runtime.settings.timezone)
    return visit.page(
        "public/results.html",
        private=False,
        lang=chosen,
        languages=PUBLIC_LANGUAGES,
        polls=figures.polls,
        months=figures.months,
        updates=figures.updates,
        opinions=[view(chosen) for view in figures.opinions],
        computed_at=figures.computed_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        k=runtime.settings.k_anonymity,
    )
