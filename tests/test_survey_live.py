"""The live meeting page of a survey: staff and the public copy do not break, show no figures
(live view is for single questions) and say so in the reader's language."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from fikir.config.settings import Settings
from fikir.dialog.outreach import open_poll
from fikir.runtime import build_runtime
from fikir.storage.models import Poll
from fikir.surveys.spec import SurveySpec, create_survey
from tests.conftest import make_settings
from tests.harness import spoken
from tests.survey_data import water_survey
from tests.test_web_helpers import client_for, query, run, seed, sign_in, visitor

NOTE = "This is a survey of several questions. The live view shows single-question polls only."


@pytest.fixture
def site(tmp_path: Path, sqlite_url: str) -> Iterator[tuple[Settings, TestClient, TestClient, str]]:
    settings = make_settings(tmp_path, sqlite_url)
    seed(settings, {"ana": "analyst"}, [])
    with client_for(settings) as client:
        staff = visitor(client)
        yield settings, staff, visitor(client), sign_in(staff, "ana")


async def _open_survey(settings: Settings) -> None:
    runtime = build_runtime(settings)
    try:
        async with runtime.sessions() as session, session.begin():
            spec = SurveySpec.from_dict(water_survey())
            poll = await create_survey(session, spec)
            poll.live_public = True
            session.add(poll)
            await open_poll(session, spec.poll.slug, settings, datetime.now(UTC))
    finally:
        await runtime.close()


def test_live_pages_of_a_survey_say_they_show_single_questions(
    site: tuple[Settings, TestClient, TestClient, str],
) -> None:
    settings, staff, public, _ = site
    run(_open_survey(settings))

    page = staff.get("/admin/polls/water-survey/live?lang=en")
    assert page.status_code == 200
    assert NOTE in page.text and "A short survey about water" in page.text
    assert 'href="/admin/surveys/water-survey"' in page.text  # where staff find its figures
    assert 'id="live-bars"' not in page.text and "data-url=" not in page.text
    assert staff.get("/admin/polls/water-survey/live.json").json() == {
        "shown": False,
        "total": 0,
        "shares": {},
        "other": None,
        "survey": True,
    }

    for lang in ("ru", "az", "ka"):
        shown = public.get(f"/live/water-survey?lang={lang}")
        assert shown.status_code == 200 and "set-cookie" not in shown.headers
        assert spoken(lang, NOTE) in shown.text and spoken(lang, NOTE) != NOTE
        assert water_survey()["question"][lang] in shown.text
        assert "/admin/surveys/" not in shown.text  # the public copy links to no staff page
    assert public.get("/live/water-survey.json").json()["survey"] is True
    # No snapshot is taken of a survey: the live batches count poll answers only.
    assert query(settings, select(Poll.live_at).where(Poll.slug == "water-survey")) == [None]
