"""Acceptance: a three-question survey with a skip rule, end to end over SMS.

`fikir run` as a subprocess with Twilio and the Android gateway as loopback fakes (the stack of
tests/test_sms_service.py). Staff see the whole survey's worst-case SMS cost before opening; the
first question reaches everyone through the outbox; people answer by replying with numbers and
words; what they are really sent on the longest way costs what the estimate said.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from fikir.config.settings import Settings
from fikir.dialog.outreach import open_poll
from fikir.polls.broadcast import plan_broadcast
from fikir.polls.lifecycle import close_poll
from fikir.polls.service import load_view
from fikir.polls.texts import RESULTS_HEADER
from fikir.sms.audit import POLL_LIMIT
from fikir.sms.segments import count_segments, to_gsm7_azerbaijani
from fikir.storage.models import Respondent
from fikir.storage.survey_tables import SurveyAnswer
from fikir.surveys import share, texts
from fikir.surveys.results import survey_results
from fikir.surveys.service import load_survey
from fikir.surveys.spec import SurveySpec, create_survey
from tests.harness import spoken
from tests.survey_data import WATER_SURVEY
from tests.test_sms_service import Stack, pseudonym, stack

__all__ = ["stack"]  # the module's service, as tests/test_sms_service.py builds it

pytestmark = pytest.mark.asyncio(loop_scope="module")

AZ_TWILIO = "+994501110001"
RU_TWILIO = "+994501110002"
AZ_PHONE = "+994551110003"  # writes through the Android gateway


def _az(msgid: str, **params: object) -> str:
    return to_gsm7_azerbaijani(spoken("az", msgid, **params))


async def _broadcast_to(stack: Stack, number: str, seen: int = 0) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        sent = stack.twilio.bodies(number) + stack.gate.texts(number)
        if len(sent) > seen:
            return sent[-1]
        await asyncio.sleep(0.1)
    raise AssertionError(f"nothing was sent to {number[:6]}…")


async def _sent_to(stack: Stack, number: str, start: str) -> str:
    """The first message sent to `number` that starts with `start` (waiting for the outbox)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for body in stack.twilio.bodies(number) + stack.gate.texts(number):
            if body.startswith(start):
                return body
        await asyncio.sleep(0.1)
    raise AssertionError(f"no {start!r} was sent to {number[:6]}…")


