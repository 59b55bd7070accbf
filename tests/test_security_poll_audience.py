"""Nobody outside a poll's audience, and nobody after it closed, gets an answer stored.

Every path an answer can take is tried: a Telegram button's payload forged for a poll the chat
was never sent, an SMS number and a typed word replying to a poll whose audience the sender has
since left, and payloads for options or polls that do not exist. Each refusal is a translated
reply in the person's language, never a crash and never a false "thank you".
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from sqlmodel import func, select

from fikir.cli.demo import DEMO_POLL
from fikir.dialog import prompts as p
from fikir.dialog.outreach import open_poll
from fikir.polls.lifecycle import close_poll
from fikir.polls.manage import PollSpec, create_poll
from fikir.runtime import Runtime
from fikir.storage.models import Poll, PollAnswer, Respondent
from tests.harness import Conversation

OUTSIDE_TEXT = {
    # The refusal as each person reads it (asserted on the text, not only on a message id).
    "az": "başqa qrup üçündür",
    "ru": "для другой группы",
}


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


async def add_poll(runtime: Runtime, slug: str, audience: dict[str, Any]) -> int:
    spec = copy.deepcopy(DEMO_POLL)
    spec["slug"] = slug
    spec["audience"] = audience
    async with runtime.sessions() as session, session.begin():
        await create_poll(session, PollSpec.from_dict(spec))
        poll, _ = await open_poll(session, slug, runtime.settings, datetime.now(UTC))
        return poll.id or 0


async def answers(runtime: Runtime, poll_id: int | None = None) -> int:
    query = select(func.count()).select_from(PollAnswer)
    if poll_id is not None:
        query = query.where(PollAnswer.poll_id == poll_id)
    async with runtime.sessions() as session:
        return int((await session.exec(query)).one())


async def test_a_forged_button_for_a_poll_outside_the_audience_stores_nothing(
    runtime: Runtime,
) -> None:
    leyla = await onboard(runtime, "telegram", "7412345678", "az", "baku")
    outside = {
        "sms only": await add_poll(runtime, "sms-only", {"channels": ["sms"]}),
        "another region": await add_poll(runtime, "ganja-only", {"regions": ["ganja_dashkasan"]}),
        "another language": await add_poll(runtime, "russian-only", {"languages": ["ru"]}),
        "another age": await add_poll(runtime, "teens-only", {"age_bands": ["under_18"]}),
    }
    for why, poll_id in outside.items():
        for option in range(3):
            await leyla.press(f"poll:{poll_id}:{option}")
            assert await answers(runtime) == 0, f"{why}: the answer was stored"
            assert not leyla.said("az", p.POLL_THANKS), why
            assert OUTSIDE_TEXT["az"] in leyla.text(), (why, leyla.text())
    # The same person inside an audience is still heard.
    everyone = await add_poll(runtime, "everyone", {})
    await leyla.press(f"poll:{everyone}:1")
    assert leyla.said("az", p.POLL_THANKS)
    assert await answers(runtime) == 1


async def test_a_closed_poll_and_nonsense_payloads_are_refused_without_a_crash(
    runtime: Runtime,
) -> None:
    oleg = await onboard(runtime, "telegram", "7423456789", "ru", "baku")
    poll_id = await add_poll(runtime, "closing-soon", {})
    async with runtime.sessions() as session, session.begin():
        await close_poll(session, "closing-soon", runtime.settings, datetime.now(UTC))
    await oleg.press(f"poll:{poll_id}:0")
    assert oleg.said("ru", p.POLL_CLOSED)
    open_id = await add_poll(runtime, "still-open", {})
    for payload in (f"poll:{open_id}:7", f"poll:{open_id}:99999999999", "poll:424242:0"):
        replies = await oleg.press(payload)
        assert replies, payload  # answered, not dropped or crashed
        assert not oleg.said("ru", p.POLL_THANKS), payload
        assert not oleg.said("ru", p.ERROR), payload
    assert await answers(runtime) == 0


async def test_sms_replies_after_leaving_the_audience_are_refused(runtime: Runtime) -> None:
    numbers = ["+994505550001", "+994505550002"]
    people = [await onboard(runtime, "sms", n, "az", "lankaran_astara") for n in numbers]
    poll_id = await add_poll(runtime, "lankaran-only", {"regions": ["lankaran_astara"]})
    # The poll reached both by SMS; then both told fikir they moved (their profile changed).
    async with runtime.sessions() as session, session.begin():
        for person in (await session.exec(select(Respondent))).all():
            assert person.state == "poll"
            person.region = "baku"
            session.add(person)
    for talk, reply in zip(people, ["1", "su"], strict=True):  # a number, and a word
        await talk.send(reply)
        assert await answers(runtime, poll_id) == 0, f"{reply}: the answer was stored"
        assert not talk.said("az", p.POLL_THANKS), reply
        assert talk.said("az", getattr(p, "POLL_OUTSIDE", "?")), (reply, talk.text())
    async with runtime.sessions() as session:
        assert (await session.exec(select(Poll).where(Poll.id == poll_id))).one().status == "open"
