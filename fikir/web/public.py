"""GET /results: what people said and what polls found, for everyone, in az, ru and en.

No sign-in, nothing but suppressed aggregates: closed polls whose results are shared, and the
leading goals of the last three complete months.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from fikir.polls.service import latest_shared_results
from fikir.web.admin import goals, stats
from fikir.web.admin.months import Month
from fikir.web.admin.security import VisitDep

PUBLIC_LANGUAGES = ("az", "ru", "en")
MONTHS_SHOWN = 3
POLLS_SHOWN = 6
TOP_GOALS = 5

router = APIRouter(tags=["public"])


def _language(request: Request, lang: str) -> str:
    if lang in PUBLIC_LANGUAGES:
        return lang
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
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


@router.get("/results")
async def results_page(visit: VisitDep, lang: str = "") -> Response:
    chosen = _language(visit.request, lang)
    settings = visit.runtime.settings
    k = settings.k_anonymity
    month = Month.of(datetime.now(UTC), settings.timezone)
    months = []
    async with visit.runtime.sessions() as session:
        polls = await latest_shared_results(session, k, limit=POLLS_SHOWN)
        for _ in range(MONTHS_SHOWN):
            month = month.previous()
            respondents, goals = await stats.leading_goals(session, month, settings.timezone, k)
            months.append((month, respondents, stats.bars(goals, respondents, limit=TOP_GOALS)))
    visit.fresh = False  # the public page sets no cookie
    return visit.page(
        "public/results.html",
        private=False,
        lang=chosen,
        languages=PUBLIC_LANGUAGES,
        polls=polls,
        months=months,
        k=k,
    )
