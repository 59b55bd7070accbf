"""The safety model: logistic regression over folded word stems, character 4-grams and what the
lexicons found, trained on every labelled message. It has the last word on whether a message
needs a response: a report worded in words no lexicon lists can still be flagged, and a lexicon
word used the way the labelled hard negatives use it ("the prices are killing us") is not."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fikir.safety.lexicon import CATEGORIES, normalise

MODEL_PATH = Path(__file__).parent / "model.tsv"
ANY = "any"  # the column that says whether a message needs a safety response at all
COLUMNS: tuple[str, ...] = (ANY, *CATEGORIES)
THRESHOLD = 0.25  # chosen on the leave-one-author-out folds and the everyday feedback (bench/safety_model.py)
L2 = 0.1  # the penalty on weights: chosen on the leave-one-author-out folds
EPOCHS = 300  # full-batch steps of the fit
RATE = 0.05  # Adam's step size
MIN_COUNT = 2  # features seen in fewer training messages are left out of the shipped file
STEM = 5  # letters of a word kept as its stem
PAIR = 4  # letters of each word kept in a pair of neighbours
PIECES = (3, 4, 5)  # sizes of the letter pieces read inside a word


def features(text: str) -> frozenset[str]:
    """The stems (first letters of each folded word), the 3- to 5-letter pieces inside each
    word, and each pair of neighbouring stems: pieces carry a word across endings and missing
    diacritics ("döyür", "doyur", "döydü"), pairs carry "not" and "again" to their verb.

    Numbers and the word just before one are left out: "мой телефон 050…", "nömrəm 055…" give
    a contact, not harm, and a model that learned "phone" from "he took my phone" would
    otherwise flag every message that leaves a number."""
    found: set[str] = set()
    words = normalise(text).split()
    kept: list[str] = []
    for word, after in zip(words, [*words[1:], ""][: len(words)], strict=True):
        if _has_digit(word) or _has_digit(after):
            continue
        kept.append(word)
        found.add("s:" + word[:STEM])
        padded = f"<{word}>"
        for size in PIECES:
            found.update(f"c{size}:" + padded[i : i + size] for i in range(len(padded) - size + 1))
    found.update(f"b:{a[:PAIR]}_{b[:PAIR]}" for a, b in itertools.pairwise(kept))
    return frozenset(found)


def _has_digit(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


@dataclass(frozen=True)
class Example:
    """A training message as the model reads it (its features) and the categories a careful
    reader flagged."""

    found: frozenset[str]
    safety: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """What the model says of a message: the chance it needs a response, and its likeliest
    category."""

    probability: float
    category: str
    runner_up: str = ""  # the likeliest category after `category`


class StemModel:
    """Log-odds per feature for "any safety" and for each category against the rest."""

    def __init__(self, biases: dict[str, float], weights: dict[str, tuple[float, ...]]) -> None:
        self.biases = biases
        self.weights = weights

    @classmethod
    def train(cls, examples: Sequence[Example], min_count: int = 1) -> StemModel:
        """Logistic regression for every column at once (one column against the rest), on the
        same scaled sum `log_odds` reads. Naive Bayes counted each word's 4-grams as separate
        evidence and transferred poorly to other authors' wording (bench/safety_model.py: recall
        of the model alone 0.5-0.6 on an author left out, against about 0.8 for this)."""
        import numpy as np  # training only; reading the model needs no numpy

        found = [example.found for example in examples]
        count: dict[str, int] = {}
        for feature_set in found:
            for feature in feature_set:
                count[feature] = count.get(feature, 0) + 1
        names = sorted(feature for feature, n in count.items() if n >= min_count)
        index = {name: i for i, name in enumerate(names)}
        rows = [[index[f] for f in feature_set if f in index] for feature_set in found]
        lengths = np.array([len(row) for row in rows], dtype=np.int64)
        columns_of = np.array([i for row in rows for i in row], dtype=np.int64)
        row_of = np.repeat(np.arange(len(rows)), lengths)
        scale = np.where(lengths > 0, 1.0 / np.sqrt(np.maximum(lengths, 1)), 0.0)
        biases: dict[str, float] = {}
        table = np.zeros((len(names), len(COLUMNS)))
        for c, column in enumerate(COLUMNS):
            target = np.array([column in _labels(e.safety) for e in examples], dtype=float)
            weights, bias = _fit(np, target, row_of, columns_of, lengths, scale, len(names))
            table[:, c] = weights
            biases[column] = round(bias, 4)
        weights_by_name = {
            name: tuple(round(float(w), 3) for w in table[i]) for i, name in enumerate(names)
        }
        return cls(biases, {k: v for k, v in weights_by_name.items() if any(v)})

    def log_odds(self, found: frozenset[str]) -> dict[str, float]:
        """Per column: the bias plus the known features' weights summed and scaled by the square
        root of their number (4-grams of one word overlap, so a plain sum would count them many
        times over)."""
        rows = [self.weights[f] for f in found if f in self.weights]
        scale = 1.0 / math.sqrt(len(rows)) if rows else 0.0
        return {
            column: self.biases[column] + scale * sum(row[i] for row in rows)
            for i, column in enumerate(COLUMNS)
        }

    def verdict(self, found: frozenset[str]) -> Verdict:
        """The chance a message with these features needs a safety response and the category
        likeliest if it does."""
        odds = self.log_odds(found)
        first, second = sorted(CATEGORIES, key=lambda c: -odds[c])[:2]
        return Verdict(1.0 / (1.0 + math.exp(-odds[ANY])), first, second)

    def dump(self, path: Path) -> None:
        """Write the model as tab-separated text (a header, the biases, a line per feature)."""
        lines = [
            "# fikir safety model: logistic-regression weights, written by bench/safety_model.py",
            "\t".join(("@columns", *COLUMNS)),
            "\t".join(("@bias", *(f"{self.biases[c]:.4f}" for c in COLUMNS))),
        ]
        for feature in sorted(self.weights):
            lines.append("\t".join((feature, *(f"{w:g}" for w in self.weights[feature]))))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> StemModel:
        """Read a model written by `dump`; a file for other columns is refused."""
        biases: dict[str, float] = {}
        weights: dict[str, tuple[float, ...]] = {}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line or line.startswith("#"):
                continue
            name, *values = line.split("\t")
            if name == "@columns":
                if tuple(values) != COLUMNS:
                    raise ValueError(f"{path}:{number}: columns {values} are not {COLUMNS}")
            elif name == "@bias":
                biases = dict(zip(COLUMNS, map(float, values), strict=True))
            elif len(values) == len(COLUMNS):
                weights[name] = tuple(float(value) for value in values)
            else:
                raise ValueError(f"{path}:{number}: expected {len(COLUMNS)} weights")
        if set(biases) != set(COLUMNS):
            raise ValueError(f"{path}: no @bias line")
        return cls(biases, weights)


def _fit(
    np: Any,
    target: Any,
    row_of: Any,
    columns_of: Any,
    lengths: Any,
    scale: Any,
    size: int,
) -> tuple[Any, float]:
    """Weights and bias minimising class-balanced log loss with an L2 penalty (Adam, full
    batch): the rare column is not drowned by the many messages without it."""
    rows = len(target)
    share = min(max(float(target.mean()), 1.0 / rows), 1.0 - 1.0 / rows)
    balance = np.where(target == 1.0, 0.5 / share, 0.5 / (1.0 - share)) / rows
    weights = np.zeros(size)
    bias = 0.0
    moment = np.zeros(size + 1)
    second = np.zeros(size + 1)
    for step in range(1, EPOCHS + 1):
        sums = np.bincount(row_of, weights=weights[columns_of], minlength=rows)
        odds = np.clip(sums * scale + bias, -30.0, 30.0)
        error = (1.0 / (1.0 + np.exp(-odds)) - target) * balance
        grad = np.empty(size + 1)
        grad[:size] = np.bincount(
            columns_of, weights=np.repeat(error * scale, lengths), minlength=size
        )
        grad[:size] += L2 * weights / rows
        grad[size] = error.sum()
        moment = 0.9 * moment + 0.1 * grad
        second = 0.999 * second + 0.001 * grad * grad
        update = RATE * (moment / (1 - 0.9**step)) / (np.sqrt(second / (1 - 0.999**step)) + 1e-8)
        weights -= update[:size]
        bias -= float(update[size])
    return weights, bias


def _labels(safety: Iterable[str]) -> set[str]:
    categories = set(safety)
    return categories | {ANY} if categories else categories
