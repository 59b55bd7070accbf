"""A poll from creation to shared results, answered on Telegram, SMS and the console."""

from __future__ import annotations

import copy
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from fikir.cli.demo import DEMO_POLL
from fikir.dialog import prompts as p
from fikir.dialog.outreach import open_poll
from fikir.outbox.message import OutboundMessage
from fikir.outbox.segments import count_segments
from fikir.polls.lifecycle import close_poll
from fikir.polls.manage import PollError, PollSpec, create_poll
from fikir.polls.service import breakdown, load_view, results
from fikir.runtime import Runtime
from fikir.storage.models import OutboxMessage, Poll, PollAnswer
from tests.harness import Conversation


async def onboard(
    runtime: Runtime, channel: str, address: str, lang: str, region: str
) -> Conversation:
    talk = Conversation(runtime.engine, channel=channel, address=address)
    await talk.send("/start")
    await talk.press(f"lang:{lang}")
    await talk.press("consent:yes")
    await talk.press(f"region:{region}")
    await talk.press("age:18_24")
    await talk.press("gender:skip")
    return talk


async def test_creation_refuses_a_missing_language(runtime: Runtime) -> None:
    spec = copy.deepcopy(DEMO_POLL)
    del spec["question"]["lez"]
    async with runtime.sessions() as session:
        with pytest.raises(PollError, match="lez"):
            await create_poll(session, PollSpec.from_dict(spec))
    spec = copy.deepcopy(DEMO_POLL)
    spec["options"][1]["ka"] = " "
    async with runtime.sessions() as session:
        with pytest.raises(PollError, match="option 2: missing translation for ka"):
            await create_poll(session, PollSpec.from_dict(spec))


async def test_poll_from_creation_to_shared_results(runtime: Runtime) -> None:
    settings = runtime.settings
    people = (
        [await onboard(runtime, "telegram", f"tg-{i}", "ru", "baku") for i in range(5)]
        + [
            await onboard(runtime, "sms", f"+99450555000{i}", "az", "lankaran_astara")
            for i in range(4)
        ]
        + [await onboard(runtime, "console", f"console-{i}", "en", "karabakh") for i in range(3)]
    )
    async with runtime.sessions() as session, session.begin():
        await create_poll(session, PollSpec.from_dict(DEMO_POLL))
        poll, queued = await open_poll(session, "priority-demo", settings, datetime.now(UTC))
    assert queued == 9  # Telegram and SMS get it pushed; console users find it under /polls
    async with runtime.sessions() as session:
        rows = (await session.exec(select(OutboxMessage).where(OutboxMessage.kind == "poll"))).all()
    assert Counter(row.channel for row in rows) == {"telegram": 5, "sms": 4}
    for row in rows:
        message = OutboundMessage.from_json(row.payload)
        if row.channel == "sms":
            assert count_segments(message.text).segments <= 2 and "1 Su" in message.text
        else:
            assert [c[0] for c in message.choices] == [f"poll:{poll.id}:{i}" for i in range(3)]

    tg, sms, console = people[:5], people[5:9], people[9:]
    for talk, choice in zip(tg, [0, 0, 1, 1, 2], strict=True):
        await talk.press(f"poll:{poll.id}:{choice}")
        assert talk.said("ru", p.POLL_THANKS)
    # SMS subscribers reply in their own way: a digit, a word, an ordinal, the option's text.
    for talk, reply in zip(sms, ["1", "bir", "ikinci", "su"], strict=True):
        await talk.send(reply)
        assert talk.said("az", p.POLL_THANKS), (reply, talk.text())
    for talk in console:
        await talk.send("/polls")
        assert talk.choices()[0].payload == f"poll:{poll.id}:0"
        await talk.send("3")
        assert talk.said("en", p.POLL_THANKS)
    await tg[4].press(f"poll:{poll.id}:0")  # changed mind: replaces the earlier answer

    async with runtime.sessions() as session, session.begin():
        _, shared = await close_poll(session, "priority-demo", settings, datetime.now(UTC))
    assert shared == 9
    await console[0].send("/polls")
    assert console[0].said("en", p.NO_POLLS)
    await tg[0].press(f"poll:{poll.id}:2")  # too late
    assert tg[0].said("ru", p.POLL_CLOSED)

    async with runtime.sessions() as session:
        answers = (await session.exec(select(PollAnswer))).all()
        view = await load_view(session, poll.id or 0)
        assert view is not None
        result = await results(session, view, settings.k_anonymity)
        by_channel = await breakdown(session, view, "channel", settings.k_anonymity)
        stored = (await session.exec(select(Poll))).one()
    # Telegram 0,0,1,1,0 (one changed) · SMS 0,0,1,0 · console 2,2,2
    assert Counter(a.position for a in answers) == Counter({0: 6, 1: 3, 2: 3})
    assert len(answers) == 12
    # The console's three answers are staff trying the poll: stored, never counted. So 9
    # people: option 2 (3) is under k = 5 alone, the next smallest (option 1, 6) joins it, and
    # nothing is shown on its own.
    assert result.counts.total == 9
    assert result.counts.shown == {}
    # Everything merged: an "Other answers 100%" row would say nothing (issue 19), only the
    # total of 9 is shown, and a table whose one column is "other options" is not drawn.
    assert result.counts.other is None
    assert by_channel.suppressed and by_channel.columns == ()
    assert stored.results_shared_at is not None
