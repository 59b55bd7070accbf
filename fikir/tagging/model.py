"""A small logistic model, trained on the dev split by `train.py`, that turns lexicon evidence
(and a few word stems) into per-goal probabilities, so weaker evidence the labelled examples
vouch for can still count. Its weights are a JSON file shipped in the package."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fikir.tagging.result import Evidence

MODEL_PATH = Path(__file__).parent / "model.json"
STEM_LENGTH = 5
LEXICAL_FEATURES: tuple[str, ...] = (
    "raw",
    "log_raw",
    "share",
    "is_top",
    "hits",
    "first",
    "spam",
    "total",
)


def lexical_features(found: Evidence, goal: int) -> list[float]:
    """Goal-level features from the lexicon evidence, in the order of LEXICAL_FEATURES."""
    raw = max(found.raw.get(goal, 0.0) - found.spam, 0.0)
    top = max(found.raw.values(), default=0.0)
    total = sum(found.raw.values())
    # The share is taken of saturated scores (1 - e^-raw), as in the lexicon rule: a goal named
    # once beside one named three times is still a real second topic.
    saturated_top = 1.0 - math.exp(-top)
    first_goal = min(
        found.first, key=lambda g: (found.first[g], -found.raw.get(g, 0.0)), default=None
    )
    return [
        raw,
        math.log1p(raw),
        (1.0 - math.exp(-raw)) / saturated_top if top > 0 else 0.0,
        1.0 if top > 0 and found.raw.get(goal, 0.0) == top else 0.0,
        float(found.hits.get(goal, 0)),
        1.0 if first_goal == goal else 0.0,
        found.spam,
        math.log1p(total),
    ]


def stems(folded: Sequence[str]) -> set[str]:
    """The word stems the model looks at: the first letters of each folded word."""
    return {token[:STEM_LENGTH] for token in folded if len(token) >= 3}


@dataclass(frozen=True)
class GoalModel:
    """Shared weights on lexical features, a bias per goal and sparse per-goal stem weights."""

    lexical: tuple[float, ...]
    bias: dict[int, float]
    stem_weights: dict[str, tuple[tuple[int, float], ...]]
    threshold: float
    min_raw: float

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> GoalModel:
        """Read the weights file written by `fikir.tagging.train`."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls.from_json(data)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> GoalModel:
        """Build the model from the weights file's parsed JSON."""
        lexical = data["lexical"]
        bias = data["bias"]
        stem_weights = data["stems"]
        if not (
            isinstance(lexical, dict) and isinstance(bias, dict) and isinstance(stem_weights, dict)
        ):
            raise ValueError("model file needs 'lexical', 'bias' and 'stems' mappings")
        return cls(
            lexical=tuple(float(lexical[name]) for name in LEXICAL_FEATURES),
            bias={int(goal): float(value) for goal, value in bias.items()},
            stem_weights={
                stem: tuple((int(goal), float(w)) for goal, w in weights.items())
                for stem, weights in stem_weights.items()
            },
            threshold=float(str(data["threshold"])),
            min_raw=float(str(data["min_raw"])),
        )

    def to_json(self) -> dict[str, object]:
        """The weights as the JSON structure `from_json` reads."""
        goals: dict[str, dict[str, float]] = {}
        for stem, weights in sorted(self.stem_weights.items()):
            goals[stem] = {str(goal): round(w, 5) for goal, w in weights}
        return {
            "lexical": {
                name: round(w, 5) for name, w in zip(LEXICAL_FEATURES, self.lexical, strict=True)
            },
            "bias": {str(goal): round(b, 5) for goal, b in sorted(self.bias.items())},
            "stems": goals,
            "threshold": self.threshold,
            "min_raw": self.min_raw,
        }

    def probabilities(self, found: Evidence) -> dict[int, float]:
        """Probability per goal that the message speaks to it (goals with some evidence only)."""
        stem_scores: dict[int, float] = {}
        for stem in stems(found.folded):
            for goal, weight in self.stem_weights.get(stem, ()):
                stem_scores[goal] = stem_scores.get(goal, 0.0) + weight
        result: dict[int, float] = {}
        for goal, raw in found.raw.items():
            if raw - found.spam < self.min_raw:
                continue
            z = self.bias.get(goal, 0.0) + stem_scores.get(goal, 0.0)
            z += sum(
                w * x for w, x in zip(self.lexical, lexical_features(found, goal), strict=True)
            )
            result[goal] = 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
        return result
