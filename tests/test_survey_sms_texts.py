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
from fikir.surveys.kinds import Kind, Question, SkipRule
from fikir.surveys.paths import ways
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


def _q(
    position: int,
    kind: Kind = Kind.SINGLE,
    rule: tuple[int, set[int]] | None = None,
    text: str = "?",
) -> Question:
    choices = (
        ({"en": "A"}, {"en": "B"}, {"en": "C"}) if kind in {Kind.SINGLE, Kind.MULTIPLE} else ()
    )
    show_if = SkipRule(rule[0], frozenset(rule[1])) if rule else None
    return Question(position, kind, {"en": text}, choices, show_if=show_if)


def _positions(found: list[tuple[Question, ...]]) -> list[list[int]]:
    return sorted([q.position for q in way] for way in found)


def test_ways_through_follow_the_skip_rules() -> None:
    # B only after answer 1, C only after answer 2: never both on one way.
    branching = (_q(0), _q(1, rule=(0, {1})), _q(2, rule=(0, {2})), _q(3))
    assert _positions(ways(branching)) == [[0, 1, 3], [0, 2, 3]]
    # A chain: C after B's answer 2, B after A's answer 1: one way asks all.
    chain = (_q(0), _q(1, rule=(0, {1})), _q(2, rule=(1, {2})))
    assert _positions(ways(chain)) == [[0, 1, 2]]
    # A multiple choice can name both answers at once.
    several = (_q(0, Kind.MULTIPLE), _q(1, rule=(0, {1})), _q(2, rule=(0, {2})))
    assert _positions(ways(several)) == [[0, 1, 2]]
    # A rating or number rule: its named values are tried.
    rated = (_q(0, Kind.RATING), _q(1, rule=(0, {1, 2})), _q(2, rule=(0, {5})))
    assert _positions(ways(rated)) == [[0, 1], [0, 2]]


def test_too_many_ways_fall_back_to_every_question() -> None:
    many = tuple(_q(i, rule=(i - 1, {1, 2}) if i else None) for i in range(14))
    assert len(ways(many)) == 1 and len(ways(many)[0]) == 14
    split = tuple([_q(i) for i in range(13)] + [_q(13 + i, rule=(i, {1, 2, 3})) for i in range(13)])
    assert [len(way) for way in ways(split)] == [26]  # 3^13 ways: every question, an upper bound


def test_the_estimate_takes_the_costliest_way_only() -> None:
    long_text = "x" * 150  # one more GSM-7 part than its neighbours
    questions = (_q(0), _q(1, rule=(0, {1})), _q(2, rule=(0, {2}), text=long_text), _q(3))
    poll = Poll(id=1, slug="s", question="{}")
    survey = Survey(PollView(poll, {"en": "T"}), questions)
    parts = {
        q.position: count_segments(
            texts.sms_text(
                texts.asked(survey, q, "en", buttons=False, title=q.position == 0), "en", "auto"
            )
        ).segments
        for q in questions
    }
    assert parts[2] > parts[1]
    thanks = count_segments(translate("en", texts.THANKS)).segments
    expected = parts[0] + parts[2] + parts[3] + thanks  # B and C are never both asked
    assert texts.worst_case_segments(survey, "en", "auto") == expected
    assert expected < sum(parts.values()) + thanks
