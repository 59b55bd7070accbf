"""The digest's regional figures, typed: each economic region's leading goals and who is not heard
(people who wrote per 10,000 residents), with their digest.json form (docs/digest-schema.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RegionGoal:
    """One goal within a region: people of the region who wrote about it (>= k), and their
    share of the region's people who wrote (0..1; a person can speak to several goals)."""

    goal: int
    rank: int
    respondents: int
    share: float


@dataclass(frozen=True)
class RegionFigure:
    """An economic region on the cartogram; `respondents` None when under k or merged."""

    region: str
    respondents: int | None
    goals: tuple[RegionGoal, ...]


@dataclass(frozen=True)
class RepresentationRow:
    """One group (a region, an age band, a gender) against its population.

    `respondents` is None when the group is under k or merged; `per_10k` is people who wrote
    per 10,000 residents of the group, `ratio` that rate over the rate of everyone whose group
    is known (1.0: heard in proportion; 0.5: half as often as the average resident).
    """

    key: str
    population: int
    respondents: int | None
    per_10k: float | None
    ratio: float | None


@dataclass(frozen=True)
class Representation:
    """Who is not heard: the month's writers against the population, by one dimension."""

    dimension: str
    rows: tuple[RepresentationRow, ...]


@dataclass(frozen=True)
class PopulationSource:
    """Where the population figures come from, shown beside every use of them."""

    source: str
    year: int
    verified: bool


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def regions_json(regions: tuple[RegionFigure, ...]) -> list[dict[str, object]]:
    return [
        {
            "region": r.region,
            "respondents": r.respondents,
            "goals": [
                {
                    "goal": g.goal,
                    "rank": g.rank,
                    "respondents": g.respondents,
                    "share": round(g.share, 4),
                }
                for g in r.goals
            ],
        }
        for r in regions
    ]


def representation_json(
    tables: tuple[Representation, ...], source: PopulationSource | None
) -> dict[str, object]:
    return {
        "population": None
        if source is None
        else {"source": source.source, "year": source.year, "verified": source.verified},
        "dimensions": {
            t.dimension: [
                {
                    "key": row.key,
                    "population": row.population,
                    "respondents": row.respondents,
                    "per_10k": _rate(row.per_10k),
                    "ratio": _rate(row.ratio),
                }
                for row in t.rows
            ]
            for t in tables
        },
    }
