"""Poll results weighted to the population: post-stratification by region × age band × gender, so
that a poll answered mostly by young men in Baku is not read as the country's view.

Each answer with a known region, age band and gender belongs to a cell; a cell's option shares
count in proportion to its residents (fikir/config/population.yaml). A cell with fewer than k
answers is never used alone: its answers and residents are pooled with the other thin cells of
the same region and age band, then of the same region, then of the whole country, until each pool
has k answers. Residents of a pool that never reaches k are left out, and the result says how
much of the population it covers. Options hidden in the results as answered stay hidden here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.population import AGE_CODES, ECONOMIC_REGIONS, GENDER_CODES, Population
from fikir.polls.model import PollView
from fikir.polls.service import PollResults, _from_people
from fikir.storage.models import PollAnswer

Cell = tuple[str, str, str]  # (region, age band, gender)
LEVELS = 3  # (region, age, gender) -> (region, age) -> (region) -> country


@dataclass(frozen=True)
class Weighted:
    """Option shares weighted to the population, beside the results as answered.

    `shares` has the positions shown as answered; `other` the options merged there (None when
    none were); `answers` how many answers carried a full profile and were weighted; `coverage`
    the share of residents whose pool reached k answers (0..1).
    """

    shares: dict[int, float]
    other: float | None
    answers: int
    coverage: float


def post_stratify(
    answers: Mapping[Cell, Mapping[int, int]], population: Population, k: int
) -> tuple[dict[int, float], int, float] | None:
    """Weighted share per option over the pools of k answers, answers used, coverage.

    None when no pool reaches k answers (nothing can be weighted without singling people out).
    """
    pending: dict[Cell, tuple[float, dict[int, int]]] = {
        (r, a, g): (population.cell(r, a, g), dict(answers.get((r, a, g), {})))
        for r in ECONOMIC_REGIONS
        for a in AGE_CODES
        for g in GENDER_CODES
    }
    everyone = sum(people for people, _ in pending.values())
    estimate: dict[int, float] = {}
    covered = 0.0
    used = 0
    for level in range(LEVELS + 1):
        pools: dict[tuple[str, ...], list[Cell]] = {}
        for cell in pending:
            pools.setdefault(cell[: LEVELS - level], []).append(cell)
        for cells in pools.values():
            counts: dict[int, int] = {}
            for cell in cells:
                for position, n in pending[cell][1].items():
                    counts[position] = counts.get(position, 0) + n
            total = sum(counts.values())
            if total < k:
                continue
            residents = sum(pending[cell][0] for cell in cells)
            for position, n in counts.items():
                estimate[position] = estimate.get(position, 0.0) + residents * n / total
            covered += residents
            used += total
            for cell in cells:
                del pending[cell]
    if not covered:
        return None
    return {p: v / covered for p, v in estimate.items()}, used, covered / everyone


async def weighted_results(
    session: AsyncSession, poll: PollView, results: PollResults, population: Population, k: int
) -> Weighted | None:
    """The poll weighted to the population, or None when it cannot be (too few full profiles)."""
    if results.counts.suppressed:
        return None
    statement = (
        select(
            col(PollAnswer.region),
            col(PollAnswer.age_band),
            col(PollAnswer.gender),
            col(PollAnswer.position),
            func.count(func.distinct(col(PollAnswer.respondent_id))),
        )
        .where(col(PollAnswer.poll_id) == poll.id, _from_people())
        .group_by(
            col(PollAnswer.region),
            col(PollAnswer.age_band),
            col(PollAnswer.gender),
            col(PollAnswer.position),
        )
    )
    rows = (await (await session.connection()).execute(statement)).all()
    answers: dict[Cell, dict[int, int]] = {}
    for region, age, gender, position, n in rows:
        if region in ECONOMIC_REGIONS and age in AGE_CODES and gender in GENDER_CODES:
            answers.setdefault((str(region), str(age), str(gender)), {})[int(position)] = int(n)
    found = post_stratify(answers, population, k)
    if found is None:
        return None
    shares, used, coverage = found
    shown = results.counts.shown
    other = [v for p, v in shares.items() if p not in shown]
    return Weighted(
        shares={p: shares.get(p, 0.0) for p in shown},
        other=sum(other) if results.counts.other is not None else None,
        answers=used,
        coverage=coverage,
    )
