"""The updates question: asked once, after a person's first feedback only, on Telegram and SMS;
changeable in settings, by /news and by the SMS keyword; a poll-linked update reaches those who
answered the poll and asked for updates."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from fikir.dialog import prompts as p
from fikir.dialog.messages import Reply
from fikir.dialog.state import State
from fikir.i18n import translate
from fikir.polls.manage import PollSpec, create_poll, set_status
from fikir.privacy.retention import months_before
from fikir.runtime import Runtime
from fikir.storage.models import Respondent
from fikir.updates.audience import recipients
from fikir.updates.manage import create_update, load_update
from fikir.updates.model import UpdateSpec
from tests.harness import Conversation
from tests.updates_people import WATER


def asked(replies: list[Reply], lang: str, *, sms: bool = False) -> int:
    """How many replies carry the updates question."""
    question = translate(lang, p.SMS_UPDATES_ASK if sms else p.UPDATES_ASK)
    return sum(question in reply.text for reply in replies)


async def opt_in(runtime: Runtime, channel: str, address: str) -> Respondent:
    name = runtime.services.pseudonymizer.pseudonym(channel, address)
    async with runtime.sessions() as session:
        return (await session.exec(select(Respondent).where(Respondent.pseudonym == name))).one()


async def profile(talk: Conversation, lang: str) -> list[Reply]:
    for step in ("/start", f"lang:{lang}", "consent:yes", "region:karabakh", "age:18_24"):
        await (talk.send(step) if step.startswith("/") else talk.press(step))
    return await talk.press("gender:skip")


async def test_telegram_asks_once_after_the_first_feedback(sqlite_runtime: Runtime) -> None:
    talk = Conversation(sqlite_runtime.engine, channel="telegram", address="7200000001")
    assert asked(await profile(talk, "ru"), "ru") == 0  # nothing written yet: not asked
    await talk.press("menu:polls")
    await talk.send("/results")
    assert (await opt_in(sqlite_runtime, "telegram", "7200000001")).updates_opt_in is None
    first = await talk.send(WATER["ru"])
    assert asked(first, "ru") == 0  # the topic question first
    topic = next(c.payload for c in talk.choices() if c.payload.endswith(":6"))
    after_topic = await talk.press(topic)
    assert asked(after_topic, "ru") == 1
    assert [c.payload for c in talk.choices()] == ["updates:yes", "updates:no"]
    # Asked means answered "no" until the person says yes: nobody is asked twice.
    assert (await opt_in(sqlite_runtime, "telegram", "7200000001")).updates_opt_in is False
    await talk.press("updates:yes")
    assert talk.said("ru", p.UPDATES_ON)
    assert talk.choices()[0].payload == "menu:feedback"  # back in the menu
    for _ in range(3):
        later = await talk.send(WATER["ru"])
        assert asked(later, "ru") == 0
        await talk.press(next(c.payload for c in talk.choices() if c.payload.startswith("topic:")))
        assert asked(talk.last, "ru") == 0
    person = await opt_in(sqlite_runtime, "telegram", "7200000001")
    assert person.updates_opt_in is True and person.state == State.MENU
    # Settings, and /news, ask again; the answer changes it.
    await talk.press("menu:settings")
    assert "settings:updates" in [c.payload for c in talk.choices()]
    assert asked(await talk.press("settings:updates"), "ru") == 1
    await talk.press("updates:no")
    assert talk.said("ru", p.UPDATES_OFF) and talk.said("ru", p.MENU)
    assert (await opt_in(sqlite_runtime, "telegram", "7200000001")).updates_opt_in is False
    assert asked(await talk.send("/news"), "ru") == 1
    await talk.send("да")  # a typed answer works as the button does
    assert talk.said("ru", p.UPDATES_ON)
    assert (await opt_in(sqlite_runtime, "telegram", "7200000001")).updates_opt_in is True


async def test_an_ignored_question_is_not_asked_again(sqlite_runtime: Runtime) -> None:
    talk = Conversation(sqlite_runtime.engine, channel="telegram", address="7200000002")
    await profile(talk, "en")
    await talk.send("I would like more evening buses between the villages and town")
    if talk.choices()[0].payload.startswith("topic:"):
        await talk.send(WATER["en"])  # passes the topic over: the question comes now, once
    assert asked(talk.last, "en") == 1
    for text in (WATER["en"], "Our school has no heating in winter, children are cold"):
        replies = await talk.send(text)  # writes on instead of answering
        assert asked(replies, "en") == 0
    assert (await opt_in(sqlite_runtime, "telegram", "7200000002")).updates_opt_in is False


async def test_sms_asks_once_in_one_segment_or_beside_the_thanks(sqlite_runtime: Runtime) -> None:
    az = Conversation(sqlite_runtime.engine, channel="sms", address="+994501110001")
    ru = Conversation(sqlite_runtime.engine, channel="sms", address="+994551110002")
    for talk, join in ((az, "QOŞUL"), (ru, "ПОДПИСКА")):
        await talk.send(join)
        for reply in ("1", "Salyan", "2", "3"):
            assert asked(await talk.send(reply), "az", sms=True) == 0
    # Azerbaijani: the question rides on the thanks (one SMS). Russian: two one-part SMS.
    [joined] = await az.send(WATER["az"])
    assert joined.text.startswith(translate("az", p.SMS_THANKS).split("{")[0])
    assert asked([joined], "az", sms=True) == 1
    thanks, question = await ru.send(WATER["ru"])
    assert asked([thanks], "ru", sms=True) == 0 and asked([question], "ru", sms=True) == 1
    await az.send("2")
    assert az.said("az", p.UPDATES_OFF)
    await ru.send("1")
    assert ru.said("ru", p.UPDATES_ON)
    assert asked(await az.send("Yollar da çox pisdir, qışda keçmək olmur"), "az", sms=True) == 0
    # The keyword asks again, in either spelling.
    assert asked(await az.send("XEBER"), "az", sms=True) == 1
    await az.send("1")
    assert az.said("az", p.UPDATES_ON)
    assert asked(await ru.send("НОВОСТИ"), "ru", sms=True) == 1
    assert (await opt_in(sqlite_runtime, "sms", "+994501110001")).updates_opt_in is True
    # A first SMS that is feedback is kept until consent: asked after the profile, not before.
    first = Conversation(sqlite_runtime.engine, channel="sms", address="+994701110003")
    await first.send(WATER["az"])
    for reply in ("1", "Salyan", "2"):
        assert asked(await first.send(reply), "az", sms=True) == 0
    assert asked(await first.send("3"), "az", sms=True) == 1
    await first.send("1")
    assert (await opt_in(sqlite_runtime, "sms", "+994701110003")).updates_opt_in is True


async def test_a_poll_linked_update_reaches_those_who_answered(sqlite_runtime: Runtime) -> None:
    runtime = sqlite_runtime
    now = datetime.now(UTC)
    async with runtime.sessions() as session, session.begin():
        poll = await create_poll(
            session,
            PollSpec(
                "bus", dict.fromkeys(("az", "ru", "en", "tly", "lez", "ka", "uk"), "Bus?"),
                tuple(dict.fromkeys(("az", "ru", "en", "tly", "lez", "ka", "uk"), w)
                      for w in ("Yes", "No")),
            ),
        )  # fmt: skip
        await set_status(session, "bus", "open", now)
    people = {}
    for n, (answers, updates) in enumerate([(True, "yes"), (True, "no"), (False, "yes")]):
        talk = Conversation(runtime.engine, channel="telegram", address=f"720000010{n}")
        await profile(talk, "az")
        await talk.send("Avtobus axşamlar işləmir, kəndə gedə bilmirik")
        if talk.choices()[0].payload.startswith("topic:"):
            await talk.press(talk.choices()[-1].payload)
        await talk.press(f"updates:{updates}")
        if answers:
            await talk.press(f"poll:{poll.id}:0")
        people[n] = runtime.services.pseudonymizer.pseudonym("telegram", f"720000010{n}")
    async with runtime.sessions() as session, session.begin():
        update = await create_update(
            session,
            UpdateSpec({"az": "Avtobus"}, {"az": "Axşam reysi açıldı."}, poll_id=poll.id),
            None,
            now,
        )
        loaded = await load_update(session, update.id or 0)
        assert loaded is not None
        found = await recipients(session, loaded, months_before(now, 6))
    assert [r.pseudonym for r in found] == [people[0]]
