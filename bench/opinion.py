"""Does the opinion map find the groups that are there? Adjusted Rand index on planted groups.

Synthetic vote matrices (fikir.opinion.synthetic) with 2 to 5 planted groups of uneven sizes,
10% of votes flipped, 5% passes and 30% never shown (any two groups differ on at least a
third of the statements); fikir.opinion.groups.group recovers the
groups and the ARI against the planted truth is printed, with two baselines in the same run:
the same k-means and silhouette on the raw votes (unseen = 0, no projection, no scaling), and
a random assignment to as many groups as were planted.

Run: .venv/bin/python bench/opinion.py [--seeds 5]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from fikir.opinion.groups import adjusted_rand_index, group, kmeans, silhouette
from fikir.opinion.synthetic import planted

TARGET = 0.9
# (group sizes, statements): small and large rooms, even and uneven groups.
SCENARIOS: tuple[tuple[tuple[int, ...], int], ...] = (
    ((30, 30), 20),
    ((60, 25, 15), 25),
    ((40, 40, 40), 24),
    ((80, 50, 30, 20), 25),
    ((100, 60, 40, 30, 20), 30),
    ((300, 200, 100), 40),
)


def raw_baseline(votes: np.ndarray, seed: int) -> np.ndarray:
    """k-means with the silhouette's choice of 2..5 groups on the votes as they are."""
    points = np.nan_to_num(votes, nan=0.0)
    rng = np.random.default_rng(seed)
    best: tuple[float, np.ndarray] | None = None
    for k in range(2, 6):
        labels = kmeans(points, k, rng)
        score = silhouette(points, labels)
        if best is None or score > best[0]:
            best = (score, labels)
    assert best is not None
    return best[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5, help="matrices per scenario")
    parser.add_argument("--noise", type=float, default=0.1)
    parser.add_argument("--missing", type=float, default=0.3)
    args = parser.parse_args()
    print(f"noise {args.noise:.0%}, missing {args.missing:.0%}, {args.seeds} seeds per scenario")
    print(f"{'groups':<24}{'stmts':>6}{'fikir':>8}{'raw':>8}{'random':>8}{'found k':>9}{'ms':>8}")
    ours, raws, randoms = [], [], []
    for sizes, statements in SCENARIOS:
        scores, raw, rand, ks, spent = [], [], [], [], 0.0
        for seed in range(args.seeds):
            data = planted(
                sizes, statements, noise=args.noise, missing=args.missing, seed=1000 + seed
            )
            started = time.perf_counter()
            found = group(data.votes, seed=seed)
            spent += time.perf_counter() - started
            scores.append(adjusted_rand_index(data.truth, found.labels))
            ks.append(len(np.unique(found.labels)))
            raw.append(adjusted_rand_index(data.truth, raw_baseline(data.votes, seed)))
            guess = np.random.default_rng(seed).integers(len(sizes), size=len(data.truth))
            rand.append(adjusted_rand_index(data.truth, guess))
        ours += scores
        raws += raw
        randoms += rand
        label = "+".join(map(str, sizes))
        print(
            f"{label:<24}{statements:>6}{min(scores):>8.3f}{min(raw):>8.3f}{np.mean(rand):>8.3f}"
            f"{'/'.join(map(str, sorted(set(ks)))):>9}{1000 * spent / args.seeds:>8.1f}"
        )
    worst, mean = min(ours), float(np.mean(ours))
    print(
        f"ARI worst {worst:.3f}, mean {mean:.3f} (target >= {TARGET}); baseline raw k-means "
        f"mean {np.mean(raws):.3f} (fikir {mean / max(1e-9, float(np.mean(raws))):.2f}x), "
        f"random mean {np.mean(randoms):.3f}"
    )
    print("PASS" if worst >= TARGET else "FAIL")


if __name__ == "__main__":
    main()
