"""Bench for `redact`: share of personal items removed and of must-keep words kept, and speed."""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from fikir.privacy.redact import redact
from fikir.privacy.redact_score import Labelled, impersonal_rest, kept, leaked, load_labelled

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "privacy"
SPLITS = ("dev", "heldout", "fresh", "fresh2", "third_dev", "third_heldout")


@dataclass
class Tally:
    """Counts of one group of messages (a split, a kind, a language)."""

    pii: int = 0
    removed: int = 0
    keep: int = 0
    kept: int = 0
    misses: list[str] = field(default_factory=list)

    def line(self, label: str) -> str:
        removed = f"{self.removed}/{self.pii} = {self.removed / self.pii:6.1%}" if self.pii else "-"
        kept_s = f"{self.kept}/{self.keep} = {self.kept / self.keep:6.1%}" if self.keep else "-"
        return f"  {label:<10} removed {removed:<20} kept {kept_s}"


def score(rows: list[Labelled]) -> tuple[Tally, dict[str, Tally], dict[str, Tally]]:
    total = Tally()
    by_kind: dict[str, Tally] = defaultdict(Tally)
    by_lang: dict[str, Tally] = defaultdict(Tally)
    for row in rows:
        out = redact(row.text)
        rest = impersonal_rest(row.text, (piece for _, piece in row.pii))
        for kind, piece in row.pii:
            ok = not leaked(kind, piece, out, rest)
            for t in (total, by_kind[kind], by_lang[row.lang]):
                t.pii += 1
                t.removed += ok
            if not ok:
                total.misses.append(f"{row.id}: {kind} {piece!r} -> {out!r}")
        for word in row.keep:
            ok = kept(word, out)
            for t in (total, by_lang[row.lang]):
                t.keep += 1
                t.kept += ok
            if not ok:
                total.misses.append(f"{row.id}: keep {word!r} -> {out!r}")
    return total, by_kind, by_lang


def _rate(texts: list[str], n: int, rounds: int = 5) -> float:
    """Messages per CPU-second, best of `rounds` (the bench shares its machine with other work)."""
    batch = (texts * (n // len(texts) + 1))[:n]
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for t in batch:
            redact(t)
        best = min(best, time.process_time() - start)
    return n / best


def _about_200_chars(texts: list[str]) -> list[str]:
    out = []
    for i, t in enumerate(texts):
        j = i
        while len(t) < 200:
            j = (j + 7) % len(texts)
            t += " " + texts[j]
        out.append(t[:220])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show", choices=SPLITS, help="print the misses of this split")
    parser.add_argument("-n", type=int, default=5000, help="messages per speed round")
    args = parser.parse_args()
    data = {s: load_labelled(DATA / f"{s}.jsonl") for s in SPLITS}
    groups = {
        "held-out": data["heldout"],
        "fresh": data["fresh"],
        "fresh2": data["fresh2"],
        "all": data["dev"] + data["heldout"] + data["fresh"] + data["fresh2"],
        "dev": data["dev"],
        # Third parties, cards with expiry/CVV, plates (issue 16): split by hash before any rule.
        "third held-out": data["third_heldout"],
        "third dev": data["third_dev"],
    }
    names = {
        "dev": "dev",
        "heldout": "held-out",
        "fresh": "fresh",
        "fresh2": "fresh2",
        "third_dev": "third dev",
        "third_heldout": "third held-out",
    }
    for name, rows in groups.items():
        total, by_kind, by_lang = score(rows)
        print(f"{name}: {len(rows)} messages")
        print(total.line("TOTAL"))
        for kind in sorted(by_kind):
            print(by_kind[kind].line(kind))
        for lang in sorted(by_lang):
            print(by_lang[lang].line(lang))
        if args.show and name == names[args.show]:
            print("\n".join(f"    MISS {m}" for m in total.misses))
    # Speed is measured on the first four splits, so figures stay comparable across versions.
    every = groups["all"]
    with_pii = _about_200_chars([r.text for r in every])
    without_pii = _about_200_chars([r.text for r in every if not r.pii])
    start = time.process_time()
    sum(range(10**6))
    calibration = (time.process_time() - start) * 1000
    print(
        "speed (CPU time, best of 5): "
        f"{_rate([r.text for r in every], args.n):,.0f} msgs/s on the labelled texts; "
        f"~200-char texts: {_rate(without_pii, args.n):,.0f} msgs/s without personal data, "
        f"{_rate(with_pii, args.n):,.0f} msgs/s dense with it "
        f"(this machine: sum(range(10**6)) takes {calibration:.0f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
