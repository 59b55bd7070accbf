"""A participant asks for a statement to vote on at any time, as /polls asks for a poll: by a
keyword in their language (or /opinion, OPINION in any), on every channel. They get the next
statement of an open topic, or word in their language that nothing is open now."""

from __future__ import annotations

import pytest
from sqlmodel import select

from fikir.config.languages import LANGUAGE_CODES, get_language
from fikir.dialog.keywords import keyword
from fikir.dialog.messages import Reply
from fikir.dialog.render import numbered
from fikir.i18n import translate
from fikir.opinion import texts as o
from fikir.opinion.service import TopicSpec, create_topic, set_topic_status
from fikir.outbox.segments import count_segments, fit_for_sms
from fikir.runtime import Runtime
from fikir.storage.opinion_tables import OpinionVote
from tests.test_opinion_dialog import TOPIC
from tests.test_polls_lifecycle import onboard


async def _topic(runtime: Runtime, status: str) -> None:
    async with runtime.sessions() as session, session.begin():
        await create_topic(session, TopicSpec.from_dict(TOPIC))
        await set_topic_status(session, TOPIC["slug"], status)


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_every_language_has_its_own_word_and_the_shared_ones(lang: str) -> None:
    words = get_language(lang).keywords_for("opinion")
    assert words, lang
    for word in (*words, "/opinion", "OPINION", words[0].upper()):
        assert keyword(word) == "opinion", (lang, word)


async def test_nothing_open_is_said_in_each_language_on_each_channel(runtime: Runtime) -> None:
    await _topic(runtime, "draft")  # a draft topic is not open
    for number, lang in enumerate(LANGUAGE_CODES):
        for channel, address in (
            ("sms", f"+99450555{number:04d}"),
            ("telegram", f"tg-ask-{number}"),
        ):
            talk = await onboard(runtime, channel, address, lang, "baku")
            for word in (get_language(lang).keywords_for("opinion")[0], "/opinion"):
                await talk.send(word)
                assert talk.said(lang, o.NOTHING_OPEN), (lang, channel, word, talk.text())


async def test_asking_gets_the_next_statement_of_an_open_topic_until_none_is_left(
    runtime: Runtime,
) -> None:
    await _topic(runtime, "open")
    sms = await onboard(runtime, "sms", "+994505550301", "ru", "baku")
    await sms.send("мнение")
    assert "Центр должен работать по вечерам." in sms.text(), sms.text()
    assert [c.label for c in sms.choices()] == ["Согласен", "Не согласен", "Не знаю"]
    await sms.send("1")  # the vote, and the next statement of the round
    assert "«" in sms.text()
    tg = await onboard(runtime, "telegram", "tg-ask-ru", "ru", "baku")
    await tg.send("/opinion")
    assert [c.label for c in tg.choices()] == ["Согласен", "Не согласен", "Не знаю"]
    # Three in a row, then the offer to add one's own; asked again, the fourth, then nothing.
    for _ in range(3):
        await tg.press(tg.choices()[1].payload)
    assert tg.said("ru", o.ADD_ASK), tg.text()
    await tg.send("обсуждение")
    assert tg.choices()[0].payload == "opinion:v:1:3:a", tg.text()  # the one left
    await tg.press(tg.choices()[1].payload)
    await tg.send("обсуждение")
    assert tg.said("ru", o.NOTHING_OPEN), tg.text()  # all four voted on: nothing left
    async with runtime.sessions() as session:
        votes = (await session.exec(select(OpinionVote))).all()
    assert len(votes) == 1 + 4 and {v.statement_id for v in votes} == {1, 2, 3, 4}


async def test_a_closed_topic_offers_nothing(runtime: Runtime) -> None:
    await _topic(runtime, "closed")
    talk = await onboard(runtime, "telegram", "tg-ask-closed", "az", "baku")
    await talk.send("müzakirə")
    assert talk.said("az", o.NOTHING_OPEN), talk.text()


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_nothing_open_fits_one_sms_part(lang: str) -> None:
    text = fit_for_sms(numbered(Reply(translate(lang, o.NOTHING_OPEN), (), lang)), lang)
    assert count_segments(text).segments == 1, (lang, text)
