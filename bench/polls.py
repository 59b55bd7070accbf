"""Accuracy and speed of fikir.polls.matching.match_option on the labelled replies in tests/data/polls.

Two sets: the first (polls.yaml + replies.yaml, 30% held out) and the everyday replies of issue 21
(everyday.yaml, 40% held out). --show-errors lists misses of the first set in the chosen split, and
of the everyday set only in dev: its held-out misses are never looked at while building.

Run: .venv/bin/python bench/polls.py [--show-errors] [--split dev|held-out|all]
"""

from __future__ import annotations

import argparse
import hashlib
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from fikir.polls.matching import match_option

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "polls"
TARGET = 0.97


@dataclass(frozen=True)
class Case:
    """One labelled reply: the poll's options, the reply, and the 0-based option it picks (or None)."""

    poll: str
    lang: str
    reply: str
    expected: int | None
    options: tuple[tuple[str, ...], ...]
    everyday: bool = False

    @property
    def split(self) -> str:
        """'held-out' for about 30% (everyday set: 40%) of cases, fixed by a hash, never by hand."""
        if self.everyday:
            return everyday_split(self.poll, self.lang, self.reply)
        digest = hashlib.sha256(f"{self.poll}|{self.lang}|{self.reply}".encode()).hexdigest()
        return "held-out" if int(digest[:8], 16) % 10 < 3 else "dev"


def everyday_split(poll: str, lang: str, reply: str) -> str:
    """The everyday set's split: held-out when the hash's first 8 hex digits are 0-3 modulo 10."""
    digest = hashlib.sha256(f"everyday|{poll}|{lang}|{reply}".encode()).hexdigest()
    return "held-out" if int(digest[:8], 16) % 10 < 4 else "dev"


def load_cases() -> list[Case]:
    """Read polls.yaml and replies.yaml into cases."""
    polls = yaml.safe_load((DATA / "polls.yaml").read_text(encoding="utf-8"))
    rows = yaml.safe_load((DATA / "replies.yaml").read_text(encoding="utf-8"))["cases"]
    cases = []
    for poll, lang, reply, pick in rows:
        options = tuple((o,) if isinstance(o, str) else tuple(o) for o in polls[poll]["options"])
        cases.append(Case(poll, lang, reply, None if pick is None else pick - 1, options))
    return cases


def load_everyday() -> list[Case]:
    """Read everyday.yaml (its own polls and cases) into cases."""
    data = yaml.safe_load((DATA / "everyday.yaml").read_text(encoding="utf-8"))
    polls = data["polls"]
    cases = []
    for poll, lang, reply, pick in data["cases"]:
        options = tuple((o,) if isinstance(o, str) else tuple(o) for o in polls[poll]["options"])
        cases.append(Case(poll, lang, reply, None if pick is None else pick - 1, options, True))
    return cases


def accuracy(cases: list[Case]) -> tuple[int, int, list[tuple[Case, int | None]]]:
    """Correct count, total and the wrong answers."""
    wrong = []
    for case in cases:
        got = match_option(case.reply, case.options, case.lang)
        if got != case.expected:
            wrong.append((case, got))
    return len(cases) - len(wrong), len(cases), wrong


def speed(cases: list[Case], replies: list[str], seconds: float = 1.0) -> float:
    """Calls per second for the given replies on the first case's options (cache warm)."""
    options = cases[0].options
    calls = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for reply in replies:
            match_option(reply, options)
        calls += len(replies)
    return calls / (time.perf_counter() - start)


def report(title: str, cases: list[Case]) -> None:
    """Print accuracy per split and language for one set, and whether the target is met."""
    nothing = sum(c.expected is None for c in cases)
    print(f"{title}: match_option on {len(cases)} labelled replies ({nothing} choose nothing)")
    for split in ("dev", "held-out", "all"):
        part = [c for c in cases if split == "all" or c.split == split]
        ok, total, _ = accuracy(part)
        print(f"  {split:9s} {ok:4d}/{total:<4d} {ok / total:7.2%}")
    print("  per language (all):")
    by_lang: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        by_lang[case.lang].append(case)
    for lang in sorted(by_lang):
        ok, total, _ = accuracy(by_lang[lang])
        held = [c for c in by_lang[lang] if c.split == "held-out"]
        hok, htotal, _ = accuracy(held)
        print(
            f"    {lang:4s} {ok:3d}/{total:<3d} {ok / total:7.2%}   held-out {hok:3d}/{htotal:<3d}"
        )
    ok, total, _ = accuracy([c for c in cases if c.split == "held-out"])
    print(f"  held-out target {TARGET:.0%}: {'met' if ok / total >= TARGET else 'NOT met'}")


def main() -> None:
    """Print accuracy per set, split and language, and throughput."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--split", choices=("dev", "held-out", "all"), default="all")
    args = parser.parse_args()
    cases = load_cases()
    everyday = load_everyday()
    report("first set", cases)
    report("everyday set (#21)", everyday)
    digits = speed(cases, ["2", " 3 ", "1)", "4.", "#2", "２"])
    words = speed(
        cases,
        ["ikinci", "Yollar", "su techizati", "не знаю", "iş yerləri lazımdır, gənclər işsizdir"],
    )
    print(f"  speed: digit replies {digits:,.0f} calls/s, word replies {words:,.0f} calls/s")
    if args.show_errors:
        shown = [c for c in cases if args.split == "all" or c.split == args.split]
        shown += [c for c in everyday if c.split == "dev"]
        _, _, wrong = accuracy(shown)
        for case, got in wrong:
            name = "everyday " if case.everyday else ""
            print(
                f"  WRONG [{name}{case.split}] {case.poll} {case.lang} {case.reply!r}: "
                f"expected {case.expected}, got {got}"
            )


if __name__ == "__main__":
    main()
