"""The opinion map on the dashboard: topics seeded from YAML, a round sent, participants'
statements checked before anyone sees them, and the map (groups of k or more). Analysts and
admins act; every look and change is audited."""

from __future__ import annotations

import json
from typing import Annotated

import yaml
from fastapi import APIRouter, Form
from fastapi.responses import Response

from fikir.opinion.public import public_maps
from fikir.opinion.service import (
    OpinionError,
    TopicSpec,
    create_topic,
    moderate,
    set_topic_status,
    statements_of,
    title_in,
    topics,
)
from fikir.web.admin.audit import audit
from fikir.web.admin.opinion_send import send_or_preview
from fikir.web.admin.plan_token import TOKEN_FIELD
from fikir.web.admin.security import Analyst, AnalystPost, RowId, Visit

router = APIRouter(prefix="/admin")
ACTIONS = {"approve": "approved", "reject": "rejected"}


async def _page(visit: Visit, *, text: str = "", error: str = "", done: str = "") -> Response:
    k = visit.runtime.settings.k_anonymity
    async with visit.runtime.sessions() as session, session.begin():
        listed = await topics(session)
        waiting = await statements_of(session, status="pending")
        maps = await public_maps(session, k)
        audit(session, visit.user, "view", "opinion_topics")
    titles = {t.id: title_in(t, visit.lang) for t in listed}
    return visit.page(
        "admin/opinion.html",
        status_code=400 if error else 200,
        topics=[(t, titles[t.id]) for t in listed],
        waiting=[(s, titles.get(s.topic_id, ""), json.loads(s.texts)) for s in waiting],
        maps=[view(visit.lang) for view in maps],
        text=text,
        error=error,
        done=done,
    )


@router.get("/opinion")
async def page(visit: Analyst) -> Response:
    return await _page(visit)


@router.post("/opinion")
async def create(
    visit: AnalystPost, text: Annotated[str, Form(max_length=60_000)] = ""
) -> Response:
    try:
        data = yaml.safe_load(text)
        if not isinstance(data, dict):
            raise OpinionError("the text must hold one topic (a YAML mapping)")
        spec = TopicSpec.from_dict(data)
        async with visit.runtime.sessions() as session, session.begin():
            topic = await create_topic(session, spec)
            audit(session, visit.user, "opinion_create", "opinion_topic", topic.id or 0)
    except (ValueError, yaml.YAMLError) as exc:  # OpinionError, or a number YAML cannot read
        return await _page(visit, text=text, error=str(exc).splitlines()[0])
    return visit.redirect("/admin/opinion")


@router.post("/opinion/{slug}/send")
async def send(visit: AnalystPost, slug: str) -> Response:
    """Without the preview's token: the preview. With it: the round is queued."""
    given = (await visit.request.form()).get(TOKEN_FIELD)
    try:
        outcome = await send_or_preview(visit, slug[:64], given if isinstance(given, str) else "")
    except OpinionError as exc:
        return await _page(visit, error=str(exc))
    if isinstance(outcome, str):
        return await _page(visit, done=outcome)
    return outcome


@router.post("/opinion/{slug}/close")
async def close(visit: AnalystPost, slug: str) -> Response:
    try:
        async with visit.runtime.sessions() as session, session.begin():
            await set_topic_status(session, slug, "closed")
            audit(session, visit.user, "opinion_close", "opinion_topic", slug)
    except OpinionError as exc:
        return await _page(visit, error=str(exc))
    return visit.redirect("/admin/opinion")


@router.post("/opinion/statement/{statement_id}")
async def check(
    visit: AnalystPost, statement_id: RowId, action: Annotated[str, Form(max_length=16)] = ""
) -> Response:
    if action not in ACTIONS:
        return visit.redirect("/admin/opinion")
    try:
        async with visit.runtime.sessions() as session, session.begin():
            await moderate(session, statement_id, ACTIONS[action])
            audit(session, visit.user, f"opinion_{action}", "opinion_statement", statement_id)
    except OpinionError as exc:  # no such statement, or too long for SMS readers
        return await _page(visit, error=str(exc))
    return visit.redirect("/admin/opinion")
