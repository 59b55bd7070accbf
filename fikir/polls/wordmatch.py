"""How well one typed word matches one option word, allowing endings ("yollarımız"), typos and truncation."""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz

from fikir.polls.suffixes import is_suffix_chain

EXACT = 1.0
BASE = 0.95
INFLECTED = 0.9
CLOSE = 0.85
COMPOUND = 0.8

_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=16384)
def base_and_stem(label_word: str) -> tuple[str, str]:
    """The word without a plural ending, and that base without final vowels (min. 3 letters kept)."""
    base = label_word
    # Plurals (az, ka, en), Russian genitive plural, Georgian genitive.
    for plural in ("lari", "leri", "lar", "ler", "ebi", "ov", "ev", "is", "es", "s"):
        if base.endswith(plural) and len(base) - len(plural) >= (
            3 if plural in ("s", "ov", "ev", "lari", "leri") else 2
        ):
            if plural == "s" and base.endswith(("ss", "us", "is")):
                continue
            base = base[: -len(plural)]
            break
    stem = base
    while len(stem) > 3 and stem[-1] in _VOWELS:
        stem = stem[:-1]
    return base, stem


def _common_prefix(a: str, b: str) -> int:
    """Length of the shared beginning of two strings."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _fuzzy_cutoff(length: int) -> float:
    """Similarity needed for a typo match: stricter for short words."""
    if length <= 5:
        return 80.0
    if length <= 8:
        return 78.0
    return 75.0


@lru_cache(maxsize=65536)
def word_quality(
    typed: str, label_word: str, exact_only: bool = False, lang: str | None = None
) -> float:
    """Score in [0, 1] for how well a typed word (loose key) stands for a label word (loose key).

    A typed word that contains the whole label word counts only when the rest is a run of endings
    of the reply's language (`lang`): "yollarımız" is "yol", "yoldaş" and "xeyriyyə" are other words.
    """
    if typed == label_word:
        return EXACT
    if exact_only or not typed or not label_word or typed.isdigit() or label_word.isdigit():
        return 0.0
    base, stem = base_and_stem(label_word)
    if typed in (base, stem) and len(typed) >= 2:
        return BASE
    # Whole words only: what follows the word (or its stem) must be endings of the language, never
    # the rest of another word; such a longer word may still be a typo of the same length.
    longer = False
    for head in dict.fromkeys((label_word, base, stem)):
        if len(head) >= 2 and typed.startswith(head):
            if is_suffix_chain(typed[len(head) :], lang):
                return INFLECTED
            longer = True
    if longer and abs(len(typed) - len(label_word)) > 1:
        return 0.0
    if len(typed) < 3 or typed[0] != label_word[0]:
        return 0.0
    # Truncated typing: "techiz" for "techizati".
    if len(typed) >= 4 and label_word.startswith(typed) and len(typed) >= 0.6 * len(label_word):
        return CLOSE
    # A different ending on a longer stem: "dovolna" for "dovolen", "zanyatasti" for "zanyatost".
    shared = _common_prefix(typed, base)
    allowed_loss = 2 if len(base) >= 6 else 1
    if shared >= 3 and shared >= len(base) - allowed_loss and len(typed) - shared <= 4:
        if is_suffix_chain(typed[shared:], lang):
            return CLOSE
    # The typed word begins a longer label word: "voda" in "vodosnabzenie", "sport" in "sportivni".
    typed_stem = typed.rstrip("aeiou") if len(typed.rstrip("aeiou")) >= 3 else typed
    if (
        len(typed_stem) >= 3
        and len(label_word) >= len(typed_stem) + 3
        and label_word.startswith(typed_stem)
    ):
        return COMPOUND
    if len(typed) < 4 or len(label_word) < 4:
        return 0.0
    cutoff = _fuzzy_cutoff(min(len(typed), len(label_word)))
    ratio = float(fuzz.ratio(typed, label_word, score_cutoff=cutoff))
    if not ratio and base != label_word and len(base) >= 4:
        ratio = float(fuzz.ratio(typed, base, score_cutoff=_fuzzy_cutoff(len(base))))
    if not ratio and len(typed) > len(label_word) + 2:
        # A misspelt word with an ending: compare the typed word's beginning.
        if is_suffix_chain(typed[len(label_word) + 1 :], lang):
            ratio = float(fuzz.ratio(typed[: len(label_word) + 1], label_word, score_cutoff=cutoff))
    return 0.8 * ratio / 100.0 if ratio else 0.0
