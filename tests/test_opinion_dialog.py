"""The opinion map in the conversation: a round reaches everyone reachable, votes by number,
by word in any language and by button, one's own statement redacted and held for staff, and
erasure taking votes and statements with it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from fikir.config.languages import LANGUAGE_CODES
from fikir.dialog.flows.matching import exact_choice
from fikir.dialog.flows.opinion import statement_wait
from fikir.dialog.messages import Choice, Reply
from fikir.dialog.opinion_outreach import send_round
from fikir.dialog.render import numbered
from fikir.i18n import translate
from fikir.opinion import texts as o
from fikir.opinion.service import (
    OpinionError,
    TopicSpec,
    create_topic,
    moderate,
    set_topic_status,
)
from fikir.outbox.segments import count_segments, fit_for_sms
from fikir.runtime import Runtime
from fikir.sms.segments import to_gsm7_azerbaijani
from fikir.storage.models import OutboxMessage
from fikir.storage.opinion_tables import OpinionStatement, OpinionVote
from fikir.storage.safety_tables import SafetyCase
from tests.harness import Conversation
from tests.test_polls_lifecycle import onboard
from tests.test_safety_e2e import AZ_REPRISAL

TOPIC = {
    "slug": "youth-centre",
    "title": {"en": "The youth centre", "az": "Gənclər mərkəzi", "ru": "Молодёжный центр"},
    "statements": [
        {
            "en": "The centre should open in the evenings.",
            "az": "Mərkəz axşamlar açıq olmalıdır.",
            "ru": "Центр должен работать по вечерам.",
        },
        {"en": "Sports matter more than computer classes.", "az": "İdman kompüterdən vacibdir."},
        {"ru": "Нужен отдельный зал для девушек."},
        {"en": "Entry should stay free.", "az": "Giriş pulsuz qalmalıdır."},
    ],
}


async def _seed(runtime: Runtime) -> int:
    async with runtime.sessions() as session, session.begin():
        topic = await create_topic(session, TopicSpec.from_dict(TOPIC))
        _, sent = await send_round(
            session, topic.slug, runtime.settings, datetime.now(UTC), confirmed=lambda _: True
        )
    assert topic.id is not None and sent is not None
    return sent


async def _votes(runtime: Runtime) -> list[tuple[int, int]]:
    async with runtime.sessions() as session:
        rows = (await session.exec(select(OpinionVote).order_by(OpinionVote.id))).all()
        return [(row.statement_id, row.vote) for row in rows]


async def _queued(runtime: Runtime) -> list[OutboxMessage]:
    async with runtime.sessions() as session:
        query = select(OutboxMessage).where(OutboxMessage.kind == "opinion")
        return list((await session.exec(query)).all())


async def test_sms_votes_by_number_and_word_then_adds_a_redacted_statement(
    runtime: Runtime,
) -> None:
    sms = await onboard(runtime, "sms", "+994505550101", "az", "baku")
    assert await _seed(runtime) == 1
    [queued] = await _queued(runtime)
    text = json.loads(queued.payload)["text"]  # plain letters by SMS, as every az SMS
    assert to_gsm7_azerbaijani("Mərkəz axşamlar açıq olmalıdır.") in text  # the least voted first
    assert "1 Raziyam  2 Razi deyilem  3 Bilmirem" in text
    await sms.send("1")  # agree
    assert "İdman kompüterdən vacibdir." in sms.text(), sms.text()
    await sms.send("disagree")  # the English word counts for an Azerbaijani speaker
    # The third has no Azerbaijani text: its fallback chain (az → … ) gives one that exists.
    assert "«" in sms.text()
    await sms.send("3")  # pass
    assert sms.said("az", o.SMS_ADD_ASK), sms.text()  # the short form by SMS
    assert await _votes(runtime) == [(1, 1), (2, -1), (3, 0)]
    await sms.send("Mənim nömrəm +994 50 123 45 67, zəng edin, mərkəzə kitabxana lazımdır")
    assert sms.said("az", o.ADDED), sms.text()
    async with runtime.sessions() as session:
        [own] = (
            await session.exec(select(OpinionStatement).where(OpinionStatement.status == "pending"))
        ).all()
    assert "123 45 67" not in own.texts and "kitabxana" in own.texts  # redacted, kept


async def test_telegram_votes_by_button_and_never_sees_its_own_statement(
    runtime: Runtime,
) -> None:
    author = await onboard(runtime, "sms", "+994505550102", "ru", "baku")
    tg = await onboard(runtime, "telegram", "tg-opinion-1", "ru", "baku")
    assert await _seed(runtime) == 2
    for _ in range(3):
        await author.send("2")
    await author.send("Молодёжный центр должен быть и в сёлах, не только в городе")
    async with runtime.sessions() as session, session.begin():
        own = (
            await session.exec(select(OpinionStatement).where(OpinionStatement.status == "pending"))
        ).one()
        assert own.id is not None
        await moderate(session, own.id, "approved")
    [first] = [m for m in await _queued(runtime) if m.channel == "telegram"]
    assert "Центр должен работать по вечерам." in first.payload
    await tg.press("opinion:v:1:3:a")
    assert [c.label for c in tg.choices()] == ["Согласен", "Не согласен", "Не знаю"]
    await tg.press(tg.choices()[1].payload)
    await tg.press(tg.choices()[2].payload)
    assert tg.said("ru", o.ADD_ASK), tg.text()
    await tg.press(tg.choices()[0].payload)  # Finish: back to the menu
    assert tg.choices()[0].payload == "menu:feedback"
    # The author's approved statement reaches the others (the least voted goes first), and
    # another round reaches whoever has statements left; never the author with their own.
    async with runtime.sessions() as session, session.begin():
        await send_round(
            session, "youth-centre", runtime.settings, datetime.now(UTC), confirmed=lambda _: True
        )
    to_author = [m.payload for m in await _queued(runtime) if m.channel == "sms"]
    told_tg = [text for way, text in tg.transcript if way == "out"]
    told_tg += [m.payload for m in await _queued(runtime) if m.channel == "telegram"]
    assert any("в сёлах" in text for text in told_tg)
    assert not any("в сёлах" in text for text in to_author)
    assert not any("в сёлах" in text for way, text in author.transcript if way == "out")


async def test_unknown_statement_or_closed_topic_is_refused_and_forget_erases(
    runtime: Runtime,
) -> None:
    sms = await onboard(runtime, "sms", "+994505550103", "en", "baku")
    await _seed(runtime)
    await sms.send("agree")
    assert "Sports matter more" in sms.text()
    assert await _votes(runtime) == [(1, 1)]
    async with runtime.sessions() as session, session.begin():
        await set_topic_status(session, "youth-centre", "closed")
    await sms.send("1")
    assert sms.said("en", o.CLOSED), sms.text()
    assert await _votes(runtime) == [(1, 1)]
    forged = Conversation(runtime.engine, channel="telegram", address="tg-opinion-2")
    await forged.press("opinion:v:999:3:a")  # not consented yet, no such statement: nothing
    await forged.press("opinion:v:1:3:x")
    assert await _votes(runtime) == [(1, 1)]
    await sms.send("FORGET")
    await sms.send("1")  # yes, erase
    assert await _votes(runtime) == []


async def test_a_topic_needs_statements_and_known_languages(runtime: Runtime) -> None:
    async with runtime.sessions() as session:
        with pytest.raises(OpinionError, match="statement"):
            await create_topic(session, TopicSpec.from_dict(TOPIC | {"statements": []}))
        with pytest.raises(OpinionError, match="xx"):
            await create_topic(session, TopicSpec.from_dict(TOPIC | {"statements": [{"xx": "Hm"}]}))


@pytest.mark.parametrize("reader", LANGUAGE_CODES)
def test_every_languages_vote_words_pick_that_vote_for_every_reader(reader: str) -> None:
    """Word for word, in any case and with a "!": Talysh "Razı nim" is not Azerbaijani
    "Razıyam", and "Не знаю" (Russian and Ukrainian alike) is a pass, not ambiguous."""
    wait = statement_wait(7, "A statement", 3, reader)
    for lang in LANGUAGE_CODES:
        for label, letter in o.VOTE_LABELS:
            word = translate(lang, label)
            for typed in (word, f"{word.upper()}!", f" {word.lower()} "):
                payload = exact_choice(typed, wait.choices + wait.also)
                assert payload == f"opinion:v:7:3:{letter}", (reader, lang, typed)


async def test_a_talysh_disagree_is_not_taken_for_an_azerbaijani_agree(runtime: Runtime) -> None:
    sms = await onboard(runtime, "sms", "+994505550104", "az", "baku")
    await _seed(runtime)
    await sms.send("Razı nim")  # Talysh "disagree"; fuzzy matching took it for "Razıyam"
    await sms.send("не знаю")  # Russian and Ukrainian "pass" alike
    assert await _votes(runtime) == [(1, -1), (2, 0)]


async def test_a_statement_about_a_threat_goes_to_the_safety_queue_not_to_a_vote(
    runtime: Runtime,
) -> None:
    tg = await onboard(runtime, "telegram", "tg-opinion-3", "az", "baku")
    await _seed(runtime)
    for vote in ("opinion:v:1:3:a", "opinion:v:2:2:a", "opinion:v:3:1:a"):
        await tg.press(vote)
    assert tg.said("az", o.ADD_ASK), tg.text()
    await tg.send("ok")  # too short to be a view: asked again
    assert tg.said("az", o.ADD_ASK), tg.text()
    await tg.send(AZ_REPRISAL)
    async with runtime.sessions() as session:
        statements = (await session.exec(select(OpinionStatement))).all()
        cases = (await session.exec(select(SafetyCase))).all()
    assert all(s.author_id is None for s in statements)  # only the seed statements
    assert len(cases) == 1
    assert not tg.said("az", o.ADDED)


async def test_a_statement_too_long_for_two_sms_parts_is_refused(runtime: Runtime) -> None:
    # Cyrillic SMS hold 67 letters a part: Russian readers would pay three parts or more.
    long_ru = "Молодёжный центр должен работать каждый день до десяти вечера, " * 2
    spec = TOPIC | {"statements": [{"en": "Short.", "ru": long_ru}]}
    async with runtime.sessions() as session:
        # Every reader who gets the Russian text pays for it: ru, and languages falling back to it.
        with pytest.raises(OpinionError, match=r"3 SMS parts for (ru|az) readers"):
            await create_topic(session, TopicSpec.from_dict(spec))
        await create_topic(session, TopicSpec.from_dict(TOPIC | {"slug": "fits"}))


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_every_sms_reply_of_the_opinion_map_fits_one_part(lang: str) -> None:
    finish = (Choice("opinion:done:1", translate(lang, o.FINISH)),)
    for message, choices in ((o.SMS_ADD_ASK, finish), (o.ADDED, ()), (o.CLOSED, ())):
        text = fit_for_sms(
            numbered(Reply(translate(lang, message), choices, lang), compact=True), lang
        )
        assert count_segments(text).segments == 1, (lang, text)
