"""Text handling for language detection: cleaning, tokens, scripts and the spellings people type.

Kept apart from the scoring so that the rules about alphabets (palochka look-alikes, Azerbaijani
typed without diacritics, Russian typed in Latin letters) can be read and tested on their own.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import cache

from fikir.i18n.textfold import fold_latin, repair_palochka, strip_apostrophes

_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+|[@#]\w+", re.IGNORECASE)
# A letter is any Unicode letter; digits are kept inside words only as a palochka look-alike.
_TOKEN = re.compile(r"[^\W\d_]+(?:[’'`ʼ]?[^\W\d_]+)*", re.UNICODE)


class Script(Enum):
    """The writing systems the detector tells apart."""

    LATIN = "Latn"
    CYRILLIC = "Cyrl"
    GEORGIAN = "Geor"
    OTHER = "other"


@dataclass(frozen=True)
class Token:
    """One word of the message, lower-cased, with the script most of its letters belong to."""

    text: str
    script: Script


def script_of(char: str) -> Script:
    """Return the script of one letter."""
    code = ord(char)
    if code < 0x250 or 0x1E00 <= code <= 0x1EFF:
        return Script.LATIN
    if 0x400 <= code <= 0x52F:
        return Script.CYRILLIC
    if 0x10A0 <= code <= 0x10FF or 0x1C90 <= code <= 0x1CBF or 0x2D00 <= code <= 0x2D2F:
        return Script.GEORGIAN
    return Script.OTHER


def clean(text: str) -> str:
    """Normalise Unicode, drop links, e-mails, @mentions and hashtags, and unify the palochka."""
    text = unicodedata.normalize("NFC", text)
    text = _URL.sub(" ", text)
    return repair_palochka(text)


def _lower(word: str) -> str:
    # Turkish-style "İ" lower-cases to "i" plus a combining dot; drop the dot.
    return strip_apostrophes(word.lower().replace("\u0307", ""))


def tokens(text: str) -> list[Token]:
    """Split cleaned text into lower-cased words, each tagged with its dominant script."""
    result: list[Token] = []
    for match in _TOKEN.finditer(text):
        word = _lower(match.group())
        if not word:
            continue
        counts: dict[Script, int] = {}
        for char in word:
            if char.isalpha():
                script = script_of(char)
                counts[script] = counts.get(script, 0) + 1
        if counts:
            result.append(Token(word, max(counts, key=lambda s: counts[s])))
    return result


# --- Azerbaijani and Talysh typed with or without diacritics -------------------------------------

_LATIN_DIACRITICS = frozenset("əıışçğöüä")


def has_latin_diacritics(word: str) -> bool:
    """True when a Latin word uses a letter of the Azerbaijani alphabet outside ASCII."""
    return any(char in _LATIN_DIACRITICS for char in word)


def typed_forms(word: str) -> frozenset[str]:
    """All folded spellings of a diacritic word: "ə" is typed as "e" or "a", the rest fold."""
    options = [("e", "a") if char == "ə" else (char,) for char in word]
    return frozenset(fold_latin("".join(combo)) for combo in itertools.product(*options))


@cache
def folded_lexicon(words: frozenset[str]) -> frozenset[str]:
    """The folded spellings of a whole word list (cached per list)."""
    return frozenset(form for word in words for form in typed_forms(word))


# --- Russian typed in Latin letters --------------------------------------------------------------

_RU_LATIN: dict[str, tuple[str, ...]] = {
    "а": ("a",),
    "б": ("b",),
    "в": ("v", "w"),
    "г": ("g",),
    "д": ("d",),
    "е": ("e", "ye", "je"),
    "ё": ("e", "yo", "jo", "io"),
    "ж": ("zh", "j", "z", "g"),
    "з": ("z",),
    "и": ("i", "y"),
    "й": ("y", "i", "j", ""),
    "к": ("k",),
    "л": ("l",),
    "м": ("m",),
    "н": ("n",),
    "о": ("o",),
    "п": ("p",),
    "р": ("r",),
    "с": ("s",),
    "т": ("t",),
    "у": ("u",),
    "ф": ("f",),
    "х": ("h", "kh", "x"),
    "ц": ("ts", "c", "tz"),
    "ч": ("ch", "4"),
    "ш": ("sh", "w"),
    "щ": ("sch", "shch", "sh", "w"),
    "ъ": ("",),
    "ы": ("y", "i"),
    "ь": ("", "j"),
    "э": ("e",),
    "ю": ("yu", "ju", "iu", "u"),
    "я": ("ya", "ja", "ia", "a"),
    "-": ("-",),
}
_MAX_FORMS_PER_WORD = 256


def russian_latin_forms(word: str) -> frozenset[str]:
    """The usual ways a Russian word is typed in Latin letters (translit), at most a few hundred."""
    options = [_RU_LATIN.get(char, (char,)) for char in word]
    forms = itertools.islice(itertools.product(*options), _MAX_FORMS_PER_WORD)
    return frozenset("".join(combo) for combo in forms)


@cache
def russian_latin_lexicon(words: frozenset[str]) -> frozenset[str]:
    """The translit spellings of a whole Russian word list (cached per list)."""
    return frozenset(form for word in words for form in russian_latin_forms(word))
