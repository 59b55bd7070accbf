"""The thanks promises an answer can change until the poll closes: the bot keeps that promise
on SMS and Telegram, by number, by option word and through the polls keyword."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from fikir.cli.demo import DEMO_POLL
from fikir.dialog import prompts as p
from fikir.dialog.outreach import open_poll
from fikir.polls.lifecycle import close_poll
from fikir.polls.manage import PollSpec, create_poll
from fikir.runtime import Runtime
from fikir.storage.models import Feedback, PollAnswer
from tests.harness import Conversation
from tests.test_polls_lifecycle import onboard


async def _positions(runtime: Runtime) -> list[int]:
    async with runtime.sessions() as session:
        return [a.position for a in (await session.exec(select(PollAnswer))).all()]


async def _open(runtime: Runtime) -> int:
    async with runtime.sessions() as session, session.begin():
        await create_poll(session, PollSpec.from_dict(DEMO_POLL))
        poll, _ = await open_poll(session, "priority-demo", runtime.settings, datetime.now(UTC))
    assert poll.id is not None
    return poll.id


async def _close(runtime: Runtime) -> None:
    async with runtime.sessions() as session, session.begin():
        await close_poll(session, "priority-demo", runtime.settings, datetime.now(UTC))


def _refused(talk: Conversation, lang: str) -> bool:
    return talk.said(lang, p.NOT_WORDS) or talk.said(lang, p.NO_POLLS)


async def test_sms_answer_changes_by_number_word_and_keyword(runtime: Runtime) -> None:
    sms = await onboard(runtime, "sms", "+994505550001", "az", "baku")
    await _open(runtime)
    await sms.send("1")
    assert sms.said("az", p.POLL_THANKS)
    assert await _positions(runtime) == [0]
    await sms.send("2")  # the promise: a new number changes it
    assert sms.said("az", p.POLL_THANKS) and not _refused(sms, "az"), sms.text()
    assert await _positions(runtime) == [1]
    await sms.send("su")  # an option word too
    assert sms.said("az", p.POLL_THANKS), sms.text()
    assert await _positions(runtime) == [0]
    await sms.send("sorğu")  # the polls keyword offers the answered poll with its answer
    assert sms.said("az", p.POLL_CURRENT, answer="Su") and not _refused(sms, "az"), sms.text()
    assert [c.label for c in sms.choices()][:2] == ["Su", "İş"]
    await sms.send("3")
    assert await _positions(runtime) == [2]
    await sms.send("9")  # no such option: asked to pick one, not told to write words
    assert sms.said("az", p.PICK_ONE) and not sms.said("az", p.NOT_WORDS), sms.text()
    assert await _positions(runtime) == [2]
    await _close(runtime)
    await sms.send("1")
    assert sms.said("az", p.POLL_CLOSED), sms.text()
    assert await _positions(runtime) == [2]


async def test_telegram_answer_changes_by_typed_number_and_polls_command(
    runtime: Runtime,
) -> None:
    tg = await onboard(runtime, "telegram", "tg-1", "ru", "baku")
    poll_id = await _open(runtime)
    await tg.press(f"poll:{poll_id}:0")
    assert tg.said("ru", p.POLL_THANKS)
    assert tg.choices()[0].payload == "menu:feedback"  # the menu stays under the thanks
    await tg.send("2")
    assert tg.said("ru", p.POLL_THANKS) and not _refused(tg, "ru"), tg.text()
    assert await _positions(runtime) == [1]
    await tg.send("/polls")
    assert tg.said("ru", p.POLL_CURRENT, answer="Работа"), tg.text()
    assert tg.choices()[0].payload == f"poll:{poll_id}:0"
    await tg.press(tg.choices()[2].payload)
    assert await _positions(runtime) == [2]
    # A sentence after answering is still feedback, and leaves the answer alone.
    await tg.send("В нашем селе нет воды уже третью неделю подряд")
    async with runtime.sessions() as session:
        assert len((await session.exec(select(Feedback))).all()) == 1
    assert await _positions(runtime) == [2]
