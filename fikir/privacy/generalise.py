"""k-anonymity over quasi-identifiers: blank the rarest fields until every shown combination is
shared by at least k people, so that a row of text never comes with a profile that points at
its writer.

Region, age band, gender, language and channel are each harmless alone but, together, a few
people share a combination. A row shown or exported carries a *generalised* combination: the
fields that made it rare are blanked (None, shown like "not given", so a withheld value and an
unanswered one look the same). Every published combination, rows with exactly that combination,
covers at least k distinct people; a row with every field blank says nothing about its writer.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

QUASI_IDENTIFIERS = ("region", "age_band", "gender", "language", "channel")
Combination = tuple[str | None, ...]


@dataclass(frozen=True)
class Generalisation:
    """The combination each original combination is shown as, and how many people share it."""

    shown: Mapping[Combination, Combination]
    people: Mapping[Combination, int]

    def of(self, combination: Combination) -> Combination:
        """How a combination is shown; one never seen is shown with every field blank."""
        return self.shown.get(combination, (None,) * len(combination))

    def covers(self, shown: Combination) -> int:
        """Distinct people of the rows shown with exactly this combination."""
        return self.people.get(shown, 0)


def generalise(pairs: Iterable[tuple[Combination, Hashable]], k: int) -> Generalisation:
    """Generalise the combinations of (combination, person) pairs for k (see module docstring).

    A class of rows shown alike that has fewer than k people blanks its rarest field (the value
    fewest people have; ties: the field listed first in QUASI_IDENTIFIERS) and joins whatever
    class it then matches; this repeats until every class with any field left has k people.
    """
    people: dict[Combination, set[Hashable]] = {}
    width = 0
    for combination, person in pairs:
        people.setdefault(combination, set()).add(person)
        width = len(combination)
    rarity: list[dict[str | None, set[Hashable]]] = [{} for _ in range(width)]
    for combination, persons in people.items():
        for index, value in enumerate(combination):
            rarity[index].setdefault(value, set()).update(persons)
    shown = {combination: combination for combination in people}
    for _ in range(width + 1):
        classes: dict[Combination, set[Hashable]] = {}
        for original, now in shown.items():
            classes.setdefault(now, set()).update(people[original])
        small = {
            c
            for c, persons in classes.items()
            if len(persons) < k and any(v is not None for v in c)
        }
        if not small:
            return Generalisation(shown, {c: len(p) for c, p in classes.items()})
        for original, now in shown.items():
            if now in small:
                fields = [i for i, value in enumerate(now) if value is not None]
                rarest = min(fields, key=lambda i: (len(rarity[i].get(now[i], ())), i))
                shown[original] = tuple(None if i == rarest else v for i, v in enumerate(now))
    raise AssertionError("every class is all blank after as many rounds as there are fields")
