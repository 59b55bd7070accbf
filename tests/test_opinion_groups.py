"""The opinion map's grouping recovers planted opinion groups (fixed seeds), and its adjusted
Rand index agrees with the textbook values."""

from __future__ import annotations

import numpy as np
import pytest

from fikir.opinion.groups import adjusted_rand_index, group
from fikir.opinion.synthetic import planted


@pytest.mark.parametrize(
    ("sizes", "statements"),
    [((30, 30), 20), ((60, 25, 15), 25), ((80, 50, 30, 20), 25), ((100, 60, 40, 30, 20), 30)],
)
def test_planted_groups_are_recovered_with_noise_and_missing_votes(
    sizes: tuple[int, ...], statements: int
) -> None:
    data = planted(sizes, statements, noise=0.1, missing=0.3, seed=1000)
    assert np.isnan(data.votes).mean() == pytest.approx(0.3, abs=0.03)
    found = group(data.votes, seed=0)
    assert len(np.unique(found.labels)) == len(sizes)
    assert adjusted_rand_index(data.truth, found.labels) >= 0.9
    assert found.points.shape == (sum(sizes), 2)  # the map is two-dimensional


def test_adjusted_rand_index_known_values() -> None:
    same = np.array([0, 0, 1, 1, 2, 2])
    assert adjusted_rand_index(same, np.array([5, 5, 3, 3, 9, 9])) == pytest.approx(1.0)
    # The worked example of Hubert & Arabie's index (scikit-learn's docs give 0.57).
    assert adjusted_rand_index(np.array([0, 0, 1, 1]), np.array([0, 0, 1, 2])) == pytest.approx(
        0.5714285714
    )
    rng = np.random.default_rng(3)
    chance = [
        adjusted_rand_index(rng.integers(3, size=300), rng.integers(3, size=300)) for _ in range(20)
    ]
    assert abs(float(np.mean(chance))) < 0.02


def test_too_few_people_are_one_group() -> None:
    votes = np.array([[1.0, -1.0], [1.0, np.nan], [-1.0, 1.0]])
    assert group(votes).labels.tolist() == [0, 0, 0]
