"""Live meeting mode: a projector page for one poll with the join instructions and figures
that refresh every few seconds, batched, suppressed and rounded (fikir.polls.live).

Staff see it signed in at /admin/polls/<slug>/live; a poll that allows it also has a public,
read-only copy at /live/<slug> (no cookie, nothing but the same figures). A survey of several
questions has no live figures: its page says so (and links staff to the results by question).
"""

from __future__ import annotations

from typing import Any

import segno
from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from markupsafe import Markup
from sqlmodel import select

from fikir.config.languages import LANGUAGE_CODES
from fikir.polls.live import LiveFigures, live_figures
from fikir.polls.model import PollView
from fikir.polls.service import load_view
from fikir.storage.models import Poll
from fikir.surveys.service import survey_ids
from fikir.web.admin.security import Viewer, Visit, VisitDep

router = APIRouter()
REFRESH_SECONDS = 5


async def _figures(
    visit: Visit, slug: str, public: bool
) -> tuple[PollView, LiveFigures, bool] | None:
    """The poll, its published figures (a new snapshot is stored when one is due) and whether it
    is a survey (which shows none: its answers are not a poll's)."""
    async with visit.runtime.sessions() as session, session.begin():
        poll = (await session.exec(select(Poll).where(Poll.slug == slug[:64]))).first()
        if poll is None or (public and (not poll.live_public or poll.status == "draft")):
            return None
        loaded = await load_view(session, poll.id or 0)
        if loaded is None:
            return None
        if loaded.id in await survey_ids(session, [loaded.id]):
            return loaded, LiveFigures(shown=False), True
        k = visit.runtime.settings.k_anonymity
        return loaded, await live_figures(session, loaded, k), False


def qr_svg(url: str) -> Markup:
    """The link as an inline SVG QR code (markup segno writes from the URL, no outside input)."""
    if not url:
        return Markup("")
    code = segno.make(url, error="m")
    return Markup(code.svg_inline(scale=6, border=2, omitsize=True))  # noqa: S704


def _page(
    visit: Visit, view: PollView, figures: LiveFigures, survey: bool, lang: str, public: bool
) -> Response:
    settings = visit.runtime.settings
    base = f"/live/{view.poll.slug}" if public else f"/admin/polls/{view.poll.slug}/live"
    values: dict[str, Any] = {
        "view": view,
        "figures": figures,
        "labels": view.labels_in(lang),
        "k": settings.k_anonymity,
        "bot_url": settings.telegram_bot_url,
        "qr": qr_svg(settings.telegram_bot_url),
        "sms_number": settings.sms_number,
        "data_url": f"{base}.json",
        "refresh": REFRESH_SECONDS,
        "languages": LANGUAGE_CODES,
        "public": public,
        "survey": survey,
    }
    if public:
        visit.fresh = False  # the public copy sets no cookie
        return visit.page("public/live.html", private=False, lang=lang, **values)
    return visit.page("public/live.html", lang=lang, **values)


def _data(view: PollView, figures: LiveFigures, survey: bool) -> dict[str, object]:
    return (figures.to_json() | {"survey": True}) if survey else figures.to_json()


def _lang(lang: str) -> str:
    return lang if lang in LANGUAGE_CODES else "az"


@router.get("/admin/polls/{slug}/live")
async def staff_live(visit: Viewer, slug: str, lang: str = "") -> Response:
    found = await _figures(visit, slug, public=False)
    if found is None:
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    return _page(visit, *found, lang=_lang(lang or visit.lang), public=False)


@router.get("/admin/polls/{slug}/live.json")
async def staff_live_data(visit: Viewer, slug: str) -> Response:
    found = await _figures(visit, slug, public=False)
    if found is None:
        return JSONResponse({"error": "not_found"}, status_code=404)
    return JSONResponse(_data(*found), headers={"Cache-Control": "no-store"})


@router.get("/live/{slug}.json")
async def public_live_data(visit: VisitDep, slug: str) -> Response:
    found = await _figures(visit, slug, public=True)
    if found is None:
        return JSONResponse({"error": "not_found"}, status_code=404)
    return JSONResponse(_data(*found), headers={"Cache-Control": "no-store"})


@router.get("/live/{slug}")
async def public_live(visit: VisitDep, slug: str, lang: str = "") -> Response:
    found = await _figures(visit, slug, public=True)
    if found is None:
        visit.fresh = False
        return visit.page("admin/error.html", status_code=404, private=False, reason="not_found")
    return _page(visit, *found, lang=_lang(lang), public=True)
