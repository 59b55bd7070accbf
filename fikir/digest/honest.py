"""Rules that keep the digest's figures honest to a reader: ties share a rank, a rise is measured
against a goal's usual level, a trend needs two months, and a running month says so
(docs/digest-schema.md, "Honest figures")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean, pstdev

RISING_POINTS = 0.02  # a rise smaller than 2 points is never called one, however steady the goal
RISING_SPREADS = 2.0  # … and it must clear the goal's usual month-to-month spread twice over
USUAL_MONTHS = 2  # months of a goal's own history needed before its "usual level" means anything
TREND_POINTS = 2  # a line is drawn only through at least two months of data


def tied_ranks(values: Sequence[float | int]) -> tuple[int, ...]:
    """Standard competition ranks of `values` given largest first: equal values share a rank
    and the next value skips the places they took (10, 7, 7, 3 -> 1, 2, 2, 4)."""
    ranks: list[int] = []
    for index, value in enumerate(values):
        if index and value == values[index - 1]:
            ranks.append(ranks[-1])
        else:
            ranks.append(index + 1)
    return tuple(ranks)


@dataclass(frozen=True)
class Usual:
    """A goal's usual share of messages: mean and spread over the months before this one."""

    mean: float
    spread: float
    months: int

    def threshold(self) -> float:
        """The share a goal must reach this month to be called rising."""
        return self.mean + max(RISING_POINTS, RISING_SPREADS * self.spread)


def usual_level(previous: Sequence[float | None]) -> Usual | None:
    """The usual level from the shares shown in earlier months (None: that month hidden), or
    None with fewer than USUAL_MONTHS of them: one month is no measure of what is usual."""
    known = [value for value in previous if value is not None]
    if len(known) < USUAL_MONTHS:
        return None
    return Usual(mean=fmean(known), spread=pstdev(known), months=len(known))


def is_rising(share: float, usual: Usual | None) -> bool:
    return usual is not None and share >= usual.threshold() - 1e-9


def drawable(shares: Sequence[float | None]) -> bool:
    """True when a trend line has at least TREND_POINTS months with a shown share."""
    return sum(value is not None for value in shares) >= TREND_POINTS


def running(end: datetime, now: datetime) -> bool:
    """True when the digest was built before its month ended: its figures are partial."""
    return now < end
