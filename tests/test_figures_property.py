"""Random populations with small groups: no published figure, and no difference between figures
published together or between this month and the last, stands for 1..k-1 people.

Each example is stored in a fresh SQLite file and published the ways fikir publishes it: the
digest (digest.json, and the HTML and text built from the same document), the dashboard's
counts (also what /results shows), poll results and the feedback export. The checks recount
people from the population itself (tests.figure_checks), not from fikir's code.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fikir.digest.build import build, framework_for
from fikir.digest.charts import ChartFiles
from fikir.digest.period import Month
from fikir.digest.render import render_html, summary_text
from fikir.polls.service import load_view, results
from fikir.runtime import build_runtime
from fikir.storage.migrate import upgrade
from fikir.storage.models import Feedback, FeedbackTag, Poll, PollAnswer, PollOption, Respondent
from fikir.web.admin import stats
from fikir.web.admin.export_data import feedback_table
from tests.conftest import make_settings
from tests.figure_checks import Item, assert_safe, check_family
from tests.figure_pages import people_figures_in_html, people_figures_in_text

K = 5
TZ = "Asia/Baku"
MONTH, PREVIOUS = "2026-10", "2026-09"
DAYS = {
    MONTH: datetime(2026, 10, 12, 8, tzinfo=UTC),
    PREVIOUS: datetime(2026, 9, 12, 8, tzinfo=UTC),
}
GOALS = (3, 4, 6, 8, 13, 14, 16)
SOURCES = ("auto", "auto", "auto", "staff", "respondent")


@dataclass(frozen=True)
class Written:
    month: str
    language: str
    goals: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Person:
    channel: str
    region: str | None
    age_band: str | None
    gender: str | None
    messages: tuple[Written, ...]
    answer: int | None


written = st.builds(
    Written,
    st.sampled_from([MONTH, MONTH, PREVIOUS]),
    st.sampled_from(["az", "az", "ru", "en", "tly"]),
    st.lists(st.tuples(st.sampled_from(GOALS), st.sampled_from(SOURCES)), max_size=3).map(tuple),
)
person = st.builds(
    Person,
    st.sampled_from(["telegram", "telegram", "sms-twilio", "simulator"]),
    st.sampled_from(["baku", "baku", "nakhchivan", "karabakh", None]),
    st.sampled_from(["18_24", "25_34", None]),
    st.sampled_from(["female", "male", None]),
    st.lists(written, min_size=1, max_size=3).map(tuple),
    st.one_of(st.none(), st.integers(0, 3)),
)
populations = st.lists(person, min_size=0, max_size=36)


@pytest.fixture(scope="module")
def blank_db() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="fikir-figprop-"))
    upgrade(f"sqlite:///{folder / 'blank.db'}")
    yield folder / "blank.db"
    shutil.rmtree(folder, ignore_errors=True)


def effective(goals: tuple[tuple[int, str], ...]) -> frozenset[int]:
    for source in ("staff", "respondent", "auto"):
        chosen = frozenset(g for g, s in goals if s == source)
        if chosen:
            return chosen
    return frozenset()


async def publish_and_check(folder: Path, people: list[Person]) -> None:
    runtime = build_runtime(make_settings(folder, f"sqlite:///{folder / 'blank.db'}"))
    try:
        async with runtime.sessions() as session, session.begin():
            poll = Poll(slug="p", question='{"en": "Q?"}', status="closed", closes_at=DAYS[MONTH])
            session.add(poll)
            await session.flush()
            for position in range(4):
                session.add(PollOption(poll_id=poll.id or 0, position=position, labels="{}"))
            number = 0
            for index, p in enumerate(people, start=1):
                session.add(
                    Respondent(
                        id=index, pseudonym=f"x{index}", channel=p.channel, region=p.region,
                        age_band=p.age_band, gender=p.gender,
                    )
                )  # fmt: skip
                await session.flush()
                if p.answer is not None:
                    session.add(
                        PollAnswer(
                            poll_id=poll.id or 0, respondent_id=index, position=p.answer,
                            channel=p.channel,
                        )
                    )  # fmt: skip
                for m in p.messages:
                    number += 1
                    session.add(
                        Feedback(
                            id=number, ref_code=f"R{number}", respondent_id=index,
                            text=f"message number {number} about things", language=m.language,
                            channel=p.channel, region=p.region, age_band=p.age_band,
                            gender=p.gender, created_at=DAYS[m.month],
                        )
                    )  # fmt: skip
                    await session.flush()
                    for goal, source in set(m.goals):
                        session.add(FeedbackTag(feedback_id=number, goal=goal, source=source))
        doc = await build(runtime, MONTH, datetime(2026, 11, 1, 5, tzinfo=UTC))
        html = render_html(doc, "en", ChartFiles(None, None, None), folder)
        text = summary_text(doc, "en")
        async with runtime.sessions() as session:
            dashboard = await stats.overview(session, Month.parse(MONTH), TZ, K)
            view = await load_view(session, poll.id or 0)
            assert view is not None
            answers = await results(session, view, K)
            export = await feedback_table(session, Month.parse(MONTH), TZ, K)
    finally:
        await runtime.close()

    counted = [(i, p) for i, p in enumerate(people, start=1) if p.channel != "simulator"]
    items = {
        month: [
            Item(i, effective(m.goals)) for i, p in counted for m in p.messages if m.month == month
        ]
        for month in (MONTH, PREVIOUS)
    }
    data = json.loads(doc.to_json())
    # Digest: the totals, each breakdown and its `other`, in distinct people.
    people_now = {i for i, p in counted if any(m.month == MONTH for m in p.messages)}
    assert_safe(len(people_now) if data["totals"]["respondents"] else 0, K, "respondents")
    for name, breakdown in data["breakdowns"].items():
        for cell in breakdown["cells"]:
            assert cell["respondents"] >= K, (name, cell)
        if breakdown["other"] is not None:
            assert breakdown["other"]["respondents"] >= K, name
            shown = sum(c["messages"] for c in breakdown["cells"])
            assert shown + breakdown["other"]["messages"] == data["totals"]["messages"], name
    # Digest: goals beside the month's total and beside each area, this month and the last.
    framework = framework_for(Month.parse(MONTH))
    index = {m: data["trend"]["months"].index(m) for m in (MONTH, PREVIOUS)}
    for month in (MONTH, PREVIOUS):
        shown = {
            s["goal"] for s in data["trend"]["series"] if s["shares"][index[month]] is not None
        }
        for goal in shown:
            assert_safe(len({x.person for x in items[month] if goal in x.children}), K, f"{goal}")
        if shown:
            check_family(items[month], None, shown, K, f"{month} total minus goals")
        areas = framework.areas if data["priority_areas"] else ()
        for area, figure in zip(areas, data["priority_areas"], strict=True):
            share = figure["share"] if month == MONTH else figure["previous_share"]
            if share is not None:
                check_family(items[month], area.goals, shown, K, f"{month} area {area.id}")
    # Poll: the total, each shown option and the merged rest are 0 or k people and up.
    poll_figure = data["polls"][0]
    for option in poll_figure["options"]:
        assert option["count"] is None or option["count"] >= K
    if poll_figure["total"] is not None:
        rest = poll_figure["total"] - sum(o["count"] or 0 for o in poll_figure["options"])
        assert_safe(rest, K, "poll total minus options")
        assert poll_figure["total"] == sum(1 for _, p in counted if p.answer is not None)
    assert answers.counts.total == poll_figure["total"]
    # Dashboard (and /results, which shows its goals): people per goal beside the total.
    for goal, n in dashboard.goals.shown.items():
        assert n >= K, goal
    if dashboard.goals.shown:
        check_family(items[MONTH], None, set(dashboard.goals.shown), K, "dashboard goals")
    for counts in (dashboard.languages, dashboard.regions, dashboard.channels, dashboard.goals):
        assert all(n >= K for n in counts.shown.values())
        assert counts.other is None or counts.other >= K
    # The HTML and text digests show no people count under k (rendered from the same document,
    # read back here as a reader sees them).
    for where, n in people_figures_in_html(html):
        assert n == 0 or n >= K, (where, n)
    for n in people_figures_in_text(text):
        assert n == 0 or n >= K, (n, text)
    # Export: every combination of quasi-identifiers shown covers k people or more.
    writer = {f"message number {n} about things": n for n in range(1, 10_000)}
    owner: dict[int, int] = {}
    number = 0
    for i, p in enumerate(people, start=1):
        for _ in p.messages:
            number += 1
            owner[number] = i
    combos: dict[tuple[str, ...], set[int]] = {}
    for row in export.rows:
        combos.setdefault(row[2:7], set()).add(owner[writer[row[-1]]])
    for combo, who in combos.items():
        assert len(who) >= K or not any(combo), (combo, who)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(populations)
def test_no_published_figure_or_difference_singles_out_fewer_than_k(
    blank_db: Path, population: list[Person]
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="fikir-figex-"))
    try:
        shutil.copy(blank_db, folder / "blank.db")
        asyncio.run(publish_and_check(folder, population))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_the_page_reader_sees_people_figures() -> None:
    """The HTML and text checks above are not vacuous: they read the figures a reader sees."""
    html = (
        "<style>.x{width:3px}</style><div class='key'><b>7</b><span>People who wrote</span></div>"
        "<table><tr><th>Rank</th><th>Goal</th><th>People</th></tr>"
        "<tr><td>1</td><td>Water</td><td>3</td></tr><tr><td>2</td><td>Roads</td><td>—</td></tr>"
        "</table><table><tr><th>Option</th><th>Answers</th></tr><tr><td>Yes</td><td>12</td></tr>"
        "</table>"
    )
    assert sorted(n for _, n in people_figures_in_html(html)) == [3, 7, 12]
    assert people_figures_in_text("12 messages from 4 people, 1 person") == [4, 1]
