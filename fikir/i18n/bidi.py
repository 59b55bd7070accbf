"""Bidirectional control characters, which let a message visually reorder the text around it.

U+202E (right-to-left override) and its kin can make "3 sms" read "sms 3" or hide what a
line says in the inbox. Arabic-script and Hebrew letters are strongly right-to-left by
themselves, so dropping the controls keeps such text readable; only the overrides go.
"""

from __future__ import annotations

# LRM, RLM, ALM; LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI.
BIDI_CONTROLS = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_DROP = dict.fromkeys(map(ord, BIDI_CONTROLS))


def without_bidi_controls(text: str) -> str:
    """The text with every bidirectional control character removed."""
    return text.translate(_DROP) if not BIDI_CONTROLS.isdisjoint(text) else text
