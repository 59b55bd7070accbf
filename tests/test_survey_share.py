"""A closed survey's results go back to the people who answered it, as a poll's do: through the
outbox, in their language, per question suppressed below k, free text never summarised, and by
SMS in at most two parts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlmodel import select

from fikir.config.languages import LANGUAGE_CODES
from fikir.outbox.message import OutboundMessage
from fikir.outbox.segments import count_segments
from fikir.polls import texts as poll_texts
from fikir.polls.lifecycle import close_poll
from fikir.runtime import Runtime
from fikir.storage.models import OutboxMessage, Respondent
from fikir.surveys import share
from fikir.surveys import texts as survey_texts
from fikir.surveys.results import survey_results
from fikir.surveys.service import Survey, load_survey
from tests.harness import spoken
from tests.survey_data import water_survey
from tests.test_polls_lifecycle import onboard
from tests.test_survey_results import PEOPLE, RATE_AND_SAY, _survey

LANGS = ("az", "ru", "en", "tly", "lez", "ka", "uk")


async def _shared(runtime: Runtime) -> dict[str, tuple[OutboxMessage, OutboundMessage]]:
    """The results queued, by the address of whom they go to."""
    async with runtime.sessions() as session:
        rows = (
            await session.exec(select(OutboxMessage).where(OutboxMessage.kind == "results"))
        ).all()
        people = dict((await session.exec(select(Respondent.pseudonym, Respondent.channel))).all())
    assert all(row.pseudonym in people for row in rows)
    return {row.pseudonym: (row, OutboundMessage.from_json(row.payload)) for row in rows}


async def test_results_go_back_to_who_answered(runtime: Runtime) -> None:
    survey_id = await _survey(runtime, water_survey())
    talks = []
    for i, answers in enumerate(PEOPLE):  # 8 on Telegram in English, 4 by SMS in Russian
        channel, lang = ("telegram", "en") if i % 3 else ("sms", "ru")
        address = f"tg-{i}" if channel == "telegram" else f"+9945011130{i:02d}"
        talk = await onboard(runtime, channel, address, lang, "baku")
        await talk.send("/polls")
        for answer in answers:
            if answer is not None:
                await talk.send(answer)
        assert talk.said(lang, survey_texts.THANKS), talk.transcript
        talks.append(talk)
    skipper = await onboard(runtime, "telegram", "tg-skips", "en", "baku")
    await skipper.send("/polls")
    await skipper.send("0")  # skips the first question: the second is not asked then
    await skipper.send("skip")
    assert skipper.said("en", survey_texts.THANKS), skipper.transcript
    trier = await onboard(runtime, "console", "c-1", "en", "baku")  # staff trying it
    await trier.send("/polls")
    await trier.send("1")

    async with runtime.sessions() as session, session.begin():
        _, shared = await close_poll(session, "water-survey", runtime.settings, datetime.now(UTC))
    assert shared == 12  # not the one who skipped everything, not the console
    found = await _shared(runtime)
    assert len(found) == 12
    async with runtime.sessions() as session:
        channels = dict(
            (await session.exec(select(Respondent.pseudonym, Respondent.channel))).all()
        )
    chats = [m for row, m in found.values() if channels[row.pseudonym] == "telegram"]
    texts = [m for row, m in found.values() if channels[row.pseudonym] == "sms"]
    assert len(chats) == 8 and len(texts) == 4
    chat = chats[0].text
    assert chat.startswith(spoken("en", poll_texts.RESULTS_THANKS))
    assert "(1/3) Do you have running water at home?" in chat
    # Question 1: "sometimes" 6 of 12; yes (1) and no (5) merged, as in every other view.
    assert "Sometimes: 50%, " + spoken("en", poll_texts.RESULTS_OTHER, percent=50) in chat
    assert "Yes:" not in chat and "No:" not in chat
    # Question 2: "cuts" by all 11 asked; the rest, 9 distinct people, merged.
    assert "Cuts: 100%, " + spoken("en", poll_texts.RESULTS_OTHER, percent=82) in chat
    assert spoken("en", share.MIDDLE, value="6") in chat
    assert "12 people answered." in chat and "11 people answered." in chat

    # By SMS: Russian, the figures by question number, in one or two parts.
    sms_rows = [row for row, _ in found.values() if channels[row.pseudonym] == "sms"]
    body = texts[0].text
    assert "(1/3) Иногда: 50%" in body and "(2/3) Отключения: 100%" in body
    assert count_segments(body).segments <= share.MAX_RESULT_SEGMENTS
    assert all(row.segments == count_segments(body).segments for row in sms_rows)

    # Queued once per person: queueing again (a second instance, a retry) sends nothing more.
    async with runtime.sessions() as session, session.begin():
        survey = await load_survey(session, survey_id)
        assert survey is not None
        again = await share.queue_survey_results(
            session, survey, runtime.settings, datetime.now(UTC)
        )
    assert again == 0 and len(await _shared(runtime)) == 12


async def test_under_k_and_free_text_are_not_summarised(runtime: Runtime) -> None:
    await _survey(runtime, RATE_AND_SAY)
    for i in range(5):
        talk = await onboard(runtime, "telegram", f"tg-r{i}", "en", "baku")
        await talk.send("/polls")
        await talk.send("4" if i < 4 else "2")
        await talk.send("The clinic needs a doctor on Saturdays.")
        assert talk.said("en", survey_texts.THANKS), talk.transcript
    async with runtime.sessions() as session, session.begin():
        _, shared = await close_poll(
            session, "services-survey", runtime.settings, datetime.now(UTC)
        )
    assert shared == 5
    [text] = {message.text for _, message in (await _shared(runtime)).values()}
    # Rating: "4" by 4 people is under k alone; with the single "2" merged it is 5 people,
    # and nothing stands on its own: the question says its figures cannot be shown.
    assert "(1/2) Rate the services (en)" in text
    assert spoken("en", share.TOO_FEW) in text
    assert "What should change?" not in text and "doctor" not in text  # free text: never


async def test_sms_summary_stays_within_two_parts(runtime: Runtime) -> None:
    long_questions = [
        {
            "kind": "single",
            "text": {lang: f"Вопрос номер {n} о воде, дорогах и школах ({lang})" for lang in LANGS},
            "choices": [{lang: f"Вариант ответа {c} ({lang})" for lang in LANGS} for c in "АБВ"],
        }
        for n in range(1, 7)
    ]
    data = water_survey(slug="long-survey", questions=long_questions)
    survey_id = await _survey(runtime, data)
    for i in range(5):
        talk = await onboard(runtime, "sms", f"+9945011140{i:02d}", "ru", "baku")
        await talk.send("опрос")
        for _ in long_questions:
            await talk.send("1")
        assert talk.said("ru", survey_texts.THANKS), talk.transcript
    async with runtime.sessions() as session, session.begin():
        _, shared = await close_poll(session, "long-survey", runtime.settings, datetime.now(UTC))
    assert shared == 5
    rows = await _shared(runtime)
    [text] = {message.text for _, message in rows.values()}
    info = count_segments(text)
    assert info.encoding == "UCS-2" and info.segments == share.MAX_RESULT_SEGMENTS, info
    # The first questions, in order, then a line that says the rest did not fit.
    assert text.startswith(spoken("ru", poll_texts.RESULTS_HEADER, question=data["question"]["ru"]))
    assert "(1/6) Вариант ответа А (ru): 100%" in text
    assert "(2/6) " in text and "(3/6)" not in text  # as many as fit, then the note
    assert text.endswith(spoken("ru", share.MORE_NOT_SENT))
    assert {row.segments for row, _ in rows.values()} == {info.segments}

    # Every language, and a title that alone nearly fills two parts: never more than two.
    async with runtime.sessions() as session:
        survey = await load_survey(session, survey_id)
        assert survey is not None
        found = await survey_results(session, survey, runtime.settings.k_anonymity)
    long_title = dict.fromkeys(LANGS, "Очень длинный заголовок опроса " * 5)
    titled = Survey(replace(survey.poll, question=long_title, _chosen={}), survey.questions)
    for lang in LANGUAGE_CODES:
        for each in (survey, titled):
            body = share.sms_summary(each, found, lang, runtime.settings.sms_transliterate)
            assert count_segments(body).segments <= share.MAX_RESULT_SEGMENTS, (lang, body)
            assert "(1/6)" in body, (lang, body)
