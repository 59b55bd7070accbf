"""Fold and tokenise text identically for lexicon entries and messages, so that the ways people
really type a word (no diacritics, Latin-typed Russian, a Latin I for the Lezgian palochka) meet."""

from __future__ import annotations

import re
import unicodedata

# The tagger's fold is textfold's `fold_token` variant; re-exported for the lexicon and the bench.
from fikir.i18n.textfold import fold_token as fold_token
from fikir.i18n.textfold import repair_palochka

_TOKEN = re.compile(r"[^\W\d_]+(?:['’ʼ`‘][^\W\d_]+)*")
_URL = re.compile(r"https?://|www\.|t\.me/|bit\.ly/", re.IGNORECASE)


def split_words(text: str) -> list[str]:
    """The words of a text as written (NFC, palochka repaired), before folding."""
    return _TOKEN.findall(repair_palochka(unicodedata.normalize("NFC", text)))


def tokenize(text: str) -> tuple[list[str], list[str]]:
    """Words as written and their folded forms, position by position."""
    words = split_words(text)
    return words, [fold_token(word) for word in words]


def has_url(text: str) -> bool:
    """True when the text carries a link, a common mark of advertising."""
    return _URL.search(text) is not None
