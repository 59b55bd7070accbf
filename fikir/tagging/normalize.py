"""Fold and tokenise text identically for lexicon entries and messages, so that the ways people
really type a word (no diacritics, Latin-typed Russian, a Latin I for the Lezgian palochka) meet."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters folded to their plain Latin/Cyrillic base. Azerbaijani/Talysh letters go to what
# people type without them; apostrophes vanish ("noch'yu", "п'ять", "zv'yazok").
_CHAR_MAP = str.maketrans(
    {
        "ə": "e",
        "ı": "i",
        "ş": "s",
        "ç": "c",
        "ğ": "g",
        "ö": "o",
        "ü": "u",
        "\u0307": "",  # the dot "İ".lower() leaves behind
        "ё": "е",
        "ї": "і",
        "ґ": "г",
        "ӏ": "ӏ",
        "Ӏ": "ӏ",
        "'": "",
        "’": "",
        "ʼ": "",
        "`": "",
        "‘": "",
    }
)

# Latin digraphs of ASCII Azerbaijani and transliterated Russian, folded to one letter.
_DIGRAPHS = (
    ("shch", "s"),
    ("sh", "s"),
    ("ch", "c"),
    ("zh", "j"),
    ("kh", "x"),
    ("gh", "g"),
)

# Latin letters that look like Cyrillic ones, typed inside Cyrillic words on mixed keyboards.
_HOMOGLYPHS = str.maketrans(
    {
        "a": "а",
        "e": "е",
        "o": "о",
        "p": "р",
        "c": "с",
        "x": "х",
        "y": "у",
        "i": "і",
        "k": "к",
        "m": "м",
        "t": "т",
    }
)

# The Lezgian palochka typed as Latin I, l, the digit 1 or a bar after к п т ц ч.
_PALOCHKA = re.compile(r"(?<=[кптцчКПТЦЧ])[Il1|Ӏӏ]")
_TOKEN = re.compile(r"[^\W\d_]+(?:['’ʼ`‘][^\W\d_]+)*")
_REPEATS = re.compile(r"(.)\1{2,}")
_URL = re.compile(r"https?://|www\.|t\.me/|bit\.ly/", re.IGNORECASE)


def _has_cyrillic(token: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in token)


def _has_latin_accents(token: str) -> bool:
    return any("\u00c0" <= ch <= "\u024f" for ch in token)


@lru_cache(maxsize=65536)
def fold_token(token: str) -> str:
    """The matching form of one word: lower case, diacritics and digraphs folded, repeats cut."""
    folded = token.lower().translate(_CHAR_MAP)
    if _has_cyrillic(folded):
        folded = folded.translate(_HOMOGLYPHS)
    else:
        if _has_latin_accents(folded):
            decomposed = unicodedata.normalize("NFD", folded)
            folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        if folded.isascii():
            for digraph, letter in _DIGRAPHS:
                if digraph in folded:
                    folded = folded.replace(digraph, letter)
    return _REPEATS.sub(r"\1", folded)


def split_words(text: str) -> list[str]:
    """The words of a text as written (NFC, palochka repaired), before folding."""
    text = _PALOCHKA.sub("ӏ", unicodedata.normalize("NFC", text))
    return _TOKEN.findall(text)


def tokenize(text: str) -> tuple[list[str], list[str]]:
    """Words as written and their folded forms, position by position."""
    words = split_words(text)
    return words, [fold_token(word) for word in words]


def has_url(text: str) -> bool:
    """True when the text carries a link, a common mark of advertising."""
    return _URL.search(text) is not None
