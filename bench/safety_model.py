"""Train the safety model on every labelled message and write fikir/safety/model.tsv; first show
how it transfers between authors (leave one author out: train on the others' messages, score the
one left out) so the figures say what it does on text nobody built it against.

    .venv/bin/python bench/safety_model.py            # folds, threshold sweep, write the model
    .venv/bin/python bench/safety_model.py --check    # the folds and the sweep only
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fikir.safety import SafetyDetector  # noqa: E402
from fikir.safety.detector import MODEL_ALONE  # noqa: E402
from fikir.safety.evaluate import Labelled, Scores, evaluate, load_labelled  # noqa: E402
from fikir.safety.lexicon import load_terms  # noqa: E402
from fikir.safety.model import MIN_COUNT, MODEL_PATH, THRESHOLD, Example, StemModel  # noqa: E402

DATA = ROOT / "tests" / "data" / "safety"
# The authors: the detector's builder wrote messages and fresh; blind and blind2 are two others.
AUTHORS = {
    "builder": ("messages.jsonl", "fresh.jsonl"),
    "blind author": ("blind.jsonl",),
    "blind2 author": ("blind2.jsonl",),
    "blind3 author": ("blind3.jsonl",),
    "train_a author": ("train_a.jsonl",),
    "train_b author": ("train_b.jsonl",),
    "train_c author": ("train_c.jsonl",),
}
SWEEP = (0.2, 0.25, 0.3, 0.4)
ALONE_SWEEP = (0.4, 0.45, 0.5, 0.6)
# Authors no lexicon line was written from: their folds are the honest figures.
UNREAD = frozenset({"train_b author", "train_c author"})


DATA_ROOT = ROOT / "tests" / "data"
# Everyday feedback written for other parts of fikir (SDG tagging, language detection,
# redaction: people leaving their phone number or asking to be called), as most of what people
# send looks. Each file is split by a hash of the message's id.
EVERYDAY = (
    DATA_ROOT / "tagging" / "messages.jsonl",
    DATA_ROOT / "language" / "messages.jsonl",
    DATA_ROOT / "privacy" / "dev.jsonl",
    DATA_ROOT / "privacy" / "third_dev.jsonl",
    DATA_ROOT / "privacy" / "heldout.jsonl",
    DATA_ROOT / "privacy" / "third_heldout.jsonl",
)


@functools.cache
def everyday(part: str) -> list[Labelled]:
    """Everyday feedback, the model's negatives: `dev` trains, `heldout` measures how often
    everyday feedback would raise a false alarm. Messages the lexicons flag are left out of
    training: some of them are real reports."""
    import hashlib
    import json

    lexicons = SafetyDetector(load_terms())
    found = []
    for path in EVERYDAY:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            key = f"{path.parent.name}/{path.stem}/{record['id']}"
            digest = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16)
            if ("heldout" if digest % 5 < 2 else "dev") != part:
                continue
            lang = record.get("lang") or "az"
            if part == "dev" and lexicons.detect(record["text"], lang):
                continue
            found.append(Labelled(key, lang, record["text"], (), "ordinary", part))
    return found


def author_sets() -> dict[str, list[Labelled]]:
    """Every labelled message, grouped by the author who wrote it."""
    return {
        author: [r for name in names if (DATA / name).exists() for r in load_labelled(DATA / name)]
        for author, names in AUTHORS.items()
    }


def train(records: list[Labelled], detector: SafetyDetector, min_count: int = 1) -> StemModel:
    """A model trained on `records`, read the way the detector reads messages."""
    examples = [Example(detector.model_features(r.text, r.lang), r.safety) for r in records]
    return StemModel.train(examples, min_count)


def exact(records: list[Labelled], detector: SafetyDetector) -> tuple[int, int]:
    """Messages needing a response whose categories were found exactly, and their number."""
    wanted = [r for r in records if r.safety]
    right = sum(set(detector.detect(r.text, r.lang)) == set(r.safety) for r in wanted)
    return right, len(wanted)


Row = tuple[str, Scores, Scores, str]


@functools.cache
def fold_models() -> tuple[tuple[str, tuple[Labelled, ...], StemModel], ...]:
    """For each author: their messages and a model trained only on the other authors' (and
    the everyday feedback), trained once for every threshold tried."""
    lexicons = SafetyDetector(load_terms())
    sets = author_sets()
    found = []
    for author, records in sets.items():
        others = [r for other, rs in sets.items() if other != author for r in rs]
        if records and others:
            model = train(others + everyday("dev"), lexicons, MIN_COUNT)
            found.append((author, tuple(records), model))
    return tuple(found)


def folds(threshold: float = THRESHOLD, alone_threshold: float = MODEL_ALONE) -> list[Row]:
    """For each author left out: the lexicons alone and the lexicons with the model on their
    messages (and the share of exact category sets with the model)."""
    terms = load_terms()
    lexicons = SafetyDetector(terms)
    rows = []
    for author, records, model in fold_models():
        both = SafetyDetector(terms, model, threshold, alone_threshold)
        alone, _ = evaluate(list(records), lambda r: lexicons.detect(r.text, r.lang))
        together, _ = evaluate(list(records), lambda r, d=both: d.detect(r.text, r.lang))
        right, wanted = exact(list(records), both)
        rows.append((author, alone["all"], together["all"], f"{right}/{wanted}"))
    return rows


def pooled(rows: list[Row], authors: frozenset[str] | None = None) -> Scores:
    """The folds' "with the model" columns added up (of `authors`, or all), as one score."""
    parts = [row[2] for row in rows if authors is None or row[0] in authors]
    return Scores(
        sum(s.messages for s in parts),
        sum(s.positives for s in parts),
        sum(s.flagged for s in parts),
        sum(s.true_positives for s in parts),
    )


