"""Surveys on the dashboard: a form to create one, and its results question by question.

Opening, closing and scheduling are the poll pages' own (a survey is a poll with questions)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from sqlmodel import select

from fikir.config.languages import LANGUAGE_CODES
from fikir.polls.manage import PollError
from fikir.storage.models import Poll
from fikir.surveys.results import survey_results
from fikir.surveys.service import load_survey
from fikir.surveys.spec import SurveySpec, create_survey
from fikir.web.admin.audit import audit
from fikir.web.admin.poll_form import audience_choices
from fikir.web.admin.security import AnalystPost, Viewer, Visit
from fikir.web.admin.survey_form import KINDS, QUESTION_SLOTS, SurveyForm, definition, read_survey

router = APIRouter(prefix="/admin/surveys")


def _form_page(visit: Visit, data: SurveyForm, status_code: int = 200) -> Response:
    return visit.page(
        "admin/survey_new.html",
        status_code=status_code,
        form=data,
        languages=LANGUAGE_CODES,
        slots=range(QUESTION_SLOTS),
        kinds=KINDS,
        **audience_choices(visit.runtime.settings.timezone),
    )


@router.get("/new")
async def survey_new(visit: Viewer) -> Response:
    return _form_page(visit, SurveyForm.blank())


@router.post("")
async def survey_create(visit: AnalystPost) -> Response:
    data = read_survey(await visit.request.form())
    try:
        spec = SurveySpec.from_dict(definition(data, visit.runtime.settings.timezone))
        async with visit.runtime.sessions() as session, session.begin():
            poll = await create_survey(session, spec)
            audit(session, visit.user, "create", "poll", poll.slug, f"survey {poll.status}")
    except PollError as exc:
        data.errors.append(str(exc))
        return _form_page(visit, data, 400)
    return visit.redirect(f"/admin/surveys/{spec.poll.slug}")


@router.get("/{slug}")
async def survey_detail(visit: Viewer, slug: str) -> Response:
    async with visit.runtime.sessions() as session:
        poll = (await session.exec(select(Poll).where(Poll.slug == slug[:64]))).first()
        survey = await load_survey(session, poll.id or 0) if poll is not None else None
        if survey is None:
            return visit.page("admin/error.html", status_code=404, reason="not_found")
        found = await survey_results(session, survey, visit.runtime.settings.k_anonymity)
    return visit.page(
        "admin/survey.html", survey=survey, results=found, k=visit.runtime.settings.k_anonymity
    )
