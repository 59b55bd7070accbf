"""The theme grouping's merges from a heap (fikir.digest.themes) are the merges of the plain scan
of every pair it replaced, and a month's themes are the same in every process."""

from __future__ import annotations

import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from fikir.digest import themes
from fikir.digest.themes import THRESHOLD, _Cluster, _start, group_counts, similarity

CONCEPTS = ["water", "absent", "days", "dirty", "teacher", "school", "heating", "road", "price"]


def _plain_scan(clusters: list[_Cluster], threshold: float) -> list[_Cluster]:
    """The method as first written: every pair scored before each merge, the first best taken."""
    profiles = [c.profile for c in clusters]
    while len(clusters) > 1:
        best, pair = threshold, None
        for i in range(len(clusters)):
            for j in range(i + 1, len(clusters)):
                value = similarity(profiles[i], profiles[j])
                if value > best or (pair is None and value >= threshold):
                    best, pair = value, (i, j)
        if pair is None:
            break
        i, j = pair
        clusters[i].absorb(clusters[j])
        profiles[i] = clusters[i].profile
        del clusters[j], profiles[j]
    return clusters


def _random_counts(rng: random.Random, sets: int) -> Counter[frozenset[str]]:
    counts: Counter[frozenset[str]] = Counter()
    for _ in range(sets):
        size = rng.choice([1, 1, 2, 2, 3, 4])
        counts[frozenset(rng.sample(CONCEPTS, size))] += rng.choice([1, 1, 2, 5, 20])
    return counts


def _shape(found: list[tuple[themes.Group[frozenset[str]], int]]) -> list[object]:
    return [(sorted(sorted(s) for s in g.keys), n, sorted(g.profile.items())) for g, n in found]


@pytest.mark.parametrize("seed", range(12))
def test_heap_merges_are_the_plain_scans_merges(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    counts = _random_counts(rng, rng.choice([5, 40, 200]))
    fast = group_counts(counts)
    monkeypatch.setattr(themes, "_merge", _plain_scan)
    assert _shape(fast) == _shape(group_counts(counts))


def test_rarer_sets_join_their_nearest_theme_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(99)
    counts = _random_counts(rng, 300)
    monkeypatch.setattr(themes, "MAX_SIGNATURES", 10)
    fast = group_counts(counts)
    # The rare sets' loop as first written: every cluster scored, the first best taken.
    ranked = sorted((s for s in counts if s), key=lambda s: (-counts[s], sorted(s)))
    clusters = _plain_scan([_start(s, counts[s]) for s in ranked[:10]], THRESHOLD)
    for signature in ranked[10:]:
        own = dict.fromkeys(signature, 1.0)
        scores = [similarity(own, c.profile) for c in clusters]
        best = max(range(len(clusters)), key=lambda i: scores[i])
        if scores[best] >= THRESHOLD:
            clusters[best].absorb(_start(signature, counts[signature]))
        else:
            clusters.append(_start(signature, counts[signature]))
    plain = sorted(
        ((themes.Group(tuple(c.signatures), c.profile), c.size) for c in clusters),
        key=lambda item: (-item[1], sorted(item[0].profile)),
    )
    assert _shape(fast) == _shape(plain)


SCRIPT = """
import random, sys
sys.path.insert(0, {root!r})
from collections import Counter
from fikir.digest.themes import group_counts
rng = random.Random(7)
concepts = [f"c{{i}}" for i in range(25)]
counts = Counter()
for _ in range(400):
    counts[frozenset(rng.sample(concepts, rng.choice([1, 2, 3, 3, 4, 5])))] += rng.randint(1, 40)
print([(sorted(sorted(s) for s in g.keys), n) for g, n in group_counts(counts)])
"""


def test_the_same_month_gives_the_same_themes_in_every_process() -> None:
    """String hashing orders concept sets differently in each process; the themes must not."""
    script = SCRIPT.format(root=str(Path(__file__).parents[1]))
    found = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={"PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(1, 9)
    }
    assert len(found) == 1
