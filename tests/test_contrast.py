"""Text on an SDG colour is readable (WCAG AA, 4.5:1) wherever fikir puts it: dashboard chips,
the public page's swatches (goals.css) and the digest's goal badges."""

from __future__ import annotations

import re

import pytest

from fikir.config.contrast import contrast
from fikir.config.sdgs import GOAL_NUMBERS, goal_colour
from fikir.web.admin import goals
from fikir.web.public import _goal_css

AA = 4.5


@pytest.mark.parametrize("goal", GOAL_NUMBERS)
def test_goal_text_colour_meets_aa(goal: int) -> None:
    assert contrast(goal_colour(goal), goals.text_colour(goal)) >= AA


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert round(contrast("#000000", "#FFFFFF"), 1) == 21.0
    assert round(contrast("#777777", "#FFFFFF"), 2) == 4.48  # the classic near miss


def test_goal_css_pairs_every_colour_with_readable_text() -> None:
    rules = re.findall(r"\.goal-(\d+)\{background:(#\w{6});color:(#\w{6})\}", _goal_css())
    assert len(rules) == len(GOAL_NUMBERS)
    for _, background, ink in rules:
        assert contrast(background, ink) >= AA, (background, ink)
