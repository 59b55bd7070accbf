"""Grammatical endings per language, so a word counts as an option's word only when what follows the
stem is an ending of the reply's language ("yollarımız", "дорогах") and not another word that merely
starts the same way ("yoldaş", "газета", "xeyriyyə", "watermelon")."""

from __future__ import annotations

import itertools
from functools import lru_cache

from fikir.polls.translit import loose, word_keys


def _expand(template: str) -> set[str]:
    """All vowel-harmony and voicing variants of an Azerbaijani suffix template (A, I, D)."""
    choices = {"A": "ae", "I": "iu", "D": "dt"}
    slots = [choices.get(ch, ch) for ch in template]
    return {loose("".join(parts)) for parts in itertools.product(*slots)}


def _cyrillic(text: str) -> set[str]:
    """Loose keys of comma-separated Cyrillic (or Georgian) endings in every Latin reading."""
    return {key for e in text.split(",") if e.strip() for key in word_keys(e.strip())}


def _latin(text: str) -> set[str]:
    """Loose keys of comma-separated Latin endings."""
    return {loose(e.strip()) for e in text.split(",") if e.strip()}


# Azerbaijani endings (plural, possessive, case, copula, derivation) as templates.
_AZ_TEMPLATES = (
    "lAr, I, sI, yI, nI, In, nIn, yIn, A, yA, nA, dA, nDA, dAn, nDAn, lA, ylA, Im, m, Iz, ImIz, mIz,"
    " InIz, nIz, DIr, yAm, Am, sAn, lIq, lIk, lIg, cI, sIz, DI, mI, dIr, ki, dAki, mAk, mAq, mAyA,"
    " sInA, sIndA, sIndAn"
)
# Talysh (Latin) shares many Azerbaijani endings and adds its own plural and cases; needs review.
_TLY = "on, ə, i, ku, ədə, de, ro, ş, son, əon, ni"
_RU = (
    "а, я, о, е, ы, и, у, ю, ь, ой, ей, ий, ый, ая, яя, ое, ее, ые, ие, ого, его, ому, ему, ом, ем,"
    " ым, им, ах, ях, ам, ям, ами, ями, ов, ев, ью, ия, ию, ии, ье, ья, ьи, ью, ём, ою, ею, ых, их"
)
_UK = (
    "а, я, о, е, и, і, у, ю, ь, ї, є, ий, ій, ого, ому, ім, им, ах, ях, ам, ям, ами, ями, ів, ою, ею,"
    " ої, ей, ія, ію, ії, ям, ові, еві, их, іх"
)
_EN = "s, es, 's, ed, ing, ies"
_KA = "ა, ს, ის, მა, ით, ად, ზე, ში, თან, დან, ები, ებ, ო, ი, ებს, მდე, ებში, ების, ებით, ებმა"
# Lezgian plural and case endings (best effort; needs review by a native speaker).
_LEZ = (
    "ар, ер, яр, ди, да, дал, дай, диз, дин, дикай, з, н, ни, кай, ал, ай, л, у, ра, ри, рин, риз"
)

_AZ = {v for t in _AZ_TEMPLATES.split(",") for v in _expand(t.strip())}
SUFFIXES: dict[str, frozenset[str]] = {
    "az": frozenset(_AZ),
    "tly": frozenset(_AZ | _latin(_TLY)),
    "ru": frozenset(_cyrillic(_RU)),
    "uk": frozenset(_cyrillic(_UK)),
    "en": frozenset(_latin(_EN)),
    "ka": frozenset(_cyrillic(_KA)),
    "lez": frozenset(_cyrillic(_LEZ) | _cyrillic(_RU)),
}
# Without a known language, any language's endings may follow.
_ANY = frozenset(itertools.chain.from_iterable(SUFFIXES.values()))


def endings(lang: str | None) -> frozenset[str]:
    """The endings of a language, or of every language when it is not known."""
    return SUFFIXES.get(lang or "", _ANY)


@lru_cache(maxsize=16384)
def is_suffix_chain(tail: str, lang: str | None = None) -> bool:
    """True when `tail` is a run of the language's grammatical endings (or empty)."""
    if not tail:
        return True
    known = endings(lang)
    for size in range(1, min(6, len(tail)) + 1):
        if tail[:size] in known and is_suffix_chain(tail[size:], lang):
            return True
    return False
