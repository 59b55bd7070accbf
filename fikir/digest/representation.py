"""Who is not heard: the month's writers per 10,000 residents by region, age band and gender,
from the suppressed breakdowns and the shipped population figures (fikir/config/population.yaml)."""

from __future__ import annotations

from fikir.config.population import Population
from fikir.digest.document import Breakdown
from fikir.digest.document_regions import (
    PopulationSource,
    Representation,
    RepresentationRow,
)

REPRESENTED = ("region", "age_band", "gender")
PER = 10_000


def representation(
    breakdowns: tuple[Breakdown, ...], population: Population
) -> tuple[Representation, ...]:
    """One table per dimension, a row per group the population file knows.

    Only shown breakdown cells are used, so nothing here is under k; a group merged into "other"
    has no rate. The ratio compares a group's rate with the average rate of the shown groups
    (their writers over their residents): above 1 heard more than average, below 1 less.
    """
    tables = []
    for breakdown in breakdowns:
        if breakdown.dimension not in REPRESENTED:
            continue
        residents = population.by_dimension(breakdown.dimension)
        shown = {c.key: c.respondents for c in breakdown.cells if c.key in residents}
        known = sum(shown.values())
        base_people = sum(residents[k] for k in shown)
        average = known / base_people if base_people else None
        rows = []
        for key, people in residents.items():
            n = shown.get(key)
            rate = None if n is None else n / people
            rows.append(
                RepresentationRow(
                    key=key,
                    population=people,
                    respondents=n,
                    per_10k=None if rate is None else rate * PER,
                    ratio=None if rate is None or not average else rate / average,
                )
            )
        tables.append(Representation(breakdown.dimension, tuple(rows)))
    return tuple(tables)


def population_source(population: Population) -> PopulationSource:
    return PopulationSource(population.source, population.year, population.verified)
