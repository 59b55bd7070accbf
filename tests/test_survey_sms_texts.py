"""What a survey sends by SMS stays within budget in every language: replies in one part, each
question in two, and the whole survey's cost is the sum of the longest way through."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fikir.config.languages import LANGUAGE_CODES
from fikir.i18n import translate
from fikir.outbox.segments import count_segments, fit_for_sms
from fikir.polls.model import PollView
from fikir.storage.models import Poll
from fikir.surveys import texts
from fikir.surveys.service import Survey
from fikir.surveys.spec import SurveySpec

EXAMPLE = Path(__file__).parent.parent / "docs" / "survey-example.yaml"


def _example() -> Survey:
    spec = SurveySpec.from_dict(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
    poll = Poll(id=1, slug=spec.poll.slug, question="{}")
    return Survey(PollView(poll, spec.poll.question), spec.questions)


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_survey_replies_fit_one_sms_part(lang: str) -> None:
    keyword = texts.polls_keyword(lang, paid=True)
    for msgid in (texts.THANKS, texts.STOPPED, texts.NOT_UNDERSTOOD):
        text = fit_for_sms(translate(lang, msgid, polls=keyword), lang)
        assert count_segments(text).segments == 1, (lang, text)


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_the_example_survey_fits_and_costs_its_longest_way(lang: str) -> None:
    survey = _example()
    (parts, _, first), too_long = texts.sms_preview(survey, lang, "auto")
    assert not too_long, too_long
    each = [
        count_segments(
            texts.sms_text(
                texts.asked(survey, q, lang, buttons=False, title=q.position == 0), lang, "auto"
            )
        ).segments
        for q in survey.questions
    ]
    thanks = count_segments(fit_for_sms(translate(lang, texts.THANKS), lang)).segments
    assert parts == sum(each) + thanks
    assert "(1/5)" in first
