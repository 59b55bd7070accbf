"""Grouping a goal's messages into themes by the concepts they share (fikir.digest.concepts), so
a digest can say "water cut off for days" instead of only "Clean water and sanitation".

The method (measured by bench/themes.py on tests/data/themes/): each message is its set of
concepts; messages with the same set start as one group; the two groups whose concept profiles
are most alike (weighted Jaccard of the share of members carrying each concept) merge while
that similarity is at least THRESHOLD (average-linkage-like, on the MAX_SIGNATURES commonest
distinct sets; rarer ones join their nearest group), so a month of any size costs the same. A message that names no concept joins no theme.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

THRESHOLD = 0.45
MAX_SIGNATURES = 300  # distinct concept sets merged pairwise; rarer ones join their nearest
NAME_CONCEPTS = 3  # a theme is named by at most this many of its commonest concepts
NAME_SHARE = 0.5  # … each carried by at least this share of its messages (the first always)

K = TypeVar("K", bound=Hashable)
Profile = Mapping[str, float]


@dataclass(frozen=True)
class Group(Generic[K]):
    """One theme: its messages' keys and the share of them carrying each concept."""

    keys: tuple[K, ...]
    profile: dict[str, float]

    def centre_distance(self, concepts: frozenset[str]) -> float:
        """How far a message's concepts are from the theme's centre (0 = the most typical)."""
        return 1.0 - similarity(dict.fromkeys(concepts, 1.0), self.profile)

    def top_concepts(self, order: Sequence[str] = ()) -> tuple[str, ...]:
        """The concepts that name the theme, commonest first (ties in `order`, then by name)."""
        rank = {concept: index for index, concept in enumerate(order)}
        ranked = sorted(self.profile, key=lambda c: (-self.profile[c], rank.get(c, len(rank)), c))
        chosen = [c for c in ranked[:NAME_CONCEPTS] if self.profile[c] >= NAME_SHARE]
        return tuple(chosen or ranked[:1])


def similarity(
    a: Profile, b: Profile, total_a: float | None = None, total_b: float | None = None
) -> float:
    """Weighted Jaccard of two concept profiles: 1 when alike, 0 when they share nothing.

    The sum of minima over the shared concepts, over the sum of maxima (both profiles' totals
    less the shared minima). Summed exactly (math.fsum): a concept set's order changes from
    process to process (string hashing), and a plain sum's last bit with it, which would let a
    tie between two merges, and so a month's themes and their keys, differ between builds.
    `total_a` and `total_b` are the profiles' `total`s when the caller has them already.
    """
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    shared = math.fsum(min(value, large[k]) for k, value in small.items() if k in large)
    if not shared:
        return 0.0
    first = total(a) if total_a is None else total_a
    second = total(b) if total_b is None else total_b
    return shared / (first + second - shared)


def total(profile: Profile) -> float:
    """A profile's weight, summed exactly (see `similarity`)."""
    return math.fsum(profile.values())


@dataclass
class _Cluster:
    size: int
    counts: Counter[str]
    signatures: list[frozenset[str]]

    _profile: dict[str, float] | None = None
    _total: float = 0.0

    @property
    def profile(self) -> dict[str, float]:
        if self._profile is None:
            self._profile = {concept: n / self.size for concept, n in self.counts.items()}
            self._total = total(self._profile)
        return self._profile

    @property
    def total(self) -> float:
        """`total(self.profile)`, kept with the profile."""
        _ = self.profile
        return self._total

    def absorb(self, other: _Cluster) -> None:
        self.size += other.size
        self.counts.update(other.counts)
        self.signatures.extend(other.signatures)
        self._profile = None


def _start(signature: frozenset[str], count: int) -> _Cluster:
    return _Cluster(count, Counter(dict.fromkeys(signature, count)), [signature])


