"""Safety: recognise messages about violence, abuse of a child, self-harm, threats or reprisals
for taking part, in every language fikir speaks, so that they get a safety response."""

from __future__ import annotations

import threading

from fikir.safety.detector import SafetyDetector
from fikir.safety.lexicon import CATEGORIES

__all__ = ["CATEGORIES", "SafetyDetector", "default_detector", "detect_safety", "explain_safety"]

_lock = threading.Lock()
_default: SafetyDetector | None = None


def default_detector() -> SafetyDetector:
    """The shared detector built from the shipped lexicons, on first use."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = SafetyDetector.load()
    return _default


def detect_safety(text: str, lang: str | None = None) -> tuple[str, ...]:
    """The safety categories `text` speaks of, in the order of CATEGORIES; () when none."""
    return default_detector().detect(text, lang)


def explain_safety(text: str, lang: str | None = None) -> dict[str, list[str]]:
    """For each category found in `text`, the words and cues that led to it."""
    return default_detector().explain(text, lang)