async def test_three_questions_with_a_skip_rule_over_sms(stack: Stack) -> None:
    await stack.twilio_sms(AZ_TWILIO, "Salam")
    await stack.twilio_sms(AZ_TWILIO, "1")
    await stack.twilio_sms(RU_TWILIO, "Здравствуйте")
    await stack.twilio_sms(RU_TWILIO, "1")
    await stack.gateway_sms(AZ_PHONE, AZ_PHONE, "Salam")
    await stack.gateway_sms(AZ_PHONE, AZ_PHONE, "1")
    seen = {
        n: len(stack.twilio.bodies(n) + stack.gate.texts(n))
        for n in (AZ_TWILIO, RU_TWILIO, AZ_PHONE)
    }

    settings = Settings()
    async with stack.sessions() as session, session.begin():
        spec = SurveySpec.from_dict(WATER_SURVEY)
        poll = await create_survey(session, spec)
        view = await load_view(session, poll.id or 0)
        survey = await load_survey(session, poll.id or 0)
        assert view is not None and survey is not None
        plan = await plan_broadcast(session, view, settings)
        await open_poll(session, spec.poll.slug, settings, datetime.now(UTC))
    # The estimate covers the whole survey: every question of the longest way and the thanks.
    az_each = plan.previews[("sms", "az")].segments_each
    ru_each = plan.previews[("sms", "ru")].segments_each
    assert az_each == texts.worst_case_segments(survey, "az", settings.sms_transliterate)
    assert az_each >= 4 and ru_each >= 4  # three questions and the thanks, one part at least each
    assert plan.total_segments == 2 * az_each + ru_each
    assert plan.estimated_cost == pytest.approx(plan.total_segments * settings.sms_segment_cost)

    # Twilio, Azerbaijani: "sometimes" → the problems question; a bad answer; then skip.
    first = await _broadcast_to(stack, AZ_TWILIO, seen[AZ_TWILIO])
    assert "(1/3)" in first and to_gsm7_azerbaijani(WATER_SURVEY["question"]["az"]) in first
    assert "1 He  2 Yox  3 Bezen" in first, first
    sent_on_the_way = [first]
    [second] = await stack.twilio_sms(AZ_TWILIO, "3", POLL_LIMIT)
    assert "(2/3)" in second and "1 Su kesilir" in second and _az(texts.HINT_MULTIPLE) in second
    sent_on_the_way.append(second)
    [third] = await stack.twilio_sms(AZ_TWILIO, "bir ve uc", POLL_LIMIT)
    assert "(3/3)" in third and _az(texts.HINT_SKIP, skip="KEC") in third, third
    sent_on_the_way.append(third)
    [again] = await stack.twilio_sms(AZ_TWILIO, "cox", POLL_LIMIT + 1)
    assert again.startswith(_az(texts.NOT_UNDERSTOOD)) and "(3/3)" in again
    [thanks] = await stack.twilio_sms(AZ_TWILIO, "kec")
    assert thanks == _az(texts.THANKS)
    sent_on_the_way.append(thanks)
    # What the longest way really cost is what staff were shown.
    assert sum(count_segments(body).segments for body in sent_on_the_way) == az_each

    # Twilio, Russian: "yes" → the problems question is not asked.
    first = await _broadcast_to(stack, RU_TWILIO, seen[RU_TWILIO])
    assert "1 Да  2 Нет  3 Иногда" in first, first
    [third] = await stack.twilio_sms(RU_TWILIO, "да", POLL_LIMIT)
    assert "(3/3)" in third and "(2/3)" not in third
    [thanks] = await stack.twilio_sms(RU_TWILIO, "часов двенадцать")
    assert thanks == spoken("ru", texts.THANKS)

    # The Android phone: "no" → the problems question, answered with numbers.
    await _broadcast_to(stack, AZ_PHONE, seen[AZ_PHONE])
    [second] = await stack.gateway_sms(AZ_PHONE, AZ_PHONE, "2")
    assert "(2/3)" in second
    [third] = await stack.gateway_sms(AZ_PHONE, AZ_PHONE, "1 4")
    assert "(3/3)" in third
    [thanks] = await stack.gateway_sms(AZ_PHONE, AZ_PHONE, "0")
    assert thanks == _az(texts.THANKS)

    async with stack.sessions() as session:
        ids = {
            number: (
                await session.exec(
                    select(Respondent.id).where(Respondent.pseudonym == pseudonym(number))
                )
            ).one()
            for number in (AZ_TWILIO, RU_TWILIO, AZ_PHONE)
        }
        rows = (
            await session.exec(select(SurveyAnswer).where(SurveyAnswer.poll_id == poll.id))
        ).all()
        stored = {(r.respondent_id, r.position): (r.value, r.skipped) for r in rows}
        found = await survey_results(session, survey, settings.k_anonymity)
    assert stored == {
        (ids[AZ_TWILIO], 0): ("2", False),
        (ids[AZ_TWILIO], 1): ("0 2", False),
        (ids[AZ_TWILIO], 2): ("", True),
        (ids[RU_TWILIO], 0): ("0", False),
        (ids[RU_TWILIO], 2): ("12", False),
        (ids[AZ_PHONE], 0): ("1", False),
        (ids[AZ_PHONE], 1): ("0 3", False),
        (ids[AZ_PHONE], 2): ("0", False),
    }
    # Three people: fewer than k, so no figure of any question is shown.
    assert [r.answered for r in found] == [None, None, None]


async def test_closing_sends_the_results_to_who_answered(stack: Stack) -> None:
    """After the test above: closing the survey texts each of the three a summary through the
    outbox, within two parts; three people are under k, so no figure is in it."""
    async with stack.sessions() as session, session.begin():
        _, shared = await close_poll(session, "water-survey", Settings(), datetime.now(UTC))
    assert shared == 3
    for number, lang in ((AZ_TWILIO, "az"), (RU_TWILIO, "ru"), (AZ_PHONE, "az")):
        title = WATER_SURVEY["question"][lang]
        header = spoken(lang, RESULTS_HEADER, question=title)
        too_few = spoken(lang, share.TOO_FEW)
        if lang == "az":
            header, too_few = to_gsm7_azerbaijani(header), to_gsm7_azerbaijani(too_few)
        body = await _sent_to(stack, number, header)
        assert f"(1/3) {too_few}" in body and "%" not in body, body
        assert count_segments(body).segments <= share.MAX_RESULT_SEGMENTS
