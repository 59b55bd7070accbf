"""SDG names, colours and priority areas for pages, read from the shared catalogue in config."""

from __future__ import annotations

import importlib
from types import ModuleType

from fikir.config.markers import N_
from fikir.i18n import translate

GOALS = tuple(range(1, 18))
GOAL_FALLBACK = N_("Goal {n}")
AREA_FALLBACK = N_("Priority area {n}")

# The official SDG colours (UN communications guidelines), used when config has none.
OFFICIAL_COLOURS = {
    1: "#E5243B",
    2: "#DDA63A",
    3: "#4C9F38",
    4: "#C5192D",
    5: "#FF3A21",
    6: "#26BDE2",
    7: "#FCC30B",
    8: "#A21942",
    9: "#FD6925",
    10: "#DD1367",
    11: "#FD9D24",
    12: "#BF8B2E",
    13: "#3F7E44",
    14: "#0A97D9",
    15: "#56C02B",
    16: "#00689D",
    17: "#19486A",
}
# Goals whose colour is light enough that black text reads better on it.
_LIGHT = {2, 6, 7, 11, 15}


def _sdgs() -> ModuleType | None:
    """The SDG catalogue module, when the tagging work has landed it."""
    try:
        return importlib.import_module("fikir.config.sdgs")
    except ImportError:
        return None


def colour(goal: int) -> str:
    return OFFICIAL_COLOURS.get(goal, "#777777")


def text_colour(goal: int) -> str:
    return "#111111" if goal in _LIGHT else "#FFFFFF"


def short(goal: int, lang: str) -> str:
    """"SDG 3" style label that needs no translation table."""
    return f"SDG {goal}"


def label(goal: int, lang: str) -> str:
    """The goal's short name in `lang`, e.g. "3 · Good health and well-being"."""
    sdgs = _sdgs()
    name_of = getattr(sdgs, "goal_name", None) if sdgs else None
    if callable(name_of):
        try:
            return f"{goal} · {name_of(goal, lang)}"
        except (KeyError, ValueError, TypeError):
            pass
    return translate(lang, GOAL_FALLBACK, n=goal)


def areas() -> tuple[int, ...]:
    """The cooperation-framework priority areas known to config (empty when none are)."""
    mapping = goal_areas()
    return tuple(sorted({area for found in mapping.values() for area in found}))


def goal_areas() -> dict[int, tuple[int, ...]]:
    """Which priority areas each goal serves."""
    sdgs = _sdgs()
    areas_of = getattr(sdgs, "areas_for_goal", None) if sdgs else None
    if not callable(areas_of):
        return {}
    found: dict[int, tuple[int, ...]] = {}
    for goal in GOALS:
        try:
            found[goal] = tuple(int(area) for area in areas_of(goal))
        except (KeyError, ValueError, TypeError):
            found[goal] = ()
    return found


def goals_in_area(area: int) -> tuple[int, ...]:
    return tuple(goal for goal, found in goal_areas().items() if area in found)


def area_label(area: int, lang: str) -> str:
    sdgs = _sdgs()
    name_of = getattr(sdgs, "area_name", None) if sdgs else None
    if callable(name_of):
        try:
            return f"{area} · {name_of(area, lang)}"
        except (KeyError, ValueError, TypeError):
            pass
    return translate(lang, AREA_FALLBACK, n=area)
