"""Poll results weighted to the population (post-stratification by region × age × gender with
k-suppression): digest.json against figures computed here from raw SQL counts and the population
file read on its own."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import text

from fikir.config.population import load_population
from fikir.digest.build import build
from fikir.polls.weighting import post_stratify
from fikir.runtime import Runtime
from fikir.storage.models import Poll, PollAnswer, PollOption
from fikir.storage.models import Respondent as RespondentRow

K = 5
POPULATION = yaml.safe_load(
    (Path(__file__).parents[1] / "fikir/config/population.yaml").read_text(encoding="utf-8")
)
# (region, age band, gender, option) per answer: two cells of k or more, and one thin cell of two
# answers that no pool brings to k, so it is left out of the weighting.
ANSWERS = (
    [("baku", "18_24", "female", 0)] * 5
    + [("baku", "18_24", "female", 1)]
    + [("ganja_dashkasan", "18_24", "male", 0)]
    + [("ganja_dashkasan", "18_24", "male", 1)] * 5
    + [("lankaran_astara", "25_34", "female", 1)] * 2
    + [(None, None, None, 0)] * 3  # no profile: counted as answered, not weighted
)


def residents(region: str, age: str, gender: str) -> float:
    """A region × age × sex cell: the region's residents in the national age-sex proportions."""
    table = POPULATION["age_gender"]
    adults = sum(sum(by.values()) for by in table.values())
    return POPULATION["regions"][region] * table[age][gender] / adults


async def test_poll_results_weighted_to_the_population(runtime: Runtime) -> None:
    async with runtime.sessions() as session, session.begin():
        poll = Poll(
            slug="bus", question=json.dumps({"en": "Bus?"}), status="closed",
            closes_at=datetime(2026, 10, 20, tzinfo=UTC),
        )  # fmt: skip
        session.add(poll)
        await session.flush()
        assert poll.id is not None
        for position in range(3):
            session.add(PollOption(poll_id=poll.id, position=position, labels='{"en": "x"}'))
        for index, (region, age, gender, position) in enumerate(ANSWERS, start=1):
            session.add(RespondentRow(id=index, pseudonym=f"w{index}", channel="sms"))
            await session.flush()
            session.add(
                PollAnswer(
                    poll_id=poll.id, respondent_id=index, position=position, channel="sms",
                    region=region, age_band=age, gender=gender,
                )
            )  # fmt: skip
    doc = await build(runtime, "2026-10", datetime(2026, 11, 1, 5, tzinfo=UTC))
    [figure] = json.loads(doc.to_json())["polls"]

    # The cells, counted here in plain SQL.
    async with runtime.sessions() as session:
        connection = await session.connection()
        rows = (
            await connection.execute(
                text(
                    "SELECT region, age_band, gender, position, COUNT(*) FROM poll_answer "
                    "WHERE region IS NOT NULL AND age_band IS NOT NULL AND gender IS NOT NULL "
                    "GROUP BY region, age_band, gender, position"
                )
            )
        ).all()
    cells: dict[tuple[str, str, str], dict[int, int]] = {}
    for region, age, gender, position, n in rows:
        cells.setdefault((region, age, gender), {})[int(position)] = int(n)
    usable = {cell: by for cell, by in cells.items() if sum(by.values()) >= K}
    assert len(usable) == 2 and len(cells) == 3
    weight = {cell: residents(*cell) for cell in usable}
    expected = {
        p: sum(weight[c] * by.get(p, 0) / sum(by.values()) for c, by in usable.items())
        / sum(weight.values())
        for p in (0, 1)
    }
    everyone = sum(POPULATION["regions"].values())
    weighted = {o["position"] - 1: o["weighted_share"] for o in figure["options"]}
    assert weighted[0] == pytest.approx(expected[0], abs=1e-4)
    assert weighted[1] == pytest.approx(expected[1], abs=1e-4)
    assert weighted[2] is None  # nobody chose it: hidden as answered, hidden weighted
    assert figure["weighted"]["answers"] == 12  # the thin cell's two answers are not used
    assert figure["weighted"]["coverage"] == pytest.approx(
        sum(weight.values()) / everyone, abs=1e-4
    )
    # As answered, option 1 leads by far (8 of 17); weighted, the Baku cell's residents
    # outnumber Ganja's, so option 0 leads: the point of weighting.
    assert figure["options"][1]["count"] == 8 and weighted[0] > weighted[1]


def test_thin_cells_are_pooled_until_they_reach_k() -> None:
    """Three cells of one region and age band with 2 answers each: pooled, they make 6 >= k."""
    population = load_population()
    cells = {
        ("nakhchivan", "35_54", "female"): {0: 2},
        ("nakhchivan", "35_54", "male"): {1: 2},
        ("nakhchivan", "55_plus", "male"): {1: 2},
    }
    found = post_stratify(cells, population, K)
    assert found is not None
    shares, used, coverage = found
    assert used == 6  # pooled at the region: every answer counts, no cell alone
    assert shares[0] == pytest.approx(2 / 6) and shares[1] == pytest.approx(4 / 6)
    assert coverage == pytest.approx(population.regions["nakhchivan"] / population.total)
    assert post_stratify({("baku", "18_24", "male"): {0: 4}}, population, K) is None
