"""The sharp-rise rule on synthetic weekly series: rises are called, flat or noisy series and
rises of fewer than k people are not (fikir.alerts.rise's docstring states the rule)."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import pytest

from fikir.alerts.matching import Hit
from fikir.alerts.rise import judge_rise, poisson_tail, rises

K, ALPHA, RATIO = 5, 0.001, 2.0


def test_poisson_tail_matches_the_sum_of_its_terms() -> None:
    for mean in (0.5, 2.0, 9.5, 40.0):
        for x in (0, 1, 3, 10, 30, 80):
            exact = 1 - sum(math.exp(-mean) * mean**i / math.factorial(i) for i in range(x))
            assert poisson_tail(x, mean) == pytest.approx(max(exact, 0.0), abs=1e-12)


@pytest.mark.parametrize(
    ("people", "baseline", "rising"),
    [
        (14, [2, 1, 3, 2, 2, 1, 3, 2, 2, 1, 2, 3], True),  # seven times the usual
        (9, [0] * 12, True),  # never heard before, now from nine people
        (8, [6, 5, 7, 6, 6, 5, 7, 6, 6, 5, 6, 7], False),  # within its usual level
        (60, [50, 48, 55, 52, 49, 51, 50, 53, 47, 50, 52, 51], False),  # large and flat
        (4, [0] * 12, False),  # fewer than k people: never a notice
        (20, [2, 30, 1, 25, 3, 28, 2, 1, 27, 2, 3, 26], False),  # noisy: 20 is not unusual
        (30, [12, 10, 14, 11, 13, 12, 10, 11, 12, 13, 11, 12], True),  # more than doubled
    ],
)
def test_judge_rise(people: int, baseline: list[int], rising: bool) -> None:
    assert judge_rise(people, baseline, K, ALPHA, RATIO)[0] is rising


def test_flat_random_series_raise_few_false_alarms() -> None:
    """200 flat Poisson series of various levels: at most a couple of false rises."""
    rng = random.Random(18)
    false = 0
    for run in range(200):
        level = 1 + run % 20
        weeks = [_poisson(rng, level) for _ in range(13)]
        false += judge_rise(weeks[0], weeks[1:], K, ALPHA, RATIO)[0]
    assert false <= 2, false


def test_no_rise_without_enough_history() -> None:
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    hits = [Hit(i, now - timedelta(days=1), i, "baku", 4) for i in range(20)]
    # Eight weeks of history are needed before anything is "usual".
    assert rises(hits, now, now - timedelta(weeks=8), K, ALPHA, RATIO) == []
    [rise] = rises(hits, now, now - timedelta(weeks=10), K, ALPHA, RATIO)
    assert (rise.goal, rise.region, rise.people) == (4, "baku", 20)
    # "Prefer not to say" is no region that can rise.
    undisclosed = [Hit(i, now - timedelta(days=1), i, "undisclosed", 4) for i in range(20)]
    assert rises(undisclosed, now, now - timedelta(weeks=10), K, ALPHA, RATIO) == []


def _poisson(rng: random.Random, mean: float) -> int:
    threshold, count, product = math.exp(-mean), 0, rng.random()
    while product > threshold:
        count += 1
        product *= rng.random()
    return count


def test_a_usual_level_of_fewer_than_k_people_is_not_given() -> None:
    from fikir.alerts.notices import rise_text

    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    hits = [Hit(i, now - timedelta(days=1), i, "baku", 4) for i in range(9)]
    # Three people over the twelve weeks before: their number must not be told.
    hits += [Hit(100 + w, now - timedelta(weeks=w, days=1), 100 + w, "baku", 4) for w in (2, 5, 9)]
    [rise] = rises(hits, now, now - timedelta(weeks=14), K, ALPHA, RATIO)
    assert rise.baseline_people == 3
    text = rise_text("en", rise, K, "https://fikir.example")
    assert "fewer than 5 people in all" in text and "0.5" not in text, text
    assert "9 people wrote about SDG 4" in text
