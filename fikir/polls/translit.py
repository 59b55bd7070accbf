"""Spelling-insensitive keys for words, so "vtoroj", "vtoroi" and "второй" meet on one key."""

from __future__ import annotations

import re
from functools import lru_cache

from fikir.i18n.textfold import latin_spellings, to_latin

# Digraphs that different people spell differently, reduced to one letter (longest first).
_DIGRAPHS = (
    ("shch", "s"),
    ("sch", "s"),
    ("sh", "s"),
    ("ch", "c"),
    ("zh", "z"),
    ("kh", "h"),
    ("gh", "g"),
    ("ts", "c"),
    ("tz", "c"),
    ("dz", "z"),
    ("ph", "f"),
    ("x", "h"),
    ("q", "k"),
    ("y", "i"),
    ("'", ""),
)
_FINAL_J = re.compile(r"j\b")
# Doubled letters are typed single ("sehiye"), except l, which Azerbaijani plurals double ("yollar").
_DOUBLE = re.compile(r"([^l])\1+")


@lru_cache(maxsize=16384)
def loose(latin: str) -> str:
    """Reduce lowercase Latin text to a key that ignores transliteration habits and doubled letters."""
    key = _FINAL_J.sub("i", latin)
    for src, dst in _DIGRAPHS:
        if src in key:
            key = key.replace(src, dst)
    return _DOUBLE.sub(r"\1", key)


@lru_cache(maxsize=16384)
def word_key(word: str) -> str:
    """The loose key of one word typed in any script."""
    return loose(to_latin(word))


def word_keys(word: str) -> tuple[str, ...]:
    """All loose keys a word may be typed as (Russian/Ukrainian readings, Georgian keyboard)."""
    keys: dict[str, None] = {}
    for spelling in latin_spellings(word):
        keys.setdefault(loose(spelling), None)
        if "q" in spelling:
            # Azerbaijani Cyrillic writes q as "г", which reads as g: "ишыг" is "işıq".
            keys.setdefault(loose(spelling.replace("q", "g")), None)
    return tuple(keys)
