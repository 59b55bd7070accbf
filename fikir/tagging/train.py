"""Train the small goal model on the dev split of the labelled messages and write model.json.

    .venv/bin/python -m fikir.tagging.train [--data tests/data/tagging/messages.jsonl] [--cv]

Only messages marked "dev" are read, so the held-out part stays unseen. With --cv it first
reports 5-fold cross-validated scores of the model against the lexicon alone on dev."""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from fikir.tagging.evaluate import Labelled, load_labelled, score
from fikir.tagging.model import LEXICAL_FEATURES, MODEL_PATH, GoalModel, lexical_features, stems
from fikir.tagging.result import Evidence
from fikir.tagging.tagger import Tagger

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "tagging" / "messages.jsonl"
GOALS = range(1, 18)


@dataclass(frozen=True)
class TrainConfig:
    """Regularisation and decision settings of the model."""

    use_stems: bool = True
    stem_l2: float = 2.0
    lexical_l2: float = 0.05
    bias_l2: float = 0.5
    min_stem_count: int = 2
    min_raw: float = 0.5  # a goal needs one mid-strength term: lone weak words stay untagged
    threshold: float = 0.5
    epochs: int = 600
    learning_rate: float = 0.5


@dataclass(frozen=True)
class Row:
    """One (message, candidate goal) pair the model learns from."""

    lexical: list[float]
    goal: int
    stems: list[str]
    label: float


def candidate_rows(found: Evidence, gold: tuple[int, ...], min_raw: float) -> list[Row]:
    """The goals with some lexicon evidence in a message, labelled by the gold set."""
    message_stems = sorted(stems(found.folded))
    return [
        Row(lexical_features(found, goal), goal, message_stems, 1.0 if goal in gold else 0.0)
        for goal, raw in found.raw.items()
        if raw - found.spam >= min_raw
    ]


def fit(evidence: list[tuple[Evidence, tuple[int, ...]]], config: TrainConfig) -> GoalModel:
    """Fit the logistic model by full-batch gradient descent on the given messages."""
    rows = [row for found, gold in evidence for row in candidate_rows(found, gold, config.min_raw)]
    stem_counts = Counter(stem for found, _ in evidence for stem in stems(found.folded))
    vocabulary = sorted(
        stem
        for stem, count in stem_counts.items()
        if config.use_stems and count >= config.min_stem_count
    )
    stem_index = {stem: i for i, stem in enumerate(vocabulary)}
    n_lex = len(LEXICAL_FEATURES)
    if not rows:
        return GoalModel(tuple([0.0] * n_lex), {}, {}, config.threshold, config.min_raw)
    x_lex: npt.NDArray[np.float64] = np.array([row.lexical for row in rows])
    mean = x_lex.mean(axis=0)
    scale = x_lex.std(axis=0) + 1e-6
    x_lex = (x_lex - mean) / scale
    goal_of = np.array([row.goal - 1 for row in rows])
    y = np.array([row.label for row in rows])
    # One weight per (goal, stem): a sparse design matrix as index lists.
    pairs = [
        (r, row.goal - 1, stem_index[s])
        for r, row in enumerate(rows)
        for s in row.stems
        if s in stem_index
    ]
    pr = np.array([p[0] for p in pairs], dtype=np.int64)
    pg = np.array([p[1] for p in pairs], dtype=np.int64)
    ps = np.array([p[2] for p in pairs], dtype=np.int64)
    w_lex = np.zeros(n_lex)
    bias = np.zeros(17)
    w_stem = np.zeros((17, len(vocabulary)))
    n = len(rows)
    for _ in range(config.epochs):
        z = x_lex @ w_lex + bias[goal_of]
        if len(pairs):
            z += np.bincount(pr, weights=w_stem[pg, ps], minlength=n)
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        err = (p - y) / n
        w_lex -= config.learning_rate * (x_lex.T @ err + config.lexical_l2 * w_lex / n)
        bias -= config.learning_rate * (
            np.bincount(goal_of, weights=err, minlength=17) + config.bias_l2 * bias / n
        )
        if len(pairs):
            grad = np.zeros_like(w_stem)
            np.add.at(grad, (pg, ps), err[pr])
            w_stem -= config.learning_rate * (grad + config.stem_l2 * w_stem / n)
    # Fold the standardisation into the weights so that inference needs raw features only.
    lexical = w_lex / scale
    shift = float(lexical @ mean)
    stem_weights: dict[str, tuple[tuple[int, float], ...]] = {}
    for stem, j in stem_index.items():
        weights = tuple(
            (g + 1, float(w_stem[g, j])) for g in range(17) if abs(w_stem[g, j]) >= 0.01
        )
        if weights:
            stem_weights[stem] = weights
    return GoalModel(
        lexical=tuple(float(w) for w in lexical),
        bias={g + 1: float(bias[g] - shift) for g in range(17)},
        stem_weights=stem_weights,
        threshold=config.threshold,
        min_raw=config.min_raw,
    )


def collect(tagger: Tagger, records: list[Labelled]) -> list[tuple[Evidence, tuple[int, ...]]]:
    """Lexicon evidence of every record (computed once, reused by every fold)."""
    return [(tagger.evidence(record.text, record.lang), record.goals) for record in records]


def cross_validate(
    tagger: Tagger,
    evidence: list[tuple[Evidence, tuple[int, ...]]],
    config: TrainConfig,
    folds: int = 5,
) -> tuple[float, float, float, float]:
    """5-fold micro-F1 and top-1 of (lexicon alone, lexicon + model) on the given messages."""
    order = list(range(len(evidence)))
    random.Random(7).shuffle(order)  # noqa: S311 - a fixed fold split, not a secret
    gold: list[tuple[int, ...]] = []
    lexicon_only: list[tuple[int, ...]] = []
    with_model: list[tuple[int, ...]] = []
    for fold in range(folds):
        test = [evidence[i] for i in order[fold::folds]]
        train = [evidence[i] for k, i in enumerate(order) if k % folds != fold]
        model = fit(train, config)
        for found, want in test:
            gold.append(want)
            lexicon_only.append(tuple(goal for goal, _ in tagger.choose(found)))
            tagger.model = model
            with_model.append(tuple(goal for goal, _ in tagger.choose(found)))
            tagger.model = None
    base, trained = score(gold, lexicon_only), score(gold, with_model)
    return base.micro_f1, base.top1, trained.micro_f1, trained.top1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the SDG goal model on the dev split.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument(
        "--cv", action="store_true", help="report 5-fold CV on dev and a small grid"
    )
    args = parser.parse_args(argv)
    records = load_labelled(args.data, "dev")
    tagger = Tagger.load(model_path=None)
    evidence = collect(tagger, records)
    config = TrainConfig()
    if args.cv:
        for use_stems, stem_l2 in ((True, 0.5), (True, 2.0), (True, 8.0), (False, 0.0)):
            for threshold in (0.3, 0.4, 0.5, 0.6):
                trial = TrainConfig(use_stems=use_stems, stem_l2=stem_l2, threshold=threshold)
                lex_f1, lex_top, f1, top = cross_validate(tagger, evidence, trial)
                sys.stdout.write(
                    f"stems={use_stems} stem_l2={stem_l2:g} threshold={threshold}: lexicon F1 {lex_f1:.3f} top1 {lex_top:.3f}"
                    f" | model F1 {f1:.3f} top1 {top:.3f}\n"
                )
    model = fit(evidence, config)
    data = model.to_json()
    data["trained_on"] = f"{len(records)} dev messages of {args.data.name}"
    args.out.write_text(
        json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    sys.stdout.write(f"wrote {args.out} ({len(model.stem_weights)} stems)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
