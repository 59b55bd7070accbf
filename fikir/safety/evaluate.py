"""Score the safety detector against labelled messages the same way in the bench and the tests."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from fikir.safety.lexicon import CATEGORIES


@dataclass(frozen=True)
class Labelled:
    """A labelled message: its text, language, gold categories, kind and split."""

    id: str
    lang: str
    text: str
    safety: tuple[str, ...]
    kind: str
    split: str


@dataclass(frozen=True)
class Scores:
    """Precision and recall of one group; `flagged`/`positives` are message counts."""

    messages: int
    positives: int
    flagged: int
    true_positives: int

    @property
    def precision(self) -> float:
        """Share of flagged messages that needed flagging (1.0 when none was flagged)."""
        return self.true_positives / self.flagged if self.flagged else 1.0

    @property
    def recall(self) -> float:
        """Share of messages needing flagging that were flagged (1.0 when there were none)."""
        return self.true_positives / self.positives if self.positives else 1.0


def load_labelled(path: Path, split: str | None = None) -> list[Labelled]:
    """Read a labelled JSON-lines file, keeping only `split` ("dev"/"heldout") when given; a
    record without a split (the blind set) takes the file's name as its split."""
    records: list[Labelled] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        record = Labelled(
            raw["id"],
            raw["lang"],
            raw["text"],
            tuple(raw["safety"]),
            raw["kind"],
            raw.get("split", path.stem),
        )
        if split is None or record.split == split:
            records.append(record)
    return records


def _count(pairs: Iterable[tuple[bool, bool]]) -> Scores:
    messages = positives = flagged = hits = 0
    for want, got in pairs:
        messages += 1
        positives += want
        flagged += got
        hits += want and got
    return Scores(messages, positives, flagged, hits)


def evaluate(
    records: list[Labelled], detect: Callable[[Labelled], tuple[str, ...]]
) -> tuple[dict[str, Scores], dict[str, Scores]]:
    """Message-level scores per language and "all", and per-category scores."""
    predicted = [(record, set(detect(record))) for record in records]
    by_lang: dict[str, Scores] = {}
    for lang in sorted({r.lang for r in records}) + ["all"]:
        group = [(r, got) for r, got in predicted if lang in (r.lang, "all")]
        by_lang[lang] = _count((bool(r.safety), bool(got)) for r, got in group)
    by_category = {
        category: _count((category in r.safety, category in got) for r, got in predicted)
        for category in CATEGORIES
    }
    return by_lang, by_category
