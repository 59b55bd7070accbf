"""Polls on the dashboard: create in every language, schedule, open, close, live results."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from fastapi.responses import Response
from sqlmodel import col, select

from fikir.config.languages import LANGUAGE_CODES
from fikir.config.population import load_population
from fikir.polls.lifecycle import close_poll
from fikir.polls.manage import PollError, create_poll
from fikir.polls.model import Audience
from fikir.polls.service import BREAKDOWNS, breakdown, load_view, results
from fikir.polls.weighting import weighted_results
from fikir.privacy.suppression import OTHER
from fikir.storage.models import Poll
from fikir.surveys.service import survey_ids
from fikir.translations.items import load_item
from fikir.web.admin.audit import audit
from fikir.web.admin.poll_form import (
    OPTION_SLOTS,
    PollForm,
    audience_choices,
    read,
    to_spec,
)
from fikir.web.admin.poll_schedule import schedule
from fikir.web.admin.security import AnalystPost, Viewer, Visit

router = APIRouter(prefix="/admin/polls")


def _form_page(visit: Visit, data: PollForm, status_code: int = 200) -> Response:
    return visit.page(
        "admin/poll_new.html",
        status_code=status_code,
        form=data,
        languages=LANGUAGE_CODES,
        slots=range(OPTION_SLOTS),
        **audience_choices(visit.runtime.settings.timezone),
    )


@router.get("")
async def poll_list(visit: Viewer) -> Response:
    async with visit.runtime.sessions() as session:
        polls = (await session.exec(select(Poll).order_by(col(Poll.id).desc()))).all()
        views = [await load_view(session, poll.id or 0) for poll in polls]
    return visit.page("admin/polls.html", polls=[v for v in views if v is not None])


@router.get("/new")
async def poll_new(visit: Viewer) -> Response:
    return _form_page(visit, PollForm.blank())


@router.post("")
async def poll_create(visit: AnalystPost) -> Response:
    data = read(await visit.request.form())
    spec = to_spec(data, visit.runtime.settings.timezone)
    if spec is None:
        return _form_page(visit, data, 400)
    try:
        async with visit.runtime.sessions() as session, session.begin():
            poll = await create_poll(session, spec)
            audit(session, visit.user, "create", "poll", poll.slug, poll.status)
    except PollError as exc:
        data.errors.append(("{message}", {"message": str(exc)}))
        return _form_page(visit, data, 400)
    if spec.opens_at is not None:
        # A scheduled opening sends later what is confirmed now (fikir.web.admin.poll_schedule).
        return await schedule(visit, spec.slug, data.opens_at, data.closes_at, "")
    return visit.redirect(f"/admin/polls/{spec.slug}")


async def _find(visit: Visit, slug: str) -> Poll | None:
    async with visit.runtime.sessions() as session:
        return (await session.exec(select(Poll).where(Poll.slug == slug[:64]))).first()


@router.get("/{slug}")
async def poll_detail(visit: Viewer, slug: str, by: str = "channel") -> Response:
    poll = await _find(visit, slug)
    if poll is None:
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    settings = visit.runtime.settings
    dimension = by if by in BREAKDOWNS else "channel"
    async with visit.runtime.sessions() as session:
        if visit.request.query_params.get("view") != "poll" and await survey_ids(
            session, [poll.id or 0]
        ):
            return visit.redirect(f"/admin/surveys/{poll.slug}")  # its results by question
        loaded = await load_view(session, poll.id or 0)
        assert loaded is not None  # noqa: S101 - found just above
        totals = await results(session, loaded, settings.k_anonymity)
        population = load_population()
        weighted = await weighted_results(session, loaded, totals, population, settings.k_anonymity)
        table = await breakdown(session, loaded, dimension, settings.k_anonymity)
        item = await load_item(session, "poll", loaded.id)
    return visit.page(
        "admin/poll.html",
        view=loaded,
        totals=totals,
        weighted=weighted,
        population=population,
        table=table,
        dimension=dimension,
        dimensions=BREAKDOWNS,
        other_key=OTHER,
        audience=Audience.from_json(poll.audience),
        languages=LANGUAGE_CODES,
        item=item,
        error=visit.request.query_params.get("error", "")[:40],
    )


@router.post("/{slug}/close")
async def poll_close(visit: AnalystPost, slug: str) -> Response:
    return await _change(visit, slug, "close")


async def _change(visit: Visit, slug: str, action: str) -> Response:
    """Close now (opening goes through a confirmed preview: fikir.web.admin.poll_open)."""
    if await _find(visit, slug) is None:
        return visit.page("admin/error.html", status_code=404, reason="not_found")
    now = datetime.now(UTC)
    settings = visit.runtime.settings
    try:
        async with visit.runtime.sessions() as session, session.begin():
            poll, queued = await close_poll(session, slug, settings, now)
            audit(session, visit.user, action, "poll", poll.slug, f"{queued} messages queued")
    except PollError:
        return visit.redirect(f"/admin/polls/{slug}?error=state")
    if queued:
        visit.runtime.wake_outbox()
    return visit.redirect(f"/admin/polls/{slug}")
