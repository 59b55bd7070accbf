"""Respondents counted only up to k (SQLite, large months) hide and show what full counts do.

At a million messages the digest counts the respondents of months it does not show only as far
as k (fikir.digest.month_goals). The seeded months are small, so these tests lower the thresholds
to send every figure down each path and compare with the counts made in full.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fikir.digest import month_goals
from fikir.digest.aggregate import MonthAggregator, aggregate_month
from fikir.digest.build import framework_for
from fikir.digest.month_queries import Counts
from fikir.digest.period import Month
from fikir.runtime import Runtime
from tests.test_digest_seed import MONTH, TZ, WINDOW, Message, make_seed, store_seed

K = 5
NOW = datetime(2026, 11, 1, 5, 0, tzinfo=UTC)
AUGUST = WINDOW.index("2026-08")


def with_a_loud_pair(seed: list[Message]) -> list[Message]:
    """Two people writing 40 messages about life on land in August: many messages, 2 people."""
    loud = [m for m in seed if m.month == "2026-08"][:2]
    extra = [
        Message(loud[n % 2].person, loud[n % 2].created_at, None, "az", [(15, 0.9)])
        for n in range(40)
    ]
    return seed + extra


@pytest.fixture
async def seeded(sqlite_runtime: Runtime) -> Runtime:
    async with sqlite_runtime.sessions() as session, session.begin():
        await store_seed(session, with_a_loud_pair(make_seed()))
    return sqlite_runtime


async def counts(runtime: Runtime, *, capped: bool) -> tuple[Counts, Counts]:
    month = Month.parse(MONTH)
    async with runtime.sessions() as session:
        conn = await session.connection()
        agg = MonthAggregator(
            conn, month, tz=TZ, k=K, framework=framework_for(month), capped=capped
        )
        totals = await agg.monthly_totals()
        return await agg.tag_counts({index: n for index, (n, _) in totals.items()})


@pytest.mark.parametrize("rare", [0, 10**6], ids=["counted-up-to-k", "small-counted-in-full"])
async def test_capped_counts_decide_as_full_counts(
    seeded: Runtime, monkeypatch: pytest.MonkeyPatch, rare: int
) -> None:
    full_goals, full_areas = await counts(seeded, capped=False)
    monkeypatch.setattr(month_goals, "CAPPED_FROM_MESSAGES", 0)
    monkeypatch.setattr(month_goals, "RARE_MESSAGES", rare)
    capped_goals, capped_areas = await counts(seeded, capped=True)
    current = WINDOW.index(MONTH)
    for full, capped in ((full_goals, capped_goals), (full_areas, capped_areas)):
        assert full.keys() == capped.keys()
        for key, (messages, people) in full.items():
            assert capped[key][0] == messages, key
            assert (capped[key][1] >= K) == (people >= K), key
            if messages < K:
                continue  # hidden whatever its respondents
            if key[0] == current or rare:
                assert capped[key][1] == people, key  # shown, or counted in full
            else:
                assert capped[key][1] == min(people, K), key
    # The loud pair: enough messages to pass for a shown figure, too few people to be one.
    assert full_goals[(AUGUST, 15)] == (40, 2)
    assert capped_goals[(AUGUST, 15)][1] < K


@pytest.mark.parametrize("rare", [0, 10**6], ids=["counted-up-to-k", "small-counted-in-full"])
async def test_capped_digest_is_the_full_digest(
    seeded: Runtime, monkeypatch: pytest.MonkeyPatch, rare: int
) -> None:
    month = Month.parse(MONTH)
    framework = framework_for(month)
    async with seeded.sessions() as session:
        full = await aggregate_month(session, month, tz=TZ, k=K, framework=framework, now=NOW)
    monkeypatch.setattr(month_goals, "CAPPED_FROM_MESSAGES", 0)
    monkeypatch.setattr(month_goals, "RARE_MESSAGES", rare)
    async with seeded.sessions() as session:
        capped = await aggregate_month(session, month, tz=TZ, k=K, framework=framework, now=NOW)
    assert capped.to_json() == full.to_json()
    august = [series.shares[AUGUST] for series in capped.trend if series.goal == 15]
    assert august in ([], [None]), "two people's goal must stay hidden in the trend"
