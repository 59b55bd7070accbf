"""Accuracy of `detect_language` per language on the labelled set, held-out part first.

Run: `.venv/bin/python bench/language.py` (add `--errors dev` to list the dev-set mistakes while
tuning; the held-out and fresh parts are for reporting only). Also prints load and call times.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fikir.i18n.detect import detect_language  # noqa: E402

DATA = ROOT / "tests" / "data" / "language" / "messages.jsonl"
LANGS = ("az", "ru", "en", "ka", "uk", "tly", "lez", None)
TARGETS = {"az": 0.95, "ru": 0.95, "en": 0.95, "ka": 0.95, "uk": 0.95, "tly": 0.80, "lez": 0.80}


@dataclass(frozen=True)
class Example:
    """One labelled message; `lang` is None for texts that must be called unclear."""

    id: str
    lang: str | None
    split: str
    text: str


def load(path: Path = DATA) -> list[Example]:
    """Read the labelled set."""
    with path.open(encoding="utf-8") as handle:
        return [Example(**json.loads(line)) for line in handle if line.strip()]


def report(examples: list[Example], predictions: dict[str, str | None], title: str) -> bool:
    """Print accuracy per language for `examples`; return True when every target is met."""
    print(f"\n{title}")
    print(f"{'lang':<6}{'n':>5}{'correct':>9}{'accuracy':>10}{'target':>8}  confused with")
    ok = True
    for lang in LANGS:
        subset = [e for e in examples if e.lang == lang]
        if not subset:
            continue
        correct = sum(predictions[e.id] == lang for e in subset)
        accuracy = correct / len(subset)
        target = TARGETS.get(lang or "")
        wrong = Counter(str(predictions[e.id]) for e in subset if predictions[e.id] != lang)
        mark = ""
        if target is not None:
            mark = f"{target:.0%}" + ("" if accuracy >= target else " !")
            ok = ok and accuracy >= target
        confused = ", ".join(f"{code}×{count}" for code, count in wrong.most_common())
        print(
            f"{lang or 'None':<6}{len(subset):>5}{correct:>9}{accuracy:>10.1%}{mark:>8}  {confused}"
        )
    total = sum(predictions[e.id] == e.lang for e in examples)
    print(f"{'all':<6}{len(examples):>5}{total:>9}{total / len(examples):>10.1%}")
    return ok


def main() -> int:
    """Run the benchmark; exit 1 when a held-out target is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--errors", choices=("dev", "held", "fresh", "all"), help="list the mistakes of a split"
    )
    args = parser.parse_args()
    examples = load()

    started = time.perf_counter()
    detect_language("Salam, necəsiniz?")
    first_call = time.perf_counter() - started
    for warm in ("Hello there", "Привет, как дела", "Привіт, як справи", "net vody", "ov nıştə"):
        detect_language(warm)

    predictions: dict[str, str | None] = {}
    timings: list[float] = []
    for example in examples:
        started = time.perf_counter()
        predictions[example.id] = detect_language(example.text)
        timings.append(time.perf_counter() - started)

    print(f"first call (builds lingua, loads the Latin models): {first_call * 1000:.0f} ms")
    print(
        f"per call after warm-up: median {statistics.median(timings) * 1000:.2f} ms, "
        f"max {max(timings) * 1000:.2f} ms over {len(timings)} messages"
    )
    held = [e for e in examples if e.split == "held"]
    fresh = [e for e in examples if e.split == "fresh"]
    dev = [e for e in examples if e.split == "dev"]
    held_ok = report(held, predictions, "HELD-OUT (split off before tuning; see README)")
    report(fresh, predictions, "FRESH (written after tuning, never tuned on)")
    report(dev, predictions, "DEV (used for tuning)")
    report(examples, predictions, "ALL")

    if args.errors:
        chosen = (
            examples if args.errors == "all" else [e for e in examples if e.split == args.errors]
        )
        print(f"\nmistakes ({args.errors}):")
        for e in chosen:
            if predictions[e.id] != e.lang:
                print(f"  {e.id:<9} want {e.lang!s:<5} got {predictions[e.id]!s:<5} {e.text}")
    return 0 if held_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
