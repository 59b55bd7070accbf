"""Every figure of a seeded month against counts made here, in Python, from the seed itself."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from fikir.config.frameworks import Framework, PriorityArea, load_framework
from fikir.digest.aggregate import (
    LEADING_GOALS,
    aggregate_month,
)
from fikir.digest.build import build, framework_for
from fikir.digest.document import DIMENSIONS, DigestDocument
from fikir.digest.honest import RISING_POINTS
from fikir.digest.month_queries import QUOTES_PER_GOAL
from fikir.digest.period import Month
from fikir.privacy.suppression import suppress
from fikir.runtime import Runtime
from fikir.storage.models import Digest, Feedback, FeedbackTag, Poll, PollAnswer, PollOption
from fikir.storage.models import Respondent as RespondentRow
from tests.figure_checks import Item, check_family, residual
from tests.test_digest_seed import (
    MONTH,
    TZ,
    WINDOW,
    Message,
    area_counts,
    count_by,
    dimension_value,
    goal_counts,
    in_month,
    make_seed,
    people_in,
    store_seed,
)

K = 5
NOW = datetime(2026, 11, 1, 5, 0, tzinfo=UTC)


@pytest.fixture
def seed() -> list[Message]:
    return make_seed()


async def test_every_figure_of_a_seeded_month(runtime: Runtime, seed: list[Message]) -> None:
    """One seeded database per backend; each check below recounts its figures from the seed."""
    async with runtime.sessions() as session, session.begin():
        await store_seed(session, seed)
    doc = await build(runtime, MONTH, NOW)
    check_totals(doc, seed)
    check_breakdowns(doc, seed)
    check_goals_change_and_trend(doc, seed)
    check_priority_areas(doc, seed, framework_for(Month.parse(MONTH)))
    check_quotes(doc, seed)
    await check_digest_row(runtime, doc)
    # A framework whose areas share goals is counted another way; same figures expected.
    overlapping = Framework(
        key="test", titles=(("en", "Test"),), period=(2026, 2030),
        areas=(
            PriorityArea(1, (("en", "Water and health"),), (6, 3)),
            PriorityArea(2, (("en", "Health and climate"),), (3, 13)),
            PriorityArea(3, (("en", "Nobody wrote"),), (14,)),
        ),
    )  # fmt: skip
    async with runtime.sessions() as session:
        again = await aggregate_month(
            session, Month.parse(MONTH), tz=TZ, k=K, framework=overlapping, now=NOW
        )
    check_priority_areas(again, seed, overlapping)


def check_totals(seeded: DigestDocument, seed: list[Message]) -> None:
    october, september = in_month(seed, "2026-10"), in_month(seed, "2026-09")
    assert seeded.totals.messages == len(october)
    assert seeded.totals.respondents == people_in(october)
    assert seeded.totals.previous_messages == len(september)
    assert seeded.totals.previous_respondents == people_in(september)
    # Midnight on 1 October in Baku is 30 September 20:00 UTC: it belongs to October.
    edges = {m.created_at for m in october}
    assert datetime(2026, 9, 30, 20, 0, tzinfo=UTC) in edges
    assert all(m.created_at != datetime(2026, 10, 31, 20, 0, tzinfo=UTC) for m in october)
    assert seeded.start == datetime(2026, 9, 30, 20, 0, tzinfo=UTC)
    assert seeded.end == datetime(2026, 10, 31, 20, 0, tzinfo=UTC)


def check_breakdowns(seeded: DigestDocument, seed: list[Message]) -> None:
    october = in_month(seed, MONTH)
    for dimension in DIMENSIONS:
        expected = count_by(october, dimension)
        safe = suppress({key: people for key, (_, people) in expected.items()}, K)
        got = seeded.breakdown(dimension)
        assert {c.key: c.respondents for c in got.cells} == safe.shown, dimension
        for cell in got.cells:
            assert cell.messages == expected[cell.key][0], (dimension, cell.key)
            assert cell.respondents >= K
        hidden = [key for key in expected if key not in safe.shown]
        if safe.other is None:
            assert got.other_respondents is None and not hidden
        else:
            # `other` counts distinct people: someone in two merged groups counts once.
            merged_people = {
                m.person.id for m in october if dimension_value(m, dimension) in hidden
            }
            assert got.other_respondents == len(merged_people) >= K
            assert got.other_messages == sum(expected[key][0] for key in hidden)
            assert len(hidden) >= 2, "a merged bucket of one group would reveal it"
        # What is shown plus "other" accounts for every message of the month.
        assert sum(c.messages for c in got.cells) + (got.other_messages or 0) == len(october)
    # The seed has small regions (Nakhchivan, Karabakh): they must not appear on their own.
    regions = {c.key for c in seeded.breakdown("region").cells}
    assert "nakhchivan" not in regions and "karabakh" not in regions
    channels = {c.key for c in seeded.breakdown("channel").cells}
    assert not any(key.startswith("sms-") for key in channels), "SMS adapters fold into 'sms'"


def check_goals_change_and_trend(seeded: DigestDocument, seed: list[Message]) -> None:
    by_month = {month: in_month(seed, month) for month in WINDOW}
    counts = {month: goal_counts(messages) for month, messages in by_month.items()}
    october = counts[MONTH]
    visible = {g: c for g, c in october.items() if c[1] >= K}
    ranked = sorted(visible, key=lambda g: (-visible[g][0], g))
    assert [g.goal for g in seeded.goals] == ranked
    # The month's total minus its shown goals (untagged messages, goal 14) is at least k people.
    items = {m: [Item(x.person.id, frozenset(x.goals)) for x in by_month[m]] for m in WINDOW}
    check_family(items[MONTH], None, shown_goals(seeded, MONTH), K, "October total")
    # In September four people wrote about no goal: with every goal of k people shown, the
    # total minus the goals would be exactly them, so the smallest goal (4) is hidden too.
    september = {g for g, c in counts["2026-09"].items() if c[1] >= K}
    assert residual(items["2026-09"], None, september) == 4
    assert shown_goals(seeded, "2026-09") == september - {4}
    check_family(items["2026-09"], None, september - {4}, K, "September total")
    assert 14 in october and october[14][1] < K and seeded.goal(14) is None
    total = len(by_month[MONTH])
    previous_total = len(by_month["2026-09"])
    for figure in seeded.goals:
        messages, people = october[figure.goal]
        # Competition ranking: one more than the number of goals with more messages.
        rank = 1 + sum(visible[g][0] > messages for g in ranked)
        assert (figure.rank, figure.messages, figure.respondents) == (rank, messages, people)
        assert figure.share == pytest.approx(messages / total)
        before = counts["2026-09"].get(figure.goal, (0, 0))
        if before[1] >= K and figure.goal != 4:
            assert figure.previous_share == pytest.approx(before[0] / previous_total)
            assert figure.change == pytest.approx(messages / total - before[0] / previous_total)
        else:
            assert figure.previous_share is None and figure.change is None

    # Rising against each goal's usual level (mean and spread of its shown earlier months, at
    # least two of them); the rule is written here independently of the code's.
    def earlier(goal: int) -> list[float]:
        return [
            counts[m][goal][0] / len(by_month[m])
            for m in WINDOW[:-1]
            if counts[m].get(goal, (0, 0))[1] >= K and (m, goal) != ("2026-09", 4)
        ]

    rising = []
    for g in seeded.goals:
        known = earlier(g.goal)
        if len(known) < 2:
            assert g.usual_share is None
            continue
        mean = sum(known) / len(known)
        spread = (sum((v - mean) ** 2 for v in known) / len(known)) ** 0.5
        assert g.usual_share == pytest.approx(mean)
        assert g.usual_spread == pytest.approx(spread)
        if g.share >= mean + max(RISING_POINTS, 2 * spread) - 1e-9:
            rising.append((g.share - mean, g.goal))
    rising.sort(key=lambda item: (-item[0], item[1]))
    assert list(seeded.rising) == [goal for _, goal in rising][:5]
    assert seeded.rising[0] == 13
    # Trend: one share per month, hidden where that goal-month had fewer than K people.
    assert seeded.trend_months == WINDOW
    seen = {s.goal: s.shares for s in seeded.trend}
    for goal in {g for month in WINDOW for g in counts[month]}:
        expected = tuple(
            (counts[m][goal][0] / len(by_month[m]))
            if counts[m].get(goal, (0, 0))[1] >= K and (m, goal) != ("2026-09", 4)
            else None
            for m in WINDOW
        )
        if all(v is None for v in expected):
            assert goal not in seen
            continue
        assert seen[goal] == pytest.approx(expected), goal


def shown_goals(seeded: DigestDocument, month: str) -> set[int]:
    """The goals whose share the digest publishes for `month` (from the trend)."""
    index = seeded.trend_months.index(month)
    return {s.goal for s in seeded.trend if s.shares[index] is not None}


def check_priority_areas(seeded: DigestDocument, seed: list[Message], framework: Framework) -> None:
    areas = {a.id: a.goals for a in framework.areas}
    months = {MONTH: in_month(seed, MONTH), "2026-09": in_month(seed, "2026-09")}
    october, september = (area_counts(months[m], areas) for m in months)
    items = {m: [Item(x.person.id, frozenset(x.goals)) for x in msgs] for m, msgs in months.items()}
    total, previous = len(months[MONTH]), len(months["2026-09"])
    assert [a.area for a in seeded.areas] == list(areas)

    def shown_beside_goals(month: str, area: int, people: int) -> bool:
        # An area is shown only when subtracting its shown goals leaves no one or k people.
        left = residual(items[month], areas[area], shown_goals(seeded, month))
        return people >= K and (left == 0 or left >= K)

    hidden_for_subtraction = 0
    for figure in seeded.areas:
        messages, people = october[figure.area]
        if shown_beside_goals(MONTH, figure.area, people):
            assert (figure.messages, figure.respondents) == (messages, people)
            assert figure.share == pytest.approx(messages / total)
        else:
            assert figure.messages is figure.respondents is figure.share is None
            hidden_for_subtraction += people >= K
        before = september[figure.area]
        assert figure.previous_share == (
            pytest.approx(before[0] / previous)
            if shown_beside_goals("2026-09", figure.area, before[1])
            else None
        )
    if framework.key.startswith("unsdcf"):
        assert framework.key == load_framework().key  # 2026–2030 has no areas yet
        # Area 3 holds goal 14, whose three writers wrote about no shown goal of that area:
        # area 3 minus its shown goals would be exactly them, so area 3 is not shown.
        assert hidden_for_subtraction == 1 and seeded.areas[2].messages is None


def check_quotes(seeded: DigestDocument, seed: list[Message]) -> None:
    october = in_month(seed, MONTH)
    leading = [g.goal for g in seeded.goals[:LEADING_GOALS]]
    quotable = {c.key for c in seeded.breakdown("language").cells}
    authors: list[int] = []
    for goal in leading:
        quotes = seeded.quotes_for(goal)
        assert 3 <= len(quotes) <= QUOTES_PER_GOAL, goal
        for quote in quotes:
            [source] = [m for m in october if m.text == quote.text]
            assert goal in source.goals and quote.language == source.language
            assert quote.language in quotable
            authors.append(source.person.id)
    assert {q.goal for q in seeded.quotes} <= set(leading)
    assert len(authors) == len(set(authors)), "nobody is quoted twice"


async def check_digest_row(runtime: Runtime, seeded: DigestDocument) -> None:
    async with runtime.sessions() as session:
        row = (await session.exec(select(Digest).where(Digest.month == MONTH))).one()
    data = json.loads(row.data)
    assert data == json.loads(seeded.to_json())
    assert data["schema"] == "fikir-digest/1" and data["k"] == K
    assert [g["goal"] for g in data["goals"]] == [g.goal for g in seeded.goals]
    assert data["totals"]["messages"] == seeded.totals.messages
    # Rebuilding the same month replaces the row rather than adding one.
    await build(runtime, MONTH, NOW)
    async with runtime.sessions() as session:
        assert len((await session.exec(select(Digest))).all()) == 1


async def test_staff_and_respondent_tags_outrank_automatic_ones(runtime: Runtime) -> None:
    async with runtime.sessions() as session, session.begin():
        for index in range(6):
            session.add(RespondentRow(id=index + 1, pseudonym=f"q{index}", channel="telegram"))
        await session.flush()
        for index in range(6):
            feedback = Feedback(
                ref_code=f"T{index}", respondent_id=index + 1, text="Su yoxdur", language="az",
                channel="telegram", created_at=datetime(2026, 10, 10, tzinfo=UTC),
            )  # fmt: skip
            session.add(feedback)
            await session.flush()
            assert feedback.id is not None
            session.add(FeedbackTag(feedback_id=feedback.id, goal=6, score=0.9))
            chosen = "staff" if index % 2 else "respondent"
            session.add(FeedbackTag(feedback_id=feedback.id, goal=4, source=chosen))
            if index == 0:  # staff and respondent agreeing still count the message once
                session.add(FeedbackTag(feedback_id=feedback.id, goal=4, source="staff"))
    doc = await build(runtime, MONTH, NOW)
    assert [(g.goal, g.messages, g.respondents) for g in doc.goals] == [(4, 6, 6)]


async def test_a_month_with_fewer_than_k_people_shows_nothing(runtime: Runtime) -> None:
    async with runtime.sessions() as session, session.begin():
        for index in range(4):
            session.add(RespondentRow(id=index + 1, pseudonym=f"s{index}", channel="sms"))
        await session.flush()
        for index in range(12):
            feedback = Feedback(
                ref_code=f"S{index}", respondent_id=index % 4 + 1, text="Yol çox pisdir, kənd",
                language="az", channel="sms", region="nakhchivan",
                created_at=datetime(2026, 10, 3, tzinfo=UTC),
            )  # fmt: skip
            session.add(feedback)
            await session.flush()
            assert feedback.id is not None
            session.add(FeedbackTag(feedback_id=feedback.id, goal=9, score=0.9))
    doc = await build(runtime, MONTH, NOW)
    assert doc.suppressed and doc.totals.messages is None and doc.totals.respondents is None
    assert not doc.goals and not doc.quotes and not doc.trend and not doc.areas
    assert all(b.suppressed for b in doc.breakdowns)
    data = json.loads(doc.to_json())
    assert "nakhchivan" not in doc.to_json() and data["suppressed"] is True


async def test_closed_polls_of_the_month_with_suppressed_results(runtime: Runtime) -> None:
    answers = [0] * 7 + [1] * 6 + [2] * 2  # option 3 (two people) must not show alone
    async with runtime.sessions() as session, session.begin():
        poll = Poll(
            slug="water", question=json.dumps({"en": "Water?", "az": "Su?", "ru": "Вода?"}),
            status="closed", closes_at=datetime(2026, 10, 20, tzinfo=UTC),
        )  # fmt: skip
        other = Poll(
            slug="later", question=json.dumps({"en": "Later?"}), status="closed",
            closes_at=datetime(2026, 11, 2, tzinfo=UTC),
        )  # fmt: skip
        session.add_all([poll, other])
        await session.flush()
        assert poll.id is not None
        for position, label in enumerate(("Yes", "No", "Sometimes", "Never")):
            labels = {"en": label, "az": label + " az", "ru": label + " ru"}
            session.add(PollOption(poll_id=poll.id, position=position, labels=json.dumps(labels)))
        for index, position in enumerate(answers):
            session.add(RespondentRow(id=index + 1, pseudonym=f"a{index}", channel="sms"))
            await session.flush()
            session.add(
                PollAnswer(
                    poll_id=poll.id, respondent_id=index + 1, position=position, channel="sms"
                )
            )
    doc = await build(runtime, MONTH, NOW)
    [figure] = doc.polls
    assert figure.slug == "water" and dict(figure.question)["az"] == "Su?"
    assert figure.total == len(answers)
    counted = {p: answers.count(p) for p in range(4)}
    shown = {o.position - 1: o.count for o in figure.options if o.count is not None}
    assert all(counted[p] == n and n >= K for p, n in shown.items())
    assert 2 not in shown
    assert figure.other == len(answers) - sum(shown.values()) and (figure.other or 0) >= K
