"""A small naive-Bayes layer over folded word stems and character 4-grams, trained on every
labelled message, so that a report worded in words no lexicon lists can still be flagged; it
only adds a category when the lexicons found none and its probability is high."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fikir.safety.lexicon import CATEGORIES, normalise

MODEL_PATH = Path(__file__).parent / "model.tsv"
ANY = "any"  # the column that says whether a message needs a safety response at all
COLUMNS: tuple[str, ...] = (ANY, *CATEGORIES)
THRESHOLD = 0.95  # chosen on the leave-one-author-out folds and the everyday feedback (bench/safety_model.py)
ALPHA = 1.0  # add-one smoothing: a feature seen once on one side weighs little
MIN_COUNT = 2  # features seen in fewer training messages are left out of the shipped file
STEM = 5  # letters of a word kept as its stem


def features(text: str) -> frozenset[str]:
    """The stems (first letters of each folded word) and the 4-grams inside each word.

    Numbers and the word just before one are left out: "мой телефон 050…", "nömrəm 055…" give
    a contact, not harm, and a model that learned "phone" from "he took my phone" would
    otherwise flag every message that leaves a number."""
    found: set[str] = set()
    words = normalise(text).split()
    for word, after in zip(words, [*words[1:], ""][: len(words)], strict=True):
        if _has_digit(word) or _has_digit(after):
            continue
        found.add("s:" + word[:STEM])
        padded = f"<{word}>"
        found.update("c:" + padded[i : i + 4] for i in range(len(padded) - 3))
    return frozenset(found)


def _has_digit(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


@dataclass(frozen=True)
class Example:
    """A training message: its text and the categories a careful reader flagged."""

    text: str
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
        """Naive Bayes (Bernoulli presence, add-one smoothed) for every column at once."""
        labels = [_labels(example.safety) for example in examples]
        totals = {column: sum(column in lab for lab in labels) for column in COLUMNS}
        seen: dict[str, dict[str, int]] = {}
        count: dict[str, int] = {}
        for example, lab in zip(examples, labels, strict=True):
            for feature in features(example.text):
                count[feature] = count.get(feature, 0) + 1
                per = seen.setdefault(feature, {})
                for column in lab:
                    per[column] = per.get(column, 0) + 1
        size = len(examples)
        biases = {
            column: math.log((totals[column] + ALPHA) / (size - totals[column] + ALPHA))
            for column in COLUMNS
        }
        weights: dict[str, tuple[float, ...]] = {}
        for feature, n in count.items():
            if n < min_count:
                continue
            per = seen.get(feature, {})
            row = []
            for column in COLUMNS:
                inside, outside = totals[column], size - totals[column]
                hits = per.get(column, 0)
                p = (hits + ALPHA) / (inside + 2 * ALPHA)
                q = (n - hits + ALPHA) / (outside + 2 * ALPHA)
                row.append(round(math.log(p / q), 3))
            weights[feature] = tuple(row)
        return cls(biases, weights)

    def log_odds(self, text: str) -> dict[str, float]:
        """Per column: the bias plus the known features' mean weight scaled by the square root
        of their number (4-grams of one word overlap, so a plain sum would count them many
        times over)."""
        rows = [self.weights[f] for f in features(text) if f in self.weights]
        scale = 1.0 / math.sqrt(len(rows)) if rows else 0.0
        return {
            column: self.biases[column] + scale * sum(row[i] for row in rows)
            for i, column in enumerate(COLUMNS)
        }

    def known_words(self, text: str) -> int:
        """How many of the text's word stems the model has learned something about."""
        return sum(1 for f in features(text) if f.startswith("s:") and f in self.weights)

    def verdict(self, text: str) -> Verdict:
        """The chance `text` needs a safety response and the category likeliest if it does."""
        odds = self.log_odds(text)
        first, second = sorted(CATEGORIES, key=lambda c: -odds[c])[:2]
        return Verdict(1.0 / (1.0 + math.exp(-odds[ANY])), first, second)

    def dump(self, path: Path) -> None:
        """Write the model as tab-separated text (a header, the biases, a line per feature)."""
        lines = [
            "# fikir safety model: naive Bayes log-odds, written by bench/safety_model.py",
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


def _labels(safety: Iterable[str]) -> set[str]:
    categories = set(safety)
    return categories | {ANY} if categories else categories
