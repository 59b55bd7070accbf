"""SDG names, colours and priority areas for pages, all read from the shared catalogues in config."""

from __future__ import annotations

from fikir.config.contrast import ink_on
from fikir.config.frameworks import load_framework
from fikir.config.sdgs import GOAL_NUMBERS, get_goal, goal_name

GOALS = GOAL_NUMBERS


def colour(goal: int) -> str:
    try:
        return get_goal(goal).colour
    except ValueError:
        return "#777777"


def text_colour(goal: int) -> str:
    """Whichever of our dark and light inks contrasts more with the goal's colour (WCAG)."""
    return ink_on(colour(goal))


def short(goal: int, lang: str) -> str:
    return f"SDG {goal}"


def label(goal: int, lang: str) -> str:
    """The goal's short name in `lang`, e.g. "3 · Good health and well-being"."""
    try:
        return f"{goal} · {goal_name(goal, lang)}"
    except ValueError:
        return str(goal)


def areas() -> tuple[int, ...]:
    """The priority areas of the framework in force."""
    return tuple(area.id for area in load_framework().areas)


def goals_in_area(area: int) -> tuple[int, ...]:
    try:
        return load_framework().area(area).goals
    except KeyError:
        return ()


def area_label(area: int, lang: str) -> str:
    try:
        return f"{area} · {load_framework().area_name(area, lang)}"
    except KeyError:
        return str(area)
