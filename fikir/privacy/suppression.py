"""Small-cell suppression, the one helper every aggregate goes through (DESIGN.md: k = 5)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

OTHER = "__other__"


@dataclass(frozen=True)
class SuppressedCounts(Generic[K]):
    """Counts safe to show: every shown cell and the merged rest hold at least k respondents.

    `shown` maps visible keys to counts; `other` is the merged remainder (None when nothing was
    merged); `total` is None when the whole breakdown is too small to show. Because the merged
    remainder is either empty or at least k and made of at least two cells, no hidden cell can be
    recovered by subtracting shown cells from the total.
    """

    shown: dict[K, int]
    other: int | None
    total: int | None
    k: int

    @property
    def suppressed(self) -> bool:
        return self.total is None


def suppress(counts: Mapping[K, int], k: int) -> SuppressedCounts[K]:
    """Hide every cell under k by merging it with other small cells into one "other" bucket."""
    if k < 2:
        raise ValueError("k must be at least 2")
    total = sum(counts.values())
    nonzero = {key: value for key, value in counts.items() if value > 0}
    if total < k:
        return SuppressedCounts(shown={}, other=None, total=None, k=k)
    small = sorted((key for key, v in nonzero.items() if v < k), key=lambda key: nonzero[key])
    if not small:
        return SuppressedCounts(shown=dict(nonzero), other=None, total=total, k=k)
    merged = set(small)
    large = sorted((key for key in nonzero if key not in merged), key=lambda key: nonzero[key])
    # Grow the merged bucket with the smallest large cells until it is safe on its own.
    while (sum(nonzero[key] for key in merged) < k or len(merged) < 2) and large:
        merged.add(large.pop(0))
    other = sum(nonzero[key] for key in merged)
    if other < k or len(merged) < 2:
        return SuppressedCounts(shown={}, other=None, total=None, k=k)
    shown = {key: value for key, value in nonzero.items() if key not in merged}
    return SuppressedCounts(shown=shown, other=other, total=total, k=k)


def safe_count(count: int, k: int) -> int | None:
    """A single figure shown alone (e.g. respondents this month): hidden when under k."""
    return count if count >= k else None
