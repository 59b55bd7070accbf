"""Per-word cues: which of fikir's languages a single word could belong to, and how strongly.

Each rule is about a language rather than about particular messages: Lezgian letter pairs that
Russian never writes, Azerbaijani vowel harmony that Talysh breaks, the endings of Russian typed
in Latin letters, Ukrainian letters and adjective endings. A word's votes are weights per code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from fikir.i18n import detect_words as words
from fikir.i18n.detect_text import (
    folded_lexicon,
    has_latin_diacritics,
    russian_latin_lexicon,
)
from fikir.i18n.textfold import AZ_CYRILLIC_LETTERS, az_cyrillic_to_latin, fold_latin

# Vote weights: a word only one language has, a word typical of one, a word shape that hints.
STRONG = 2.0
WORD = 1.0
STEM = 0.7
SHAPE = 0.75
HINT = 0.5

# Letter pairs (and the palochka) that Lezgian writes and Russian and Ukrainian never do.
_LEZ_MARKS = ("кь", "къ", "хь", "хъ", "гь", "гъ", "уь", "ӏ")
_UK_LETTERS = frozenset("іїєґ")
_RU_LETTERS = frozenset("ыэёъ")
# Ukrainian hard adjectives end in -ий where Russian writes -ый (добрий / добрый).
_UK_ADJECTIVE = re.compile(r"[бвдзлмпрстфц]ий$")
# Endings and letter groups of Russian typed in Latin letters that English and Azerbaijani lack.
_RU_LATIN_ENDINGS = (
    *("aet", "ayet", "yaet", "ayut", "yayut", "aya", "yaya", "ogo", "ego", "oye", "iye"),
    *("yy", "iy", "ykh", "ikh", "tsya", "tsa", "sya", "ami", "yami"),
)
_RU_LATIN_GROUPS = ("zh", "kh", "shch", "tsy")
_LAUGHTER = re.compile(
    r"^(?:a?(?:ha){2,}h?|(?:xa){2,}x?|(?:he){2,}|а?(?:ха)+х?|(?:ах){2,}а?|ха|xa)$"
)
_MIN_AZ_STEM = 3
_MAX_AZ_SUFFIXES = 3


@dataclass(frozen=True)
class _Lexicons:
    """The word lists in the spellings that are looked up, built once."""

    az_words: frozenset[str]
    az_stems: frozenset[str]
    tly_strong: frozenset[str]
    tly_words: frozenset[str]
    tly_weak: frozenset[str]
    tly_stems: frozenset[str]
    ru_latin: frozenset[str]


@cache
def _lexicons() -> _Lexicons:
    return _Lexicons(
        az_words=folded_lexicon(words.AZ_WORDS),
        az_stems=folded_lexicon(words.AZ_STEMS | words.AZ_WORDS),
        tly_strong=folded_lexicon(words.TLY_STRONG),
        tly_words=folded_lexicon(words.TLY_WORDS),
        tly_weak=folded_lexicon(words.TLY_WEAK),
        tly_stems=folded_lexicon(words.TLY_STRONG | words.TLY_WORDS),
        ru_latin=russian_latin_lexicon(words.RU_WORDS),
    )


def is_neutral(word: str) -> bool:
    """True for words that belong to no language: "ok", "hmm", laughter."""
    return word in words.NEUTRAL_WORDS or bool(_LAUGHTER.match(word))


def _az_stem_match(folded: str) -> bool:
    """True when stripping Azerbaijani suffixes (up to three, one case ending) leaves a stem."""
    stems = _lexicons().az_stems
    candidates = {(folded, False)}
    for _ in range(_MAX_AZ_SUFFIXES):
        candidates = {
            (word[: -len(suffix)], had_case or suffix in words.AZ_CASE_ENDINGS)
            for word, had_case in candidates
            for suffix in words.AZ_SUFFIXES
            if word.endswith(suffix)
            and len(word) - len(suffix) >= _MIN_AZ_STEM
            and not (had_case and suffix in words.AZ_CASE_ENDINGS)
        }
        if any(word in stems for word, _ in candidates):
            return True
        if not candidates:
            return False
    return False


def _talysh_stem_match(folded: str) -> bool:
    """True when one or two Talysh endings come off a Talysh word ("cıvon-on-ro", "di-ədə")."""
    stems = _lexicons().tly_stems
    candidates = {folded}
    for _ in range(2):
        candidates = {
            word[: -len(ending)]
            for word in candidates
            for ending in words.TLY_ENDINGS
            if word.endswith(ending) and len(word) - len(ending) >= 2
        }
        if candidates & stems:
            return True
    return False


def _talysh_shape(word: str, folded: str) -> bool:
    """True for word shapes that Azerbaijani vowel harmony rules out but Talysh has.

    Azerbaijani never puts "ı" before "ə" in one word, nor mixes "ə" with "o"; Talysh does
    ("nıştə", "bıkən", "dərmonon", "ozodəti"). Talysh verbs start with bı-/nı-, nouns take the
    plural "-on" ("həkimon"), verbs end in -dəmon, -dəş, -şone.
    """
    if "ı" in word and "ə" in word[word.index("ı") :]:
        return True
    if "ə" in word and "o" in word:
        return True
    if len(word) >= 4 and word.startswith(("bı", "nı")):
        return True
    if len(folded) > 5 and folded.endswith(words.TLY_SUFFIXES):
        return True
    return has_latin_diacritics(word) and len(word) >= 5 and word.endswith("on")


def latin_votes(word: str) -> dict[str, float]:
    """Votes of one lower-cased Latin word for az, tly, en, ru (typed in Latin) and ka (ditto)."""
    lexicons = _lexicons()
    folded = fold_latin(word)
    votes: dict[str, float] = {}
    if folded in lexicons.tly_strong:
        votes["tly"] = STRONG
    elif folded in lexicons.tly_words:
        votes["tly"] = WORD
    elif folded in lexicons.tly_weak:
        votes["tly"] = HINT
    elif _talysh_shape(word, folded) or _talysh_stem_match(folded):
        votes["tly"] = SHAPE
    if folded in lexicons.az_words:
        votes["az"] = WORD
    elif _az_stem_match(folded):
        votes["az"] = STEM
    if has_latin_diacritics(word):
        return votes
    if word in words.EN_WORDS:
        votes["en"] = WORD
    if word in lexicons.ru_latin:
        votes["ru"] = WORD
    elif word.endswith(_RU_LATIN_ENDINGS) or any(group in word for group in _RU_LATIN_GROUPS):
        votes["ru"] = HINT
    if word in words.KA_LATIN_WORDS:
        votes["ka"] = WORD
    return votes


def _juhuri_stem(word: str) -> bool:
    """True for a Juhuri word with its plural "-гьо" or object "-ре" ("одомигьо", "мектебре")."""
    for ending in ("гьоре", "гьо", "ре"):
        if word.endswith(ending) and word[: -len(ending)] in words.JDT_WORDS:
            return True
    return False


def cyrillic_votes(word: str) -> dict[str, float]:
    """Votes of one lower-cased Cyrillic word for ru, uk, lez, jdt and az (old Cyrillic alphabet)."""
    votes: dict[str, float] = {}
    if word in words.JDT_WORDS:
        votes["jdt"] = STRONG if word not in words.LEZ_WORDS else WORD
    elif _juhuri_stem(word):
        votes["jdt"] = SHAPE
    if word in words.LEZ_WORDS:
        votes["lez"] = WORD
    elif "jdt" not in votes and any(mark in word for mark in _LEZ_MARKS):
        votes["lez"] = STRONG
    if any(char in AZ_CYRILLIC_LETTERS for char in word):
        votes["az"] = STRONG
    elif fold_latin(az_cyrillic_to_latin(word)) in _lexicons().az_words:
        votes["az"] = HINT
    if any(char in _UK_LETTERS for char in word):
        votes["uk"] = STRONG
    elif word in words.UK_WORDS or _UK_ADJECTIVE.search(word):
        votes["uk"] = WORD
    if word in words.RU_WORDS:
        votes["ru"] = WORD
    elif "lez" not in votes and "jdt" not in votes and any(c in _RU_LETTERS for c in word):
        votes["ru"] = HINT
    return votes
