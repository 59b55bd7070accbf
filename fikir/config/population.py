"""Population figures shipped as configuration (population.yaml), so fikir can say which groups
it under-represents and weight poll results to the population; loaded once, checked on load."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from fikir.config.regions import AGE_BANDS, GENDERS, REGION_CODES

POPULATION_FILE = Path(__file__).with_name("population.yaml")
ECONOMIC_REGIONS: tuple[str, ...] = tuple(
    c for c in REGION_CODES if c not in ("abroad", "undisclosed")
)
AGE_CODES: tuple[str, ...] = tuple(c for c, _ in AGE_BANDS if c != "undisclosed")
GENDER_CODES: tuple[str, ...] = tuple(c for c, _ in GENDERS if c != "undisclosed")


@dataclass(frozen=True)
class Population:
    """Residents by economic region, and nationally by age band and sex."""

    source: str
    year: int
    verified: bool
    regions: dict[str, int]
    age_gender: dict[tuple[str, str], int]

    @property
    def total(self) -> int:
        return sum(self.regions.values())

    def by_dimension(self, dimension: str) -> dict[str, int]:
        """Residents per code of `region`, `age_band` or `gender` (the age-sex table summed)."""
        if dimension == "region":
            return dict(self.regions)
        position = 0 if dimension == "age_band" else 1
        found: dict[str, int] = {}
        for key, people in self.age_gender.items():
            found[key[position]] = found.get(key[position], 0) + people
        return found

    def cell(self, region: str, age_band: str, gender: str) -> float:
        """Residents of one region × age band × sex, taking each region's age-sex structure to be
        the national one (the Committee's regional age tables are not shipped)."""
        adults = sum(self.age_gender.values())
        return self.regions[region] * self.age_gender[(age_band, gender)] / adults


def parse_population(text: str, source: str) -> Population:
    """Read and check a population file: every region, age band and sex, positive whole numbers."""
    data = yaml.safe_load(text)
    regions = {str(k): int(v) for k, v in (data.get("regions") or {}).items()}
    table = {
        (str(band), str(sex)): int(n)
        for band, by_sex in (data.get("age_gender") or {}).items()
        for sex, n in by_sex.items()
    }
    missing = [c for c in ECONOMIC_REGIONS if c not in regions]
    missing += [f"{a}/{g}" for a in AGE_CODES for g in GENDER_CODES if (a, g) not in table]
    unknown = [c for c in regions if c not in ECONOMIC_REGIONS]
    if missing or unknown or any(n <= 0 for n in [*regions.values(), *table.values()]):
        raise ValueError(f"{source}: missing {missing}, unknown {unknown}, or a figure not above 0")
    return Population(
        source=str(data["source"]),
        year=int(data["year"]),
        verified=bool(data.get("verified", False)),
        regions=regions,
        age_gender=table,
    )


@cache
def load_population() -> Population:
    return parse_population(POPULATION_FILE.read_text(encoding="utf-8"), POPULATION_FILE.name)
