"""Opinion groups from a vote matrix, as Pol.is finds them: a low-dimensional projection, then
k-means with the number of groups chosen by silhouette; numpy only (no scikit-learn here).

Votes are +1 agree, -1 disagree, 0 pass; a statement someone was never shown is NaN. A missing
vote is filled with the statement's mean, so it pulls a person nowhere, and a person who voted on
few statements is scaled up (Pol.is does the same) so that sparse voters are not all crowded at the
centre of the map.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Matrix = NDArray[np.float64]
Labels = NDArray[np.int64]

MIN_GROUPS, MAX_GROUPS = 2, 5
COMPONENTS = 2  # Pol.is draws its map in two dimensions
# Groups are found in more: k group centres span k - 1 dimensions, and two would crowd five.
CLUSTER_COMPONENTS = MAX_GROUPS - 1
RESTARTS = 8
SILHOUETTE_SAMPLE = 1000


@dataclass(frozen=True)
class Grouping:
    """Each participant's group (0-based), their place on the 2-D map, and the silhouette."""

    labels: Labels
    points: Matrix
    silhouette: float


def project(votes: Matrix, components: int = COMPONENTS) -> Matrix:
    """Participants × statements (NaN = not voted) to participants × `components` by PCA."""
    if votes.size == 0:
        return np.zeros((votes.shape[0], components))
    seen = ~np.isnan(votes)
    counts = seen.sum(axis=0)
    means = np.where(counts > 0, np.nansum(votes, axis=0) / np.maximum(counts, 1), 0.0)
    centred = np.where(seen, votes - means, 0.0)  # mean-imputed, then centred
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    axes = vt[:components]
    points: Matrix = np.asarray(centred @ axes.T, dtype=np.float64)
    # Pol.is: scale by sqrt(statements / statements voted on), so sparse voters spread out.
    voted = np.maximum(seen.sum(axis=1), 1)
    points *= np.sqrt(votes.shape[1] / voted)[:, None]
    if points.shape[1] < components:
        points = np.hstack([points, np.zeros((points.shape[0], components - points.shape[1]))])
    return points


def kmeans(points: Matrix, k: int, rng: np.random.Generator, rounds: int = 100) -> Labels:
    """k-means with k-means++ seeding; the best of a few restarts by within-group distance."""
    best: tuple[float, Labels] | None = None
    for _ in range(RESTARTS):
        centres = _seed(points, k, rng)
        labels = np.zeros(len(points), dtype=np.int64)
        for _ in range(rounds):
            distances = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
            new = distances.argmin(axis=1).astype(np.int64)
            if np.array_equal(new, labels) and _ > 0:
                break
            labels = new
            for group in range(k):
                members = points[labels == group]
                if len(members):
                    centres[group] = members.mean(axis=0)
        inertia = float(((points - centres[labels]) ** 2).sum())
        if best is None or inertia < best[0]:
            best = (inertia, labels.copy())
    assert best is not None  # noqa: S101 - the loop runs at least once
    return best[1]


def _seed(points: Matrix, k: int, rng: np.random.Generator) -> Matrix:
    centres = [points[rng.integers(len(points))]]
    for _ in range(1, k):
        distances = np.min([((points - c) ** 2).sum(axis=1) for c in centres], axis=0)
        total = distances.sum()
        if total <= 0:
            centres.append(points[rng.integers(len(points))])
        else:
            centres.append(points[rng.choice(len(points), p=distances / total)])
    return np.array(centres, dtype=np.float64)


def refine(votes: Matrix, labels: Labels, rounds: int = 20) -> Labels:
    """Move each person to the group whose typical votes are nearest to theirs, counting only
    the statements they voted on: the projection blurred what filling in missing votes hid."""
    seen = ~np.isnan(votes)
    voted = np.maximum(seen.sum(axis=1), 1)
    for _ in range(rounds):
        groups = np.unique(labels)
        centres = np.array([_typical(votes[labels == g], seen[labels == g]) for g in groups])
        distances = np.array(
            [np.where(seen, (votes - centre) ** 2, 0.0).sum(axis=1) / voted for centre in centres]
        )
        new = groups[distances.argmin(axis=0)].astype(np.int64)
        if np.array_equal(new, labels):
            break
        labels = new
    return labels


def _typical(votes: Matrix, seen: NDArray[np.bool_]) -> NDArray[np.float64]:
    counts = seen.sum(axis=0)
    return np.where(counts > 0, np.where(seen, votes, 0.0).sum(axis=0) / np.maximum(counts, 1), 0.0)


def silhouette(points: Matrix, labels: Labels) -> float:
    """Mean silhouette: how much closer each point is to its own group than to the next one."""
    groups = np.unique(labels)
    if len(groups) < 2:
        return -1.0
    if len(points) > SILHOUETTE_SAMPLE:
        # The pairwise distances of 100,000 people would not fit in memory: a fixed sample.
        keep = np.random.default_rng(0).choice(len(points), SILHOUETTE_SAMPLE, replace=False)
        points, labels = points[keep], labels[keep]
        groups = np.unique(labels)
    distances = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    scores = np.zeros(len(points))
    for i in range(len(points)):
        own = labels == labels[i]
        if own.sum() <= 1:
            continue  # a group of one scores 0, as scikit-learn defines it
        a = distances[i, own].sum() / (own.sum() - 1)
        b = min(distances[i, labels == g].mean() for g in groups if g != labels[i])
        scores[i] = (b - a) / max(a, b) if max(a, b) > 0 else 0.0
    return float(scores.mean())


def group(votes: Matrix, seed: int = 0) -> Grouping:
    """The grouping of participants by how they vote, 2 to 5 groups, best silhouette wins."""
    points = project(votes, CLUSTER_COMPONENTS)
    people = len(points)
    if people < 2 * MIN_GROUPS:
        return Grouping(np.zeros(people, dtype=np.int64), points[:, :COMPONENTS], 0.0)
    rng = np.random.default_rng(seed)
    best: Grouping | None = None
    for k in range(MIN_GROUPS, min(MAX_GROUPS, people - 1) + 1):
        labels = refine(votes, kmeans(points, k, rng))
        score = silhouette(points, labels)
        if best is None or score > best.silhouette:
            best = Grouping(labels, points[:, :COMPONENTS], score)
    assert best is not None  # noqa: S101 - the loop runs at least once
    return best


def adjusted_rand_index(truth: Labels, found: Labels) -> float:
    """Agreement of two partitions corrected for chance (Hubert & Arabie): 1 identical, ~0 random."""
    _, a = np.unique(truth, return_inverse=True)
    _, b = np.unique(found, return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1), dtype=np.int64)
    np.add.at(table, (a, b), 1)

    def pairs(x: NDArray[np.int64]) -> float:
        return float((x * (x - 1) // 2).sum())

    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    total = len(truth) * (len(truth) - 1) / 2
    expected = rows * cols / total if total else 0.0
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)