def _merge(clusters: list[_Cluster], threshold: float) -> list[_Cluster]:
    """Merge the most similar pair while it is at least `threshold` alike (of equally alike
    pairs, the first in list order), and return the clusters left, in list order.

    Pairs wait in a heap, best first: only pairs that share a concept can be alike at all, and
    after a merge only the merged cluster's pairs are scored again (stale ones are skipped), so
    a few hundred concept sets cost a fraction of a second, not a scan of every pair per merge.
    """
    alive = dict(enumerate(clusters))  # list position -> cluster
    profiles = {rank: c.profile for rank, c in alive.items()}
    version = dict.fromkeys(alive, 0)
    holders: dict[str, set[int]] = {}
    for rank, cluster in alive.items():
        for concept in cluster.counts:
            holders.setdefault(concept, set()).add(rank)
    heap: list[tuple[float, int, int, int, int]] = []

    def score(rank: int, later_only: bool) -> None:
        near = set().union(*(holders[c] for c in alive[rank].counts))
        for other in near:
            if other == rank or (later_only and other < rank):
                continue
            value = similarity(
                profiles[rank], profiles[other], alive[rank].total, alive[other].total
            )
            if value >= threshold:
                i, j = min(rank, other), max(rank, other)
                heapq.heappush(heap, (-value, i, j, version[i], version[j]))

    for rank in alive:
        score(rank, later_only=True)
    while heap:
        _, i, j, seen_i, seen_j = heapq.heappop(heap)
        if i not in alive or j not in alive or (version[i], version[j]) != (seen_i, seen_j):
            continue
        for concept in alive[j].counts:
            holders[concept].discard(j)
        alive[i].absorb(alive.pop(j))
        for concept in alive[i].counts:
            holders.setdefault(concept, set()).add(i)
        version[i] += 1
        profiles[i] = alive[i].profile
        score(i, later_only=False)
    return [alive[rank] for rank in sorted(alive)]


def _nearest(
    clusters: list[_Cluster], holders: dict[str, set[int]], signature: frozenset[str]
) -> tuple[int | None, float]:
    """The first of the most alike clusters to a concept set, and how alike (0: none shares one)."""
    own = dict.fromkeys(signature, 1.0)
    best, value = None, 0.0
    for index in sorted({i for c in signature for i in holders.get(c, ())}):
        cluster = clusters[index]
        found = similarity(own, cluster.profile, len(own), cluster.total)
        if found > value:
            best, value = index, found
    return best, value


def group_counts(
    counts: Mapping[frozenset[str], int], threshold: float = THRESHOLD
) -> list[tuple[Group[frozenset[str]], int]]:
    """Themes of concept sets counted `counts` times, largest first: each theme's keys are its
    concept sets, with its number of messages (the empty set joins no theme)."""
    ranked = sorted((s for s in counts if s), key=lambda s: (-counts[s], sorted(s)))
    clusters = _merge([_start(s, counts[s]) for s in ranked[:MAX_SIGNATURES]], threshold)
    holders: dict[str, set[int]] = {}  # concept -> clusters carrying it
    for index, cluster in enumerate(clusters):
        for concept in cluster.counts:
            holders.setdefault(concept, set()).add(index)
    for signature in ranked[MAX_SIGNATURES:]:
        best, value = _nearest(clusters, holders, signature)
        if best is not None and value >= threshold:
            clusters[best].absorb(_start(signature, counts[signature]))
            index = best
        else:
            clusters.append(_start(signature, counts[signature]))
            index = len(clusters) - 1
        for concept in signature:
            holders.setdefault(concept, set()).add(index)
    found = [(Group(tuple(c.signatures), c.profile), c.size) for c in clusters]
    found.sort(key=lambda item: (-item[1], sorted(item[0].profile)))
    return found


def group(
    items: Iterable[tuple[K, frozenset[str]]], threshold: float = THRESHOLD
) -> list[Group[K]]:
    """Themes of (key, concepts) items, largest first; items without concepts are left out."""
    by_signature: dict[frozenset[str], list[K]] = {}
    for key, concepts in items:
        if concepts:
            by_signature.setdefault(concepts, []).append(key)
    counts = {signature: len(keys) for signature, keys in by_signature.items()}
    return [
        Group(tuple(k for s in found.keys for k in by_signature[s]), found.profile)
        for found, _ in group_counts(counts, threshold)
    ]
