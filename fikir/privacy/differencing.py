"""Complementary suppression: figures published together must not subtract down to a small group.

A parent figure (a month's messages, a priority area) is published beside child figures (goals)
that cover part of it. What the children leave uncovered, the parent's *residual*, can be worked
out by subtraction; so it must hold no one or at least k people. When it holds 1..k-1, either
the parent is hidden (a family that `yields_parent`: a priority area, a derived sum whose loss
costs less than a goal's) or the smallest shown child is hidden too, so that its items join the
residual (a month's total, which cannot go). Every family is then checked again, because a
child hidden for one parent widens the residual of every other parent it is in. Every publisher
(digest, dashboard, public page) runs its families through `protect`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

C = TypeVar("C", bound=Hashable)


@dataclass(frozen=True)
class Family(Generic[C]):
    """A parent figure published together with the children that cover part of it.

    `everything` marks a parent that holds every item (a month's total: untagged messages too);
    otherwise the parent holds the items that belong to any of its children (an area).
    """

    key: Hashable
    children: frozenset[C]
    everything: bool = False
    yields_parent: bool = False


@dataclass(frozen=True)
class Protected(Generic[C]):
    """What may be shown: the children left, and the keys of the parents that must be hidden."""

    shown: frozenset[C]
    hidden_parents: frozenset[Hashable]


Residuals = Callable[[frozenset[C]], Awaitable[Mapping[Hashable, int]]]


def to_hide(
    families: Collection[Family[C]],
    shown: frozenset[C],
    residual: Mapping[Hashable, int],
    size: Mapping[C, int],
    k: int,
) -> tuple[frozenset[C], frozenset[Hashable]]:
    """Children and parents to hide next, for the families whose residual has 1..k-1 people.

    A family that yields its parent loses it; any other loses its smallest shown child (ties:
    the child's key).
    """
    children: set[C] = set()
    parents: set[Hashable] = set()
    for family in families:
        people = residual.get(family.key, 0)
        if not 0 < people < k:
            continue
        if family.yields_parent:
            parents.add(family.key)
            continue
        candidates = sorted(family.children & shown, key=lambda c: (size.get(c, 0), _order(c)))
        if candidates:
            children.add(candidates[0])
    return frozenset(children), frozenset(parents)


def _order(key: Hashable) -> tuple[int, int, str]:
    """Numbers in numeric order (goal 3 before goal 13), anything else by its text."""
    return (0, key, "") if isinstance(key, int) else (1, 0, str(key))


async def protect(
    families: Collection[Family[C]],
    shown: frozenset[C],
    size: Mapping[C, int],
    k: int,
    residuals: Residuals[C],
) -> Protected[C]:
    """Hide children and parents until every shown family's residual is safe.

    `residuals(shown)` counts, for each family, the distinct people of the parent's items that
    no shown child of that family covers. Hiding only ever grows residuals or drops a family,
    so this ends; a family with no shown child left has the whole parent as its residual, which
    the caller shows only with at least k people.
    """
    live = list(families)
    hidden: set[Hashable] = set()
    while live:
        children, parents = to_hide(live, shown, await residuals(shown), size, k)
        if not children and not parents:
            break
        shown = shown - children
        hidden |= parents
        live = [family for family in live if family.key not in parents]
    return Protected(shown, frozenset(hidden))
