"""SDG tagging: which of the 17 goals a message speaks to, from transparent per-language
lexicons (az incl. ASCII-typed, ru incl. Latin-typed, en, ka, uk, tly, lez) and a small model
trained on labelled examples; nothing is downloaded at run time."""

from __future__ import annotations

import threading
from typing import TextIO

from fikir.tagging.jsonl import run_jsonl as _run_jsonl
from fikir.tagging.result import GoalScore, TagResult
from fikir.tagging.tagger import Tagger

__all__ = ["GoalScore", "TagResult", "Tagger", "default_tagger", "explain", "run_jsonl", "tag"]

_lock = threading.Lock()
_default: Tagger | None = None


def default_tagger() -> Tagger:
    """The shared tagger built from the shipped data, on first use."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Tagger.load()
    return _default


def tag(text: str, lang: str | None = None) -> TagResult:
    """The SDGs `text` speaks to, most relevant first (empty when it is about none)."""
    return default_tagger().tag(text, lang)


def explain(text: str, lang: str | None = None) -> dict[int, list[str]]:
    """For each goal assigned to `text`, the words and phrases that led to it."""
    return default_tagger().explain(text, lang)


def run_jsonl(infile: TextIO, outfile: TextIO, explain: bool = False) -> int:
    """Run the `fikir tag` JSON-lines contract over `infile`; returns the count tagged."""
    return _run_jsonl(infile, outfile, explain=explain, tagger=default_tagger())
