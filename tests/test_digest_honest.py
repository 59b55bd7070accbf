"""Honest figures: ties share a rank, a running month says so, no line through one month, and no
share of people above 100% (issue 19)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fikir.digest.build import build
from fikir.digest.charts import ChartFiles, trend_chart
from fikir.digest.labels import Words
from fikir.digest.render import render_html, summary_text
from fikir.privacy.suppression import SuppressedCounts
from fikir.runtime import Runtime
from fikir.web.admin.stats import bars
from tests.test_digest_seed import BAKU, Message, Person, store_seed

EARLY_DECEMBER = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def tied_month() -> list[Message]:
    """December 1-6: goal 6 from ten people, goals 1 to 5 from the same five people each."""
    people = [Person(i, "telegram", "az", "baku", "18_24", "female") for i in range(1, 16)]
    day = datetime(2026, 12, 2, 12, tzinfo=BAKU).astimezone(UTC)
    messages = [
        Message(p, day + timedelta(minutes=i), None, "az", [(6, 0.9)])
        for i, p in enumerate(people[:10])
    ]
    messages += [
        Message(p, day + timedelta(hours=1, minutes=i), None, "az", [(g, 0.8) for g in range(1, 6)])
        for i, p in enumerate(people[10:])
    ]
    return messages


async def test_tied_goals_share_a_rank_and_a_running_month_says_so(
    runtime: Runtime, tmp_path: Path
) -> None:
    async with runtime.sessions() as session, session.begin():
        await store_seed(session, tied_month())
    doc = await build(runtime, "2026-12", EARLY_DECEMBER)

    # Five goals tied at a third of the messages share rank 2; none is ranked 3 to 6.
    assert [(g.goal, g.rank) for g in doc.goals] == [(6, 1), (1, 2), (2, 2), (3, 2), (4, 2), (5, 2)]
    assert len({g.share for g in doc.goals[1:]}) == 1
    data = json.loads(doc.to_json())
    assert [g["rank"] for g in data["goals"]] == [1, 2, 2, 2, 2, 2]

    # Built on 7 December: the period runs to the 7th, "so far", never to the 31st.
    assert doc.running and data["period"]["complete"] is False
    assert data["period"]["through"] == EARLY_DECEMBER.isoformat()
    for lang, day in (("en", "7 December 2026"), ("ru", "7 декабря 2026"), ("az", "7 dekabr 2026")):
        html = render_html(doc, lang, _no_charts(), tmp_path)
        assert day in html, lang
        assert "31 December" not in html and "31 декабря" not in html
        assert 'id="running"' in html
        assert day in summary_text(doc, lang)

    # One month of data is a dot, not a trend: no trend chart is drawn.
    assert trend_chart(doc, Words("en", doc.timezone), tmp_path / "trend.png") is None
    # No goal can be "rising" without two earlier months to say what is usual.
    assert doc.rising == () and all(g.usual_share is None for g in doc.goals)

    complete = await build(runtime, "2026-12", datetime(2027, 1, 1, 5, tzinfo=UTC))
    assert not complete.running and json.loads(complete.to_json())["period"]["complete"]
    assert "31 December 2026" in render_html(complete, "en", _no_charts(), tmp_path)


def _no_charts() -> ChartFiles:
    return ChartFiles(goals=None, trend=None, regions=None)


def test_shares_of_people_never_pass_100_percent() -> None:
    """Goals overlap (one person, several goals): cells past the bar limit are not summed."""
    goals = SuppressedCounts(shown={6: 9, 3: 8, 8: 7, 4: 6, 16: 5}, other=None, total=35, k=5)
    drawn = bars(goals, base=10, limit=3)
    assert [b.key for b in drawn] == [6, 3, 8]
    assert all(b.share <= 1.0 for b in drawn)
    merged = SuppressedCounts(shown={6: 9}, other=6, total=20, k=5)
    assert [(b.key, b.count) for b in bars(merged, base=10)] == [(6, 9), (None, 6)]
    # Beside a limit that dropped cells, a merged bar would not be "the small groups" any more.
    assert [b.key for b in bars(merged, base=10, limit=0)] == []
