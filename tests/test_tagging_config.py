"""The SDG catalogue and the cooperation-framework priority areas."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fikir.config.frameworks import (
    DEFAULT_FRAMEWORK,
    available_frameworks,
    goals_to_areas,
    load_framework,
    parse_framework,
)
from fikir.config.languages import LANGUAGE_CODES
from fikir.config.sdgs import GOALS, NAME_LANGUAGES, get_goal, goal_colour, goal_name
from fikir.tagging import Tagger


def test_seventeen_goals_with_official_colours() -> None:
    assert [goal.number for goal in GOALS] == list(range(1, 18))
    assert (
        goal_colour(1) == "#E5243B" and goal_colour(6) == "#26BDE2" and goal_colour(17) == "#19486A"
    )
    assert all(re.fullmatch(r"#[0-9A-F]{6}", goal.colour) for goal in GOALS)
    assert len({goal.colour for goal in GOALS}) == 17


def test_every_goal_is_named_in_every_language() -> None:
    assert set(NAME_LANGUAGES) == set(LANGUAGE_CODES)
    for goal in range(1, 18):
        names = [goal_name(goal, lang) for lang in NAME_LANGUAGES]
        assert all(names) and len(set(names)) >= 5  # translations, not copies of English
    assert goal_name(4, "en") == "Quality education"
    assert goal_name(6, "az") == "Təmiz su və sanitariya"
    assert goal_name(16, "ru") == "Мир, правосудие и эффективные институты"
    assert goal_name(5, "ka") == "გენდერული თანასწორობა"
    assert goal_name(3, "fr") == "Good health and well-being"  # unknown language: English


@pytest.mark.parametrize("goal", [0, 18, -1])
def test_there_are_no_other_goals(goal: int) -> None:
    with pytest.raises(ValueError):
        get_goal(goal)


def test_default_framework_maps_every_goal_to_an_area() -> None:
    framework = load_framework()
    assert framework.key == DEFAULT_FRAMEWORK == "unsdcf_2021_2025"
    assert framework.period == (2021, 2025)
    assert [area.id for area in framework.areas] == [1, 2, 3, 4]
    for goal in range(1, 18):
        assert framework.areas_for_goal(goal), goal
    assert framework.areas_for_goal(5) == (4,)
    assert framework.areas_for_goal(8) == (1,)
    assert framework.areas_for_goal(16) == (2,)
    assert framework.areas_for_goal(13) == (3,)
    for area in framework.areas:
        for lang in ("en", "az", "ru"):
            assert area.name(lang), (area.id, lang)
    assert framework.area_name(4, "az") != framework.area_name(4, "en")


def test_areas_follow_goal_relevance_without_repeats() -> None:
    assert goals_to_areas([13, 5, 6, 1]) == (3, 4, 1)
    assert goals_to_areas([]) == ()


def test_next_framework_is_a_template_without_areas() -> None:
    assert {"unsdcf_2021_2025", "unsdcf_2026_2030"} <= set(available_frameworks())
    later = load_framework("unsdcf_2026_2030")
    assert later.period == (2026, 2030) and later.areas == ()
    assert later.areas_for_goals([1, 5]) == ()


def test_staff_can_add_a_framework_file(tmp_path: Path) -> None:
    (tmp_path / "local.yaml").write_text(
        "key: local\ntitle: {en: Local plan}\nperiod: [2026, 2030]\n"
        "areas:\n  - id: 7\n    name: {en: Water first, az: Əvvəlcə su}\n    goals: [6, 14]\n",
        encoding="utf-8",
    )
    framework = load_framework("local", tmp_path)
    assert framework.areas_for_goals([14, 6]) == (7,)
    assert framework.area_name(7, "az") == "Əvvəlcə su"
    assert framework.area_name(7, "ru") == "Water first"


def test_the_tagger_reports_areas_of_the_chosen_framework(tmp_path: Path) -> None:
    tagger = Tagger.load(framework="unsdcf_2026_2030")
    result = tagger.tag("su yoxdur", "az")
    assert result.goal_numbers == (6,) and result.priority_areas == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "not a mapping"),
        (
            {"title": {"en": "x"}, "areas": [{"id": "a", "name": {"en": "x"}, "goals": []}]},
            "integer id",
        ),
        (
            {"title": {"en": "x"}, "areas": [{"id": 1, "name": {"en": "x"}, "goals": [18]}]},
            "SDG numbers",
        ),
        (
            {"title": {"en": "x"}, "areas": [{"id": 1, "name": {"az": "x"}, "goals": [1]}]},
            "English name",
        ),
        (
            {
                "title": {"en": "x"},
                "areas": [{"id": 1, "name": {"en": "a"}}, {"id": 1, "name": {"en": "b"}}],
            },
            "repeat",
        ),
    ],
)
def test_a_broken_framework_file_is_refused(data: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_framework(data)
