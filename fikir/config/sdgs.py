"""The 17 Sustainable Development Goals with their official colours and short names in every
language fikir speaks, so that tags, charts and digests name and colour goals the same way.

Names live in each language's registry entry (fikir/config/languages/<code>.yaml). Those in en, ru,
az, uk and ka follow the UN's and national SDG platforms' short titles; Talysh, Lezgian and Juhuri
have no official SDG names, and theirs are drafts awaiting a native speaker (`NAMES_NEED_REVIEW`)."""

from __future__ import annotations

from dataclasses import dataclass

from fikir.config.languages import LANGUAGES

NAME_LANGUAGES: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES)
NAMES_NEED_REVIEW: frozenset[str] = frozenset(
    lang.code for lang in LANGUAGES if lang.needs_native_review
)


@dataclass(frozen=True)
class Goal:
    """One SDG: its number, official colour (hex) and short name per language."""

    number: int
    colour: str
    names: tuple[tuple[str, str], ...]

    def name(self, lang: str = "en") -> str:
        """The short name in `lang`, in English for a language without names."""
        names = dict(self.names)
        return names.get(lang) or names["en"]


_COLOURS = (
    "#E5243B", "#DDA63A", "#4C9F38", "#C5192D", "#FF3A21", "#26BDE2", "#FCC30B", "#A21942", "#FD6925",
    "#DD1367", "#FD9D24", "#BF8B2E", "#3F7E44", "#0A97D9", "#56C02B", "#00689D", "#19486A",
)  # fmt: skip

# Names in each language come from its registry entry (fikir/config/languages/<code>.yaml).
_NAMES: dict[str, tuple[str, ...]] = {lang.code: lang.sdg_names for lang in LANGUAGES}

GOALS: tuple[Goal, ...] = tuple(
    Goal(
        number,
        _COLOURS[number - 1],
        tuple((lang, _NAMES[lang][number - 1]) for lang in NAME_LANGUAGES),
    )
    for number in range(1, 18)
)
GOAL_NUMBERS: tuple[int, ...] = tuple(goal.number for goal in GOALS)


def get_goal(goal: int) -> Goal:
    """The goal with this number; ValueError unless 1 <= goal <= 17."""
    if not 1 <= goal <= 17:
        raise ValueError(f"there is no SDG {goal}")
    return GOALS[goal - 1]


def goal_name(goal: int, lang: str) -> str:
    """Short name of SDG `goal` in `lang` (English for a language fikir has no names in)."""
    return get_goal(goal).name(lang)


def goal_colour(goal: int) -> str:
    """Official colour of SDG `goal` as "#RRGGBB"."""
    return get_goal(goal).colour
