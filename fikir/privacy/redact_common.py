"""Shared span type and letter classes used by every redaction detector (names fold in i18n.textfold)."""

from __future__ import annotations

import re
from typing import NamedTuple


class Found(NamedTuple):
    """A stretch of the input that a detector wants replaced by the placeholder of `kind`."""

    start: int
    end: int
    kind: str


# Python's `re` has no \p{Lu}; these cover the scripts fikir's users write in.
UPPER = "A-ZÀ-ÖØ-ÞƏÜÖĞÇŞİА-ЯЁІЇЄҐҺҸҒӘӨҮЈӀ"
LETTER = r"[^\W\d_]"
# A word made of letters, allowing inner apostrophes and hyphens (O'Brien, Ім'я, Məmmədova-Əliyeva).
WORD = rf"{LETTER}+(?:['’ʼ\-]{LETTER}+)*"
CAP_WORD = rf"[{UPPER}]{LETTER}*(?:['’ʼ\-]{LETTER}+)*"


def is_title(word: str) -> bool:
    """True for Title-case words ("Leyla"), false for "ASAN", "leyla" and Georgian (no case)."""
    return word[:1].isupper() and (len(word) == 1 or not word[1:2].isupper())


def mentions(lowered: str, needles: tuple[str, ...]) -> bool:
    """Cheap necessary condition for a rule: one of its keywords occurs in the case-folded text."""
    return any(n in lowered for n in needles)


# A run of digits with the separators numbers are written with ("050 123-45-67", "12.05.2024").
DIGIT_CLUSTER = re.compile(r"\d[\d \t\u00a0.,:/\-–—()]*")


def digit_windows(text: str, before: int, after: int) -> list[tuple[int, int]]:
    """Stretches around the digits of `text`; digit-bearing rules need only look there.

    Scanning a few short windows instead of the whole message is what keeps redaction fast:
    a lookbehind still sees the characters before a window, and `after` is kept wide enough
    that no lookahead of a rule is cut short.
    """
    windows: list[tuple[int, int]] = []
    for m in DIGIT_CLUSTER.finditer(text):
        start, end = max(0, m.start() - before), min(len(text), m.end() + after)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def scan(rule: re.Pattern[str], text: str, windows: list[tuple[int, int]]) -> list[re.Match[str]]:
    """All matches of `rule` that start inside one of `windows`."""
    return [m for start, end in windows for m in rule.finditer(text, start, end)]


def matches_at(rule: re.Pattern[str], text: str, offsets: list[int]) -> list[re.Match[str]]:
    """Non-overlapping matches of `rule` that begin at one of `offsets`."""
    found: list[re.Match[str]] = []
    for pos in offsets:
        if found and pos < found[-1].end():
            continue
        m = rule.match(text, pos)
        if m is not None:
            found.append(m)
    return found
