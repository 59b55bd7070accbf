"""Train the safety model on every labelled message and write fikir/safety/model.tsv; with
--check, first show how it transfers between authors (train on one author's sets, score the
other's) so the figures say what it does on text nobody built it against.

    .venv/bin/python bench/safety_model.py            # cross-author check, then write the model
    .venv/bin/python bench/safety_model.py --check    # the check only
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fikir.safety import SafetyDetector  # noqa: E402
from fikir.safety.evaluate import Labelled, Scores, evaluate, load_labelled  # noqa: E402
from fikir.safety.lexicon import load_terms  # noqa: E402
from fikir.safety.model import MIN_COUNT, MODEL_PATH, Example, StemModel  # noqa: E402

DATA = ROOT / "tests" / "data" / "safety"
# The authors: the detector's builder wrote messages and fresh, another author wrote blind.
AUTHORS = {"builder": ("messages.jsonl", "fresh.jsonl"), "blind author": ("blind.jsonl",)}


def author_sets() -> dict[str, list[Labelled]]:
    """Every labelled message, grouped by the author who wrote it."""
    return {
        author: [r for name in names if (DATA / name).exists() for r in load_labelled(DATA / name)]
        for author, names in AUTHORS.items()
    }


def train(records: list[Labelled], detector: SafetyDetector, min_count: int = 1) -> StemModel:
    """A model trained on `records`, read the way the detector reads messages."""
    examples = [Example(detector.model_text(r.text, r.lang), r.safety) for r in records]
    return StemModel.train(examples, min_count)


def cross_check() -> list[tuple[str, Scores, Scores, Scores]]:
    """For each author: the lexicons alone, the model alone and both together on their messages,
    with the model trained only on the other author's."""
    terms = load_terms()
    lexicons = SafetyDetector(terms)
    sets = author_sets()
    rows = []
    for author, records in sets.items():
        others = [r for other, rs in sets.items() if other != author for r in rs]
        if not records or not others:
            continue
        model = train(others, lexicons, MIN_COUNT)
        both = SafetyDetector(terms, model)
        learned_only = SafetyDetector([], model)
        alone, _ = evaluate(records, lambda r: lexicons.detect(r.text, r.lang))
        learned, _ = evaluate(records, lambda r, d=learned_only: d.detect(r.text, r.lang))
        together, _ = evaluate(records, lambda r, d=both: d.detect(r.text, r.lang))
        rows.append((author, alone["all"], learned["all"], together["all"]))
    return rows


def print_cross_check() -> None:
    print("\ncross-author check (model trained only on the other author's messages):")
    print(f"{'scored on':14} {'lexicons':>17} {'model alone':>17} {'both':>17}")
    for author, alone, learned, together in cross_check():
        cells = [f"P {s.precision:.3f} R {s.recall:.3f}" for s in (alone, learned, together)]
        print(f"{author:14} " + " ".join(f"{cell:>17}" for cell in cells))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only the cross-author check")
    args = parser.parse_args()
    print_cross_check()
    if not args.check:
        records = [r for rs in author_sets().values() for r in rs]
        model = train(records, SafetyDetector(load_terms()), MIN_COUNT)
        model.dump(MODEL_PATH)
        print(f"\nwrote {MODEL_PATH.relative_to(ROOT)}: {len(model.weights)} features")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
