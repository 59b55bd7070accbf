"""A survey in the conversation on the console, Telegram and SMS (in-process engine): kinds,
skip rule, skip and stop words, bad answers asked again with nothing lost."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from fikir.config.channels import CHANNELS
from fikir.dialog import prompts as p
from fikir.dialog.outreach import open_poll
from fikir.runtime import Runtime
from fikir.storage.models import Feedback
from fikir.storage.survey_tables import SurveyAnswer
from fikir.surveys import texts
from fikir.surveys.spec import SurveySpec, create_survey
from tests.harness import spoken
from tests.survey_data import water_survey
from tests.test_polls_lifecycle import onboard


async def _open(runtime: Runtime, data: dict[str, object] | None = None) -> int:
    async with runtime.sessions() as session, session.begin():
        spec = SurveySpec.from_dict(data or water_survey())
        await create_survey(session, spec)
        poll, _ = await open_poll(session, spec.poll.slug, runtime.settings, datetime.now(UTC))
    assert poll.id is not None
    return poll.id


async def _answers(runtime: Runtime) -> dict[int, tuple[str, bool, int | None]]:
    async with runtime.sessions() as session:
        rows = (await session.exec(select(SurveyAnswer))).all()
    return {row.position: (row.value, row.skipped, row.feedback_id) for row in rows}


async def test_console_survey_with_skip_rule_and_a_bad_answer(runtime: Runtime) -> None:
    talk = await onboard(runtime, "console", "c-1", "az", "baku")
    await _open(runtime)
    await talk.send("sorğu")
    assert "Su haqqında qısa sorğu" in talk.text() and "(1/3)" in talk.text(), talk.text()
    await talk.send("bəzən")
    assert "(2/3)" in talk.text() and spoken("az", texts.HINT_MULTIPLE) in talk.text()
    await talk.send("bilmirəm")  # not an answer: asked again, nothing stored for it
    assert spoken("az", texts.NOT_UNDERSTOOD) in talk.text(), talk.text()
    assert "(2/3)" in talk.text()
    await talk.send("1 və 3")
    assert "(3/3)" in talk.text() and "0" in talk.text()
    await talk.send("30")  # out of range: the range is said
    assert spoken("az", texts.HINT_RANGE, low=0, high=24) in talk.text(), talk.text()
    await talk.send("on iki")
    assert spoken("az", texts.THANKS) in talk.text(), talk.text()
    assert await _answers(runtime) == {
        0: ("2", False, None),
        1: ("0 2", False, None),
        2: ("12", False, None),
    }


async def test_telegram_buttons_skip_rule_hides_question_two(runtime: Runtime) -> None:
    tg = await onboard(runtime, "telegram", "tg-7", "ru", "baku")
    survey_id = await _open(runtime)
    await tg.send("/polls")
    payloads = [c.payload for c in tg.choices()]
    assert payloads == [f"survey:{survey_id}:0:{i}" for i in range(3)] + [
        f"survey:{survey_id}:0:skip",
        f"survey:{survey_id}:0:stop",
    ]
    await tg.press(f"survey:{survey_id}:0:0")  # "Да": question 2 is not for them
    assert "(3/3)" in tg.text(), tg.text()
    await tg.send("часов пять")
    assert spoken("ru", texts.THANKS) in tg.text(), tg.text()
    assert await _answers(runtime) == {0: ("0", False, None), 2: ("5", False, None)}
    assert tg.choices()[0].payload == "menu:feedback"


async def test_sms_skip_stop_and_resume(runtime: Runtime) -> None:
    sms = await onboard(runtime, "sms", "+994505550009", "ru", "baku")
    await _open(runtime)
    await sms.send("опрос")
    assert "1 Да" in sms.text() or sms.choices(), sms.text()
    await sms.send("0")  # skip: question 2 depended on it, so the number question comes
    assert "(3/3)" in sms.text(), sms.text()
    assert spoken("ru", texts.HINT_SKIP, skip="ПРОПУСТИТЬ") in sms.text(), sms.text()
    await sms.send("Остановить опрос")
    assert spoken("ru", texts.STOPPED, polls="ОПРОС") in sms.text(), sms.text()
    await sms.send("опрос")  # back where they stopped
    assert "(3/3)" in sms.text(), sms.text()
    await sms.send("пропустить")
    assert spoken("ru", texts.THANKS) in sms.text()
    assert await _answers(runtime) == {0: ("", True, None), 2: ("", True, None)}
    await sms.send("опрос")
    assert sms.said("ru", p.NO_POLLS), sms.text()


async def test_a_sentence_during_a_choice_question_is_kept_as_feedback(runtime: Runtime) -> None:
    talk = await onboard(runtime, "console", "c-2", "en", "baku")
    await _open(runtime)
    await talk.send("/polls")
    await talk.send("The water in our village has been dirty for three weeks now")
    async with runtime.sessions() as session:
        assert len((await session.exec(select(Feedback))).all()) == 1
    assert "(1/3)" in talk.text()  # and the question is asked again
    assert await _answers(runtime) == {}


@pytest.mark.parametrize("channel", list(CHANNELS))
async def test_every_registered_channel_takes_the_survey(runtime: Runtime, channel: str) -> None:
    """Typed replies work wherever the survey is asked: buttons or not, paid or not."""
    talk = await onboard(runtime, channel, f"addr-{channel}", "uk", "baku")
    await _open(runtime)
    await talk.send("/polls")
    assert "(1/3)" in talk.text(), talk.transcript
    await talk.send("іноді")
    assert "(2/3)" in talk.text() and spoken("uk", texts.HINT_MULTIPLE) in talk.text()
    await talk.send("один та три")
    assert "(3/3)" in talk.text()
    await talk.send("двадцять")
    assert spoken("uk", texts.THANKS) in talk.text(), talk.text()
    assert await _answers(runtime) == {
        0: ("2", False, None),
        1: ("0 2", False, None),
        2: ("20", False, None),
    }


async def test_an_answer_with_reasons_is_stored_and_its_words_kept(runtime: Runtime) -> None:
    talk = await onboard(runtime, "sms", "+994505550077", "az", "baku")
    await _open(runtime)
    await talk.send("sorğu")
    await talk.send("bəzən, çünki su həftədə iki dəfə kəsilir və çirkli gəlir")
    assert "(2/3)" in talk.text(), talk.text()
    assert await _answers(runtime) == {0: ("2", False, None)}
    async with runtime.sessions() as session:
        [kept] = (await session.exec(select(Feedback))).all()
    assert kept.text is not None and "çirkli" in kept.text


async def test_forged_survey_buttons_store_nothing(runtime: Runtime) -> None:
    tg = await onboard(runtime, "telegram", "tg-forge", "en", "baku")
    survey_id = await _open(runtime)
    await tg.send("/polls")
    for payload in (
        f"survey:{survey_id}:0:7",  # no eighth choice
        f"survey:{survey_id}:9:0",  # no tenth question
        f"survey:{survey_id}:0:-1",
        f"survey:{survey_id}:2:1",  # a number question has no buttons of values
        f"survey:{survey_id + 1}:0:0",  # no such survey
        "survey:x:y:z",
        "survey:1",
        f"survey:{survey_id}:0:٣",
    ):
        replies = await tg.press(payload)
        assert replies, payload  # always an answer: the question again, or the menu
    assert await _answers(runtime) == {}
