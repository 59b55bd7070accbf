"""Score a tagger against labelled messages the same way in the bench, the tests and training."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Labelled:
    """A labelled test message: its text, language, gold goals and split."""

    id: str
    lang: str
    text: str
    goals: tuple[int, ...]
    split: str


@dataclass(frozen=True)
class Scores:
    """Set-level micro-F1, top-1 accuracy (on-topic) and off-topic accuracy of one group."""

    messages: int
    micro_f1: float
    precision: float
    recall: float
    top1: float
    offtopic_accuracy: float
    offtopic_messages: int
    missed_ontopic: int


def load_labelled(path: Path, split: str | None = None) -> list[Labelled]:
    """Read the labelled JSON-lines file, keeping only `split` ("dev"/"heldout") when given."""
    records: list[Labelled] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            raw = json.loads(line)
            record = Labelled(raw["id"], raw["lang"], raw["text"], tuple(raw["sdgs"]), raw["split"])
            if split is None or record.split == split:
                records.append(record)
    return records


def score(gold: Sequence[tuple[int, ...]], predicted: Sequence[tuple[int, ...]]) -> Scores:
    """Compare predicted goal lists (most relevant first) with gold goal sets."""
    tp = fp = fn = 0
    top_hits = ontopic = off_right = offtopic = missed = 0
    for want, got in zip(gold, predicted, strict=True):
        wanted, found = set(want), set(got)
        tp += len(wanted & found)
        fp += len(found - wanted)
        fn += len(wanted - found)
        if wanted:
            ontopic += 1
            top_hits += bool(got) and got[0] in wanted
            missed += not got
        else:
            offtopic += 1
            off_right += not got
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    return Scores(
        messages=len(gold),
        micro_f1=f1,
        precision=precision,
        recall=recall,
        top1=top_hits / ontopic if ontopic else 1.0,
        offtopic_accuracy=off_right / offtopic if offtopic else 1.0,
        offtopic_messages=offtopic,
        missed_ontopic=missed,
    )


def evaluate(
    records: Iterable[Labelled], predict: Callable[[Labelled], tuple[int, ...]]
) -> dict[str, Scores]:
    """Scores per language and "all" for the given predictor."""
    groups: dict[str, tuple[list[tuple[int, ...]], list[tuple[int, ...]]]] = {}
    for record in records:
        got = predict(record)
        for key in (record.lang, "all"):
            gold_list, predicted_list = groups.setdefault(key, ([], []))
            gold_list.append(record.goals)
            predicted_list.append(got)
    return {key: score(g, p) for key, (g, p) in groups.items()}
