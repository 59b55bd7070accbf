"""The dashboard's survey form: questions with kind, choices and a skip rule, refused with what
was typed kept, created, then shown question by question with figures under k hidden."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from fikir.config.settings import Settings
from fikir.storage.models import Poll
from fikir.storage.survey_tables import SurveyQuestion
from tests.conftest import make_settings
from tests.test_web_helpers import client_for, query, seed, sign_in, visitor

LANGUAGES = ("az", "ru", "en", "tly", "lez", "ka", "uk")


@pytest.fixture
def site(tmp_path: Path, sqlite_url: str) -> Iterator[tuple[Settings, TestClient]]:
    settings = make_settings(tmp_path, sqlite_url)
    seed(settings, {"ana": "analyst", "vic": "viewer"}, [])
    with client_for(settings) as client:
        yield settings, client


def _form(token: str, *, skip: str | None = None) -> dict[str, str]:
    form = {"csrf_token": token, "slug": "roads-survey", "share_results": "1"}
    for lang in LANGUAGES:
        if lang == skip:
            continue
        form[f"q_{lang}"] = f"Roads ({lang})"
        form[f"s0_{lang}"] = f"Do you use the road daily? ({lang})"
        form[f"s0_c_{lang}"] = f"Yes ({lang})\nNo ({lang})"
        form[f"s1_{lang}"] = f"What is wrong with it? ({lang})"
        form[f"s1_c_{lang}"] = f"Holes ({lang})\nDust ({lang})\nNo lights ({lang})"
        form[f"s2_{lang}"] = f"How many minutes to the centre? ({lang})"
    form.update(s0_kind="single", s1_kind="multiple", s1_if="1", s1_in="1", s2_kind="number")
    form.update(s2_min="0", s2_max="600")
    return form


def test_survey_form_creates_questions_with_kinds_and_a_skip_rule(
    site: tuple[Settings, TestClient],
) -> None:
    settings, client = site
    browser = visitor(client)
    token = sign_in(browser, "ana")
    page = browser.get("/admin/surveys/new")
    assert page.status_code == 200 and 'name="s0_kind"' in page.text
    # Written in the languages staff have (readers of the others fall back, #21), but each of
    # them whole: a question without the Georgian text the title has is refused.
    partial = {key: value for key, value in _form(token).items() if key != "s1_ka"}
    refused = browser.post("/admin/surveys", data=partial)
    assert refused.status_code == 400 and "missing translation for ka" in refused.text
    assert "Holes (lez)" in refused.text  # what was typed is kept
    assert not query(settings, select(Poll).where(Poll.slug == "roads-survey"))

    created = browser.post("/admin/surveys", data=_form(token, skip="ka"), follow_redirects=False)
    assert (
        created.status_code == 303 and created.headers["location"] == "/admin/surveys/roads-survey"
    )
    rows = query(settings, select(SurveyQuestion).order_by(col(SurveyQuestion.position)))
    assert [(q.kind, q.show_if_question, q.show_if_answers) for q in rows] == [
        ("single", None, "[]"),
        ("multiple", 0, "[1]"),
        ("number", None, "[]"),
    ]
    assert (rows[2].min_value, rows[2].max_value) == (0, 600)
    shown = browser.get("/admin/surveys/roads-survey")
    assert shown.status_code == 200
    assert shown.text.count("Fewer than 5 answers: results cannot be shown.") == 3
    # The poll page of a survey leads to its questions; its own controls stay reachable.
    assert browser.get("/admin/polls/roads-survey", follow_redirects=False).status_code == 303
    assert browser.get("/admin/polls/roads-survey?view=poll").status_code == 200

    viewer = visitor(client)
    viewer_token = sign_in(viewer, "vic")
    form = _form(viewer_token) | {"slug": "viewer-survey"}
    assert viewer.post("/admin/surveys", data=form).status_code == 403


def test_opening_a_survey_previews_its_first_question_and_whole_sms_cost(
    site: tuple[Settings, TestClient],
) -> None:
    from fikir.outbox.segments import count_segments, fit_for_sms
    from fikir.surveys import texts
    from fikir.surveys.service import load_survey
    from tests.test_web_helpers import plan_token_of, run

    settings, client = site
    browser = visitor(client)
    token = sign_in(browser, "ana")
    browser.post("/admin/surveys", data=_form(token))
    preview = browser.post("/admin/polls/roads-survey/open", data={"csrf_token": token})
    assert preview.status_code == 200
    page = preview.text
    assert "(1/3) Do you use the road daily? (en)" in page
    assert "1 Yes (en)  2 No (en)" in page  # the SMS look of the first question

    async def worst(lang: str) -> int:
        from fikir.runtime import build_runtime

        runtime = build_runtime(settings)
        try:
            async with runtime.sessions() as session:
                survey = await load_survey(session, 1)
                assert survey is not None
                return texts.worst_case_segments(survey, lang, settings.sms_transliterate)
        finally:
            await runtime.close()

    parts = run(worst("en"))
    first_only = count_segments(fit_for_sms("(1/3) Do you use the road daily? (en)", "en")).segments
    assert parts > first_only  # every question and the thanks, not only the first
    assert f"English: {parts} parts" in page, page
    done = browser.post(
        "/admin/polls/roads-survey/open",
        data={"csrf_token": token, "plan_token": plan_token_of(page)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert query(settings, select(Poll.status).where(Poll.slug == "roads-survey")) == ["open"]
