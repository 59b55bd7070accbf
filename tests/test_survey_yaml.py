"""The survey YAML: docs/survey-example.yaml creates a survey through `fikir poll create`, the
single-question poll YAML keeps making a poll, and mistakes are refused with what to fix."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlmodel import col, select
from typer.testing import CliRunner

from fikir.cli import app
from fikir.config.settings import Settings
from fikir.polls.manage import PollError
from fikir.storage.models import Poll, PollOption
from fikir.storage.survey_tables import SurveyQuestion
from fikir.surveys.spec import SurveySpec, validate_survey
from tests.conftest import TEST_SECRET, make_settings
from tests.survey_data import water_survey
from tests.test_web_helpers import query

DOCS = Path(__file__).parent.parent / "docs"


def _cli(settings: Settings, *args: str) -> tuple[int, str]:
    env = {
        "FIKIR_DATABASE_URL": settings.database_url,
        "FIKIR_SECRET_KEY": TEST_SECRET,
        "FIKIR_DATA_DIR": str(settings.data_dir),
        "FIKIR_ENV": "test",
    }
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_the_documented_survey_and_poll_files_both_load(tmp_path: Path, sqlite_url: str) -> None:
    settings = make_settings(tmp_path, sqlite_url)
    code, out = _cli(settings, "poll", "create", "--file", str(DOCS / "survey-example.yaml"))
    assert code == 0 and "Created survey water-survey-2026-12 (scheduled, 5 questions)" in out, out
    code, out = _cli(settings, "poll", "create", "--file", str(DOCS / "poll-example.yaml"))
    assert code == 0 and "Created poll water-priority-2026-12" in out, out
    kinds = query(settings, select(SurveyQuestion.kind).order_by(col(SurveyQuestion.position)))
    assert kinds == ["single", "multiple", "number", "rating", "text"]
    polls = {p.slug: p.id for p in query(settings, select(Poll))}
    options = query(settings, select(PollOption.poll_id))
    assert set(options) == {polls["water-priority-2026-12"]}  # a survey has no options of its own
    code, out = _cli(settings, "poll", "results", "water-survey-2026-12")
    assert code == 0 and "1. Do you have running water at home? [single]" in out, out
    assert out.count("fewer than 5 answers: nothing can be shown") == 5


def _broken(change: Any) -> dict[str, Any]:
    data = water_survey()
    change(data)
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_broken(lambda d: d["questions"][1]["text"].pop("lez")), "question 2: missing translation for lez"),
        (_broken(lambda d: d["questions"][0].update(kind="slider")), "question 1: kind must be one of"),
        (_broken(lambda d: d["questions"][0]["choices"][1].pop("ka")), "question 1 choice 2: missing"),
        (_broken(lambda d: d["questions"][1].update(show_if={"question": 3, "answers": [1]})), "earlier question"),
        (_broken(lambda d: d["questions"][1].update(show_if={"question": 1, "answers": [7]})), "from 1 to 3"),
        (_broken(lambda d: d["questions"][2].update(min=30, max=5)), "min must not be above max"),
        (_broken(lambda d: d["questions"][0].update(min=1)), "only number questions have min and max"),
        (_broken(lambda d: d["questions"][2].update(choices=[{"en": "x"}])), "only single and multiple"),
        (_broken(lambda d: d.update(questions=[])), "between 1 and 20 questions"),
        (_broken(lambda d: d.update(slug="Bad Slug")), "slug"),
    ],
)  # fmt: skip
def test_mistakes_are_refused_with_what_to_fix(data: dict[str, Any], message: str) -> None:
    with pytest.raises(PollError, match=message):
        validate_survey(SurveySpec.from_dict(data))


def test_the_yaml_round_trip_keeps_the_skip_rule() -> None:
    text = yaml.safe_dump(water_survey(), allow_unicode=True)
    spec = SurveySpec.from_dict(yaml.safe_load(text))
    validate_survey(spec)
    rule = spec.questions[1].show_if
    assert rule is not None and rule.question == 0 and rule.answers == frozenset({2, 3})
    assert copy.deepcopy(spec) == spec