def print_cross_check() -> None:
    print("\nleave one author out (model trained only on the other authors' messages):")
    print(f"{'scored on':15} {'lexicons':>17} {'with the model':>17} {'exact':>8}")
    rows = folds()
    for author, alone, together, right in rows:
        cells = [f"P {s.precision:.3f} R {s.recall:.3f}" for s in (alone, together)]
        print(f"{author:15} " + " ".join(f"{cell:>17}" for cell in cells) + f" {right:>8}")
    total = pooled(rows)
    print(f"{'pooled':15} {'':>17} P {total.precision:.3f} R {total.recall:.3f}")
    unread = pooled(rows, UNREAD)
    print(f"{'never read':15} {'':>17} P {unread.precision:.3f} R {unread.recall:.3f}")
    print(
        "(no lexicon line was written from the sets 'never read', so their rows say what happens\n"
        " on unseen text; the other rows are inflated by the lexicons)"
    )
    held = everyday("heldout")
    model = train(
        [r for rs in author_sets().values() for r in rs] + everyday("dev"),
        SafetyDetector(load_terms()),
        MIN_COUNT,
    )
    lexicons = SafetyDetector(load_terms())
    both = SafetyDetector(load_terms(), model)
    alone = sum(bool(lexicons.detect(r.text, r.lang)) for r in held)
    flagged = sum(bool(both.detect(r.text, r.lang)) for r in held)
    print(
        f"everyday feedback, held-out ({len(held)} messages about roads, water, prices…): "
        f"flagged {flagged} with the model, {alone} by the lexicons alone"
    )


def print_sweep() -> None:
    print(
        f"\nthresholds on the folds (shipped: {THRESHOLD} to keep the lexicons' reading, "
        f"{MODEL_ALONE} for the model alone); all authors | never read:"
    )
    for threshold in SWEEP:
        for alone in ALONE_SWEEP:
            if alone < threshold:
                continue
            rows = folds(threshold, alone)
            total, unread = pooled(rows), pooled(rows, UNREAD)
            print(
                f"  {threshold:.2f} {alone:.2f}  P {total.precision:.3f} R {total.recall:.3f}"
                f" | P {unread.precision:.3f} R {unread.recall:.3f}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only the folds and the sweep")
    args = parser.parse_args()
    print_cross_check()
    print_sweep()
    if not args.check:
        records = [r for rs in author_sets().values() for r in rs] + everyday("dev")
        model = train(records, SafetyDetector(load_terms()), MIN_COUNT)
        model.dump(MODEL_PATH)
        print(f"\nwrote {MODEL_PATH.relative_to(ROOT)}: {len(model.weights)} features")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
