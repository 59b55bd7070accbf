"""Small-cell suppression, the one helper every aggregate goes through (DESIGN.md: k = 5)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

OTHER = "__other__"


@dataclass(frozen=True)
class SuppressedCounts(Generic[K]):
    """Counts safe to show: every shown cell and the merged rest hold at least k respondents.

    `shown` maps visible keys to counts; `other` is the merged remainder (None when nothing was
    merged, or when everything was: then it would only repeat the total); `total` is None when the whole breakdown is too small to show. Because the merged
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


def suppress(
    counts: Mapping[K, int], k: int, people: Callable[[Collection[K]], int] | None = None
) -> SuppressedCounts[K]:
    """Hide every cell under k by merging it with other small cells into one "other" bucket.

    `people` gives the distinct people of a union of cells; without it the cells are taken to
    be disjoint (one answer per person, as in a poll) and a union is the sum of its cells. A
    merged bucket is measured in distinct people: while it has fewer than k (or is one cell),
    the next smallest cell joins it. Ties go to the key's text, so the result is reproducible.
    """
    if k < 2:
        raise ValueError("k must be at least 2")
    total = sum(counts.values())
    nonzero = {key: value for key, value in counts.items() if value > 0}
    union = people or (lambda keys: sum(nonzero[key] for key in keys))
    if not nonzero or union(list(nonzero)) < k:
        return SuppressedCounts(shown={}, other=None, total=None, k=k)
    order = sorted(nonzero, key=lambda key: (nonzero[key], str(key)))
    small = [key for key in order if nonzero[key] < k]
    if not small:
        return SuppressedCounts(shown=dict(nonzero), other=None, total=total, k=k)
    merged = list(small)
    large = [key for key in order if nonzero[key] >= k]
    # Grow the merged bucket with the smallest large cells until it is safe on its own.
    while (union(merged) < k or len(merged) < 2) and large:
        merged.append(large.pop(0))
    other = union(merged)
    if other < k or len(merged) < 2:
        return SuppressedCounts(shown={}, other=None, total=None, k=k)
    shown = {key: value for key, value in nonzero.items() if key not in merged}
    # A merged bucket beside nothing shown is the total again ("Other 100%"): it says nothing.
    return SuppressedCounts(shown=shown, other=other if shown else None, total=total, k=k)


def safe_count(count: int, k: int) -> int | None:
    """A single figure shown alone (e.g. respondents this month): hidden when under k."""
    return count if count >= k else None


R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)


@dataclass(frozen=True)
class SuppressedTable(Generic[R, C]):
    """A cross-tab (e.g. region × option) safe to show in full, totals included.

    Columns too small overall are merged into one "other" column (`merged_columns`); rows with
    a cell under k are merged into the `other` row. Every shown cell, every cell of the `other`
    row and every column total is 0 or at least k, so subtracting shown figures from totals
    recovers nothing smaller than k.
    """

    rows: dict[R, dict[C | str, int]]
    other: dict[C | str, int] | None
    merged_columns: frozenset[C]
    columns: tuple[C | str, ...]
    k: int

    @property
    def suppressed(self) -> bool:
        return not self.rows and self.other is None


def _safe(value: int, k: int) -> bool:
    return value == 0 or value >= k


def suppress_table(table: Mapping[R, Mapping[C, int]], k: int) -> SuppressedTable[R, C]:
    """Suppress a two-way table of distinct-respondent counts; see SuppressedTable."""
    column_totals: dict[C, int] = {}
    for cells in table.values():
        for column, value in cells.items():
            column_totals[column] = column_totals.get(column, 0) + value
    columns_1d = suppress(column_totals, k)
    if columns_1d.suppressed or not columns_1d.shown:
        return SuppressedTable(rows={}, other=None, merged_columns=frozenset(), columns=(), k=k)
    merged = frozenset(c for c in column_totals if c not in columns_1d.shown)
    shown_columns: tuple[C | str, ...] = tuple(columns_1d.shown) + (
        (OTHER,) if columns_1d.other else ()
    )

    def fold(cells: Mapping[C, int]) -> dict[C | str, int]:
        folded: dict[C | str, int] = {c: cells.get(c, 0) for c in columns_1d.shown}
        if columns_1d.other:
            folded[OTHER] = sum(v for c, v in cells.items() if c in merged)
        return folded

    folded_rows = {row: fold(cells) for row, cells in table.items()}
    shown = {
        r: cells for r, cells in folded_rows.items() if all(_safe(v, k) for v in cells.values())
    }
    rest = sorted(
        (r for r in folded_rows if r not in shown), key=lambda r: sum(folded_rows[r].values())
    )
    pool = sorted(shown, key=lambda r: sum(folded_rows[r].values()))

    def merged_row(keys: list[R]) -> dict[C | str, int]:
        return {c: sum(folded_rows[r][c] for r in keys) for c in shown_columns}

    other_keys = list(rest)
    while other_keys:
        candidate = merged_row(other_keys)
        if all(_safe(v, k) for v in candidate.values()) and (
            len(other_keys) >= 2 or not pool and len(other_keys) == len(folded_rows)
        ):
            break
        if not pool:
            # Not even everything together is safe per cell: show column totals only.
            return SuppressedTable(
                rows={},
                other=merged_row(other_keys)
                if all(_safe(v, k) for v in merged_row(other_keys).values())
                else None,
                merged_columns=merged,
                columns=shown_columns,
                k=k,
            )
        moved = pool.pop(0)
        other_keys.append(moved)
        shown.pop(moved)
    return SuppressedTable(
        rows=shown,
        other=merged_row(other_keys) if other_keys else None,
        merged_columns=merged,
        columns=shown_columns,
        k=k,
    )
