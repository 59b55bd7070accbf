"""Independent checks of published figures against the people behind them (no fikir code).

A figure, or what subtracting published figures from one another leaves, must stand for no one
or for at least k distinct people. These helpers recount that from plain Python records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """One counted thing (a message, an answer): who it is from and which children cover it."""

    person: int
    children: frozenset[int]


def residual(items: Iterable[Item], parent: Sequence[int] | None, shown: Iterable[int]) -> int:
    """Distinct people of the parent's items that no shown child covers.

    `parent` None is every item (a month's total); otherwise the items on any of those children.
    """
    visible = set(shown)
    inside = set(parent) if parent is not None else None
    people = set()
    for item in items:
        if inside is not None and not item.children & inside:
            continue
        if inside is not None and not item.children & inside & visible:
            people.add(item.person)
        elif inside is None and not item.children & visible:
            people.add(item.person)
    return len(people)


def assert_safe(people: int, k: int, what: str) -> None:
    assert people == 0 or people >= k, f"{what}: {people} people (k = {k})"


def check_family(
    items: Sequence[Item], parent: Sequence[int] | None, shown: Iterable[int], k: int, what: str
) -> None:
    """The parent minus its shown children holds no one or at least k people."""
    assert_safe(residual(items, parent, shown), k, what)


def people_of(items: Iterable[Item], child: int) -> int:
    return len({item.person for item in items if child in item.children})
