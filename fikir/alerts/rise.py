"""A sharp rise: a goal heard from many more people in a region this week than it usually is.

The test is the one public-health surveillance uses for outbreaks (Farrington et al., 1996,
"A statistical algorithm for the early detection of outbreaks of infectious disease"), kept
small. For one goal in one region:

- **this week** is the 7 days before now; x is the number of *people* (distinct writers) whose
  messages there carry the goal;
- **the usual level** is read from the BASELINE_WEEKS (12) weeks before this week: the people of
  each week, their mean λ and their variance. At least MIN_HISTORY_WEEKS (8) of those weeks must
  lie after fikir's first message, or nothing is "usual" yet and no rise is called;
- weekly counts of people vary more than a Poisson count does (a news story, a meeting), so the
  counts are scaled by the overdispersion φ = max(1, variance / λ) (quasi-Poisson, as Farrington
  does), and λ is at least LAMBDA_FLOOR so a goal never heard before needs more than a trickle;
- it is a rise when x ≥ k (nobody is singled out: fewer than k people never make a notice),
  x ≥ ratio·λ (FIKIR_ALERT_RISE_RATIO, 2 by default: a rise staff would call one), and the
  upper tail P(Y ≥ ⌈x/φ⌉) of Y ~ Poisson(λ/φ) is below α (FIKIR_ALERT_RISE_ALPHA, 0.001:
  with 17 goals in 16 regions tested daily, a smaller α keeps false notices rare).

A flat series (x near λ) never passes the tail test however large λ is; a rise of a few people
on a tiny base never passes the k test.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import fmean, pvariance

from fikir.alerts.matching import Hit

WEEK = timedelta(days=7)
BASELINE_WEEKS = 12
MIN_HISTORY_WEEKS = 8
LAMBDA_FLOOR = 0.5
UNDISCLOSED = "undisclosed"  # "prefer not to say" is no place that can rise


@dataclass(frozen=True)
class Rise:
    """A goal rising in a region: people this week against the usual weekly level."""

    goal: int
    region: str
    people: int
    usual: float
    p_value: float
    weeks: int  # baseline weeks the usual level was read from
    baseline_people: int  # people-weeks in them: under k, the usual level is not given


def poisson_tail(x: int, mean: float) -> float:
    """P(Y ≥ x) for Y ~ Poisson(mean), summed in log space so large means do not overflow."""
    if x <= 0:
        return 1.0
    below = sum(math.exp(i * math.log(mean) - mean - math.lgamma(i + 1)) for i in range(x))
    return max(0.0, 1.0 - below)


def weekly_people(found: list[Hit], now: datetime) -> tuple[int, list[int]]:
    """People this week, and per baseline week (most recent first), of one goal in one region."""
    recent: set[int] = set()
    weeks: list[set[int]] = [set() for _ in range(BASELINE_WEEKS)]
    for hit in found:
        age = now - hit.at
        if age < timedelta(0):
            continue
        index = int(age / WEEK)
        if index == 0:
            recent.add(hit.person)
        elif index <= BASELINE_WEEKS:
            weeks[index - 1].add(hit.person)
    return len(recent), [len(week) for week in weeks]


def judge_rise(
    people: int, baseline: list[int], k: int, alpha: float, ratio: float
) -> tuple[bool, float, float]:
    """(rise?, usual weekly people λ, p-value) by the rule in this module's docstring."""
    if not baseline:
        return False, 0.0, 1.0
    usual = max(fmean(baseline), LAMBDA_FLOOR)
    phi = max(1.0, pvariance(baseline) / usual) if len(baseline) > 1 else 1.0
    p_value = poisson_tail(math.ceil(people / phi), usual / phi)
    rising = people >= k and people >= ratio * usual and p_value < alpha
    return rising, usual, p_value


def rises(
    found: list[Hit],
    now: datetime,
    first_message: datetime | None,
    k: int,
    alpha: float,
    ratio: float,
) -> list[Rise]:
    """Every (goal, region) in `found` (hits of the last BASELINE_WEEKS + 1 weeks) that rose."""
    if first_message is None:
        return []
    # Baseline weeks that lie wholly after the first message: earlier ones would read as silence.
    history = min(BASELINE_WEEKS, int((now - WEEK - first_message) / WEEK))
    if history < MIN_HISTORY_WEEKS:
        return []
    grouped: dict[tuple[int, str], list[Hit]] = defaultdict(list)
    for hit in found:
        if hit.goal is not None and hit.region is not None and hit.region != UNDISCLOSED:
            grouped[(hit.goal, hit.region)].append(hit)
    found_rises = []
    for (goal, region), group in sorted(grouped.items()):
        people, weeks = weekly_people(group, now)
        rising, usual, p_value = judge_rise(people, weeks[:history], k, alpha, ratio)
        if rising:
            baseline = weeks[:history]
            found_rises.append(Rise(goal, region, people, usual, p_value, history, sum(baseline)))
    return found_rises
