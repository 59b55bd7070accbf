"""The dashboard's home: this month at a glance, every figure suppressed."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from fastapi.responses import Response

from fikir.config.languages import LANGUAGE_CODES
from fikir.web.admin import stats
from fikir.web.admin.checklist import checklist
from fikir.web.admin.months import Month
from fikir.web.admin.security import Viewer

router = APIRouter(prefix="/admin")


@router.get("/")
async def home(visit: Viewer, month: str = "") -> Response:
    settings = visit.runtime.settings
    chosen = Month.parse_or_none(month) or Month.of(datetime.now(UTC), settings.timezone)
    async with visit.runtime.sessions() as session:
        found = await stats.overview(session, chosen, settings.timezone, settings.k_anonymity)
        steps = await checklist(session, settings)
    base = found.respondents
    return visit.page(
        "admin/home.html",
        overview=found,
        steps=steps if not all(step.done for step in steps) else [],
        k=settings.k_anonymity,
        goal_bars=stats.bars(found.goals, base),
        language_bars=stats.bars(found.languages),
        region_bars=stats.bars(found.regions),
        channel_bars=stats.bars(found.channels),
        previous=str(chosen.previous()),
        following=str(chosen.next()),
        poster_languages=LANGUAGE_CODES,
    )
