"""Cooperation-framework priority areas, read from editable YAML, so that staff can map SDGs to
the areas of the framework in force (UNSDCF 2021–2025 today, 2026–2030 once it is signed)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

FRAMEWORK_DIR = Path(__file__).parent / "frameworks"
DEFAULT_FRAMEWORK = "unsdcf_2021_2025"
NAME_LANGUAGES: tuple[str, ...] = ("en", "az", "ru")


@dataclass(frozen=True)
class PriorityArea:
    """One strategic priority of a framework and the SDGs it covers."""

    id: int
    names: tuple[tuple[str, str], ...]  # (language, name) for en, az, ru
    goals: tuple[int, ...]

    def name(self, lang: str = "en") -> str:
        """The area's name in `lang`, in English when that language has none."""
        names = dict(self.names)
        return names.get(lang) or names["en"]


@dataclass(frozen=True)
class Framework:
    """A cooperation framework: its period and its priority areas."""

    key: str
    titles: tuple[tuple[str, str], ...]
    period: tuple[int, int]
    areas: tuple[PriorityArea, ...]

    def title(self, lang: str = "en") -> str:
        """The framework's title in `lang`, in English when that language has none."""
        titles = dict(self.titles)
        return titles.get(lang) or titles["en"]

    def areas_for_goal(self, goal: int) -> tuple[int, ...]:
        """Ids of the areas that cover `goal`, in the order the file lists them."""
        return tuple(area.id for area in self.areas if goal in area.goals)

    def areas_for_goals(self, goals: tuple[int, ...] | list[int]) -> tuple[int, ...]:
        """Ids of the areas the goals map to, ordered by the first (most relevant) goal."""
        seen: list[int] = []
        for goal in goals:
            for area_id in self.areas_for_goal(goal):
                if area_id not in seen:
                    seen.append(area_id)
        return tuple(seen)

    def area(self, area_id: int) -> PriorityArea:
        """The area with this id; KeyError when the framework has none."""
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(area_id)

    def area_name(self, area_id: int, lang: str = "en") -> str:
        """The name of area `area_id` in `lang` (English when missing)."""
        return self.area(area_id).name(lang)


def _names(raw: object, where: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, dict) or not isinstance(raw.get("en"), str):
        raise ValueError(f"{where}: needs at least an English name")
    return tuple((str(lang), str(name)) for lang, name in raw.items() if name)


def parse_framework(data: object, source: str = "<framework>") -> Framework:
    """Validate the YAML structure of a framework file; ValueError explains what is wrong."""
    if not isinstance(data, dict):
        raise ValueError(f"{source}: not a mapping")
    areas: list[PriorityArea] = []
    for index, raw in enumerate(data.get("areas") or []):
        where = f"{source}: area {index + 1}"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), int):
            raise ValueError(f"{where}: needs an integer id")
        goals = raw.get("goals") or []
        if not isinstance(goals, list) or not all(
            isinstance(g, int) and 1 <= g <= 17 for g in goals
        ):
            raise ValueError(f"{where}: goals must be SDG numbers 1-17")
        areas.append(PriorityArea(raw["id"], _names(raw.get("name"), where), tuple(goals)))
    if len({area.id for area in areas}) != len(areas):
        raise ValueError(f"{source}: area ids repeat")
    period = data.get("period") or [0, 0]
    return Framework(
        key=str(data.get("key", source)),
        titles=_names(data.get("title"), source),
        period=(int(period[0]), int(period[1])),
        areas=tuple(areas),
    )


@lru_cache(maxsize=16)
def load_framework(name: str = DEFAULT_FRAMEWORK, directory: Path = FRAMEWORK_DIR) -> Framework:
    """Read framework `name` (the YAML file's stem); FileNotFoundError when there is none."""
    path = directory / f"{name}.yaml"
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return parse_framework(data, str(path))


def available_frameworks(directory: Path = FRAMEWORK_DIR) -> tuple[str, ...]:
    """Names of the framework files present, e.g. ("unsdcf_2021_2025", "unsdcf_2026_2030")."""
    return tuple(sorted(path.stem for path in directory.glob("*.yaml")))


def goals_to_areas(
    goals: tuple[int, ...] | list[int], framework: str = DEFAULT_FRAMEWORK
) -> tuple[int, ...]:
    """Area ids of the active framework that the given goals map to, most relevant first."""
    return load_framework(framework).areas_for_goals(goals)
