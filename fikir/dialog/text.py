"""Cleaning what channels hand over: any string in, printable text out, never an exception."""

from __future__ import annotations

import unicodedata

from fikir.i18n.bidi import BIDI_CONTROLS

MAX_FEEDBACK_CHARS = 20_000
_ALLOWED_CONTROLS = {"\n", "\t"}
# Zero-width space, line/paragraph separators, BOM, and the bidirectional controls (which
# would reorder the inbox's text around them; fikir.i18n.bidi).
_DROPPED_FORMAT = frozenset("\u200b\u2028\u2029\ufeff") | BIDI_CONTROLS


def clean(text: str | None) -> str:
    """Drop control characters (bidirectional ones too) and lone surrogates, trim spaces."""
    if not text:
        return ""
    text = (
        text.encode("utf-8", "replace").decode("utf-8", "replace")
        if _has_surrogates(text)
        else text
    )
    kept = []
    for ch in text:
        if ch in _ALLOWED_CONTROLS:
            kept.append(ch)
            continue
        category = unicodedata.category(ch)
        if category in {"Cc", "Cs", "Co", "Cn"} or ch in _DROPPED_FORMAT:
            continue
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)).strip()


def _has_surrogates(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def small_number(text: str | None, digits: int = 9) -> int | None:
    """An unsigned ASCII number of at most `digits` digits, else None; never raises.

    `str.isdigit()` is true for "²" and "١", which `int()` then refuses, and `int()` refuses
    more than 4,300 digits: every number taken from a request or a payload goes through here.
    """
    value = (text or "").strip()
    if not value or len(value) > digits or not (value.isascii() and value.isdigit()):
        return None
    return int(value)


def has_words(text: str) -> bool:
    """True when the text has at least two letters: emoji or punctuation alone is not a message."""
    return sum(1 for ch in text if ch.isalpha()) >= 2


def looks_like_feedback(text: str) -> bool:
    """A free-text message substantial enough to keep, even when a question was pending."""
    return has_words(text) and (len(text.split()) >= 4 or len(text) >= 30)
