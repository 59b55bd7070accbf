"""Vote matrices with planted opinion groups, to measure the grouping (bench/opinion.py, tests)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fikir.opinion.groups import Labels, Matrix


@dataclass(frozen=True)
class Planted:
    """A vote matrix (NaN = not shown) and the group each participant was drawn from."""

    votes: Matrix
    truth: Labels


def planted(
    sizes: tuple[int, ...],
    statements: int,
    *,
    noise: float = 0.1,
    missing: float = 0.3,
    passes: float = 0.05,
    seed: int = 0,
) -> Planted:
    """Each group has its own view (agree or disagree) of every statement; a member votes it,
    except that `noise` of the votes are flipped, `passes` are passes, `missing` are unseen.

    Groups are distinct: any two differ on at least a third of the statements (views drawn at
    random until they do), else two "groups" would be one opinion with a few quibbles.
    """
    rng = np.random.default_rng(seed)
    views = rng.choice([-1.0, 1.0], size=(len(sizes), statements))
    while not _distinct(views, statements / 3):
        views = rng.choice([-1.0, 1.0], size=(len(sizes), statements))
    truth = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    votes = views[truth].copy()
    flipped = rng.random(votes.shape) < noise
    votes[flipped] *= -1
    votes[rng.random(votes.shape) < passes] = 0.0
    votes[rng.random(votes.shape) < missing] = np.nan
    order = rng.permutation(len(truth))
    return Planted(votes[order], truth[order])


def _distinct(views: Matrix, least: float) -> bool:
    differ = (views[:, None, :] != views[None, :, :]).sum(axis=2)
    np.fill_diagonal(differ, views.shape[1])
    return bool(differ.min() >= least)
