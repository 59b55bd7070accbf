"""Bench the theme grouping on the labelled messages (tests/data/themes/messages.tsv): purity,
coverage and completeness per language, on the dev split (used for tuning) and the held-out one.

    .venv/bin/python bench/themes.py                 # both splits
    .venv/bin/python bench/themes.py --split held-out
    .venv/bin/python bench/themes.py --threshold 0.4 # try another merge threshold
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fikir.digest.concepts import default_concepts  # noqa: E402
from fikir.digest.theme_eval import SPLITS, evaluate, load_labelled  # noqa: E402
from fikir.digest.themes import THRESHOLD  # noqa: E402

DATA = ROOT / "tests" / "data" / "themes" / "messages.tsv"
LANG_ORDER = ("az", "ru", "en", "tly", "lez", "ka", "uk", "all")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=(*SPLITS, "both"), default="both")
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    args = parser.parse_args()
    messages = load_labelled(DATA)
    lexicon = default_concepts()
    splits = SPLITS if args.split == "both" else (args.split,)
    print(f"threshold {args.threshold}; themes of at least 3 messages count as covered")
    for split in splits:
        chosen = [m for m in messages if m.split == split]
        labels = len({m.theme for m in chosen})
        scores = evaluate(chosen, lexicon, args.threshold)
        print(f"\n{split}: {len(chosen)} messages, {labels} labelled themes")
        print(f"{'lang':<6}{'n':>5}{'purity':>9}{'coverage':>10}{'complete':>10}")
        for lang in LANG_ORDER:
            if lang in scores:
                s = scores[lang]
                print(
                    f"{lang:<6}{s.messages:>5}{s.purity:>9.2f}{s.coverage:>10.2f}"
                    f"{s.completeness:>10.2f}"
                )


if __name__ == "__main__":
    main()
