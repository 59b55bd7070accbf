"""The monthly digest carries the opinion maps of the topics voted on that month: in its JSON
and its pages, groups of k or more people only, every figure from k votes or more."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, datetime
from pathlib import Path

from fikir.digest.build import build
from fikir.digest.charts import ChartFiles
from fikir.digest.document import DigestDocument
from fikir.digest.render import render_html, summary_text
from fikir.opinion.service import TopicSpec, create_topic
from fikir.runtime import build_runtime
from fikir.storage.migrate import upgrade
from fikir.storage.models import Respondent
from fikir.storage.opinion_tables import OpinionVote
from tests.conftest import make_settings
from tests.test_digest_seed import MONTH, make_seed, store_seed
from tests.test_opinion_dialog import TOPIC

VOTED = datetime(2026, 10, 15, 12, tzinfo=UTC)
# Twenty agree with all four, twelve disagree with the first three, three stand apart.
VIEWS = ((20, (1, 1, 1, 1)), (12, (-1, -1, -1, 1)), (3, (1, -1, 1, -1)))


async def _seed(root: Path, url: str) -> DigestDocument:
    runtime = build_runtime(make_settings(root, url))
    try:
        async with runtime.sessions() as session, session.begin():
            await store_seed(session, make_seed())
            await create_topic(session, TopicSpec.from_dict(TOPIC))
            number = 0
            for size, votes in VIEWS:
                for _ in range(size):
                    number += 1
                    person = Respondent(
                        pseudonym=f"digest-opinion-{number}".rjust(64, "0"), channel="sms"
                    )
                    session.add(person)
                    await session.flush()
                    for statement, vote in enumerate(votes, start=1):
                        session.add(
                            OpinionVote(
                                statement_id=statement,
                                respondent_id=person.id or 0,
                                vote=vote,
                                voted_at=VOTED,
                            )
                        )
        return await build(runtime, MONTH, datetime(2026, 11, 1, 5, tzinfo=UTC))
    finally:
        await runtime.close()


def test_the_digest_shows_the_months_opinion_maps_without_small_groups(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fikir.db'}"
    upgrade(url)
    doc = asyncio.run(_seed(tmp_path, url))
    data = json.loads(doc.to_json())
    [topic] = data["opinions"]
    assert topic["slug"] == "youth-centre" and topic["title"]["az"] == "Gənclər mərkəzi"
    assert sorted(g["people"] for g in topic["groups"]) == [12, 20]
    shown = [f for g in topic["groups"] for f in g["agrees"]] + topic["consensus"]
    shown += [f for d in topic["divided"] for f in d["groups"] if f is not None]
    assert shown and min(f["votes"] for f in shown) >= data["k"]
    assert [f["statement"] for f in topic["consensus"]] == [4]
    charts = ChartFiles(None, None, None)
    for lang, title in (("en", "Opinion map: The youth centre"), ("az", "Gənclər mərkəzi")):
        html = render_html(doc, lang, charts, tmp_path)
        assert title in html
    html = render_html(doc, "en", charts, tmp_path)
    assert sorted(map(int, re.findall(r"People in this group: (\d+)", html))) == [12, 20]
    assert "Group 3" not in html and "Where the groups differ" in html
    assert summary_text(doc, "en")
