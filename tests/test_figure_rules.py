"""The rules every published figure follows (issue 16), each on a month built for it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.digest.build import build
from fikir.polls.service import load_view, results
from fikir.runtime import Runtime
from fikir.storage.models import Feedback, FeedbackTag, Poll, PollAnswer, PollOption, Respondent
from fikir.web.admin import stats
from fikir.web.admin.months import Month

MONTH = "2026-10"
NOW = datetime(2026, 11, 1, 5, 0, tzinfo=UTC)
DAY = datetime(2026, 10, 10, 9, 0, tzinfo=UTC)


@dataclass
class Writer:
    """A person and the messages they stored this month (profile snapshot per message)."""

    id: int
    channel: str = "telegram"
    region: str | None = None  # on the person's record (asked after the first message)
    messages: list[dict[str, object]] = field(default_factory=list)


async def store(session: AsyncSession, writers: list[Writer]) -> None:
    number = 0
    for writer in writers:
        session.add(
            Respondent(
                id=writer.id, pseudonym=f"p{writer.id}", channel=writer.channel,
                region=writer.region,
            )
        )  # fmt: skip
    await session.flush()
    for writer in writers:
        for message in writer.messages:
            number += 1
            tags = message.pop("tags", [(6, "auto")])
            feedback = Feedback(
                ref_code=f"F{number:05d}", respondent_id=writer.id, channel=writer.channel,
                text="Kənddə su yoxdur, borular köhnədir", created_at=DAY, **message,
            )  # fmt: skip
            session.add(feedback)
            await session.flush()
            assert feedback.id is not None
            for goal, source in tags:  # type: ignore[attr-defined]
                session.add(FeedbackTag(feedback_id=feedback.id, goal=goal, source=source))


async def test_a_writers_answers_describe_all_their_messages_of_the_month(
    runtime: Runtime,
) -> None:
    # Five SMS writers: the first message is stored before the profile questions, the second
    # after them. Four more wrote once and answered the questions only afterwards.
    writers = [
        Writer(i, "sms-twilio", "lankaran_astara", [{"language": "az"}, {"language": "az",
               "region": "lankaran_astara", "age_band": "18_24"}])
        for i in range(1, 6)
    ]  # fmt: skip
    writers += [
        Writer(i, "sms-twilio", "guba_khachmaz", [{"language": "az"}]) for i in range(6, 11)
    ]
    async with runtime.sessions() as session, session.begin():
        await store(session, writers)
    doc = await build(runtime, MONTH, NOW)
    regions = {c.key: (c.messages, c.respondents) for c in doc.breakdown("region").cells}
    assert regions == {"lankaran_astara": (10, 5), "guba_khachmaz": (5, 5)}
    assert "undisclosed" not in json.dumps(json.loads(doc.to_json())["breakdowns"]["region"])
    ages = {c.key: c.respondents for c in doc.breakdown("age_band").cells}
    assert ages == {"18_24": 5, "undisclosed": 5}
    # The dashboard counts regions the same way.
    async with runtime.sessions() as session:
        found = await stats.overview(session, Month.parse(MONTH), "Asia/Baku", 5)
    assert found.regions.shown == {"lankaran_astara": 5, "guba_khachmaz": 5}


async def test_a_merged_group_counts_distinct_people(runtime: Runtime) -> None:
    # Ten write in Azerbaijani, six in Russian; three in English, two of whom also in
    # Ukrainian: English and Ukrainian together are three people, not five.
    writers = [Writer(i, messages=[{"language": "az"}]) for i in range(1, 11)]
    writers += [Writer(i, messages=[{"language": "ru"}]) for i in range(11, 17)]
    writers += [Writer(i, messages=[{"language": "en"}]) for i in range(17, 20)]
    for writer in writers[-3:-1]:
        writer.messages.append({"language": "uk"})
    async with runtime.sessions() as session, session.begin():
        await store(session, writers)
    doc = await build(runtime, MONTH, NOW)
    language = doc.breakdown("language")
    assert {c.key: c.respondents for c in language.cells} == {"az": 10}
    # Three people are too few: Russian, the next smallest, joins them (nine people).
    assert (language.other_messages, language.other_respondents) == (11, 9)
    async with runtime.sessions() as session:
        found = await stats.overview(session, Month.parse(MONTH), "Asia/Baku", 5)
    assert found.languages.shown == {"az": 10} and found.languages.other == 9


async def test_one_rule_for_which_tags_count(runtime: Runtime) -> None:
    # Tagged 3 by staff, 5 by the writer and 8 automatically: only the staff's 3 counts.
    chosen = [(3, "staff"), (5, "respondent"), (8, "auto")]
    writers = [Writer(i, messages=[{"language": "az", "tags": list(chosen)}]) for i in range(1, 7)]
    async with runtime.sessions() as session, session.begin():
        await store(session, writers)
    doc = await build(runtime, MONTH, NOW)
    assert [(g.goal, g.messages, g.respondents) for g in doc.goals] == [(3, 6, 6)]
    async with runtime.sessions() as session:
        found = await stats.overview(session, Month.parse(MONTH), "Asia/Baku", 5)
    assert found.goals.shown == {3: 6}


async def test_answers_given_while_trying_a_poll_are_never_counted(runtime: Runtime) -> None:
    async with runtime.sessions() as session, session.begin():
        poll = Poll(
            slug="water", question=json.dumps({"en": "Water?"}), status="closed",
            closes_at=datetime(2026, 10, 20, tzinfo=UTC),
        )  # fmt: skip
        session.add(poll)
        await session.flush()
        assert poll.id is not None
        for position in range(2):
            session.add(PollOption(poll_id=poll.id, position=position, labels='{"en": "x"}'))
        answers = [("sms", 0)] * 6 + [("telegram", 1)] * 5 + [("simulator", 1)] * 3
        answers += [("console", 0), ("simulator-sms", 1)]
        for index, (channel, position) in enumerate(answers, start=1):
            session.add(Respondent(id=index, pseudonym=f"a{index}", channel=channel))
            await session.flush()
            session.add(
                PollAnswer(poll_id=poll.id, respondent_id=index, position=position, channel=channel)
            )
    async with runtime.sessions() as session:
        view = await load_view(session, poll.id)
        assert view is not None
        counted = await results(session, view, 5)
    assert (counted.counts.total, counted.counts.shown) == (11, {0: 6, 1: 5})
    [figure] = (await build(runtime, MONTH, NOW)).polls
    assert figure.total == 11 and [o.count for o in figure.options] == [6, 5]
