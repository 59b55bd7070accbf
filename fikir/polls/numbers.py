"""Number and ordinal words in fikir's seven languages, so "iki", "второй" and "meore" all mean option 2."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from fikir.i18n.textfold import fold
from fikir.polls.translit import word_keys

# Value 0 stands for "the last option" ("sonuncu", "последний", "last").
LAST = 0
_TYPO_MIN_LENGTH = 5
_TYPO_CUTOFF = 80.0


@dataclass(frozen=True)
class NumberWord:
    """What a number word means: its value, whether it is an ordinal, and whose word it is."""

    value: int
    ordinal: bool
    lang: str
    # Also an everyday word elsewhere ("i", "da", "on"): trusted only in that language's short replies.
    ambiguous: bool = False


def _row(text: str) -> tuple[str, ...]:
    """Split one comma-separated row of a table."""
    return tuple(e.strip() for e in text.split(",") if e.strip())


# One entry per value 1..10; "|" separates spellings and colloquial forms.
_CARDINALS: dict[str, tuple[str, ...]] = {
    "az": _row("bir, iki, üç, dörd|dört, beş, altı, yeddi|yedi, səkkiz|sekiz, doqquz|dokuz, on"),
    "en": _row("one, two, three, four, five, six, seven, eight, nine, ten"),
    "ru": _row(
        "один|одна|одно|одну|единица|единичка, два|две|двойка|двоечка|двушка, три|тройка|троечка|трешка,"
        "четыре|четверка|четверочка, пять|пятерка|пятерочка, шесть|шестерка, семь|семерка,"
        "восемь|восьмерка, девять|девятка, десять|десятка"
    ),
    "uk": _row(
        "один|одна|одне|одну|одиниця|одиничка, два|дві|двійка, три|трійка, чотири|четвірка,"
        "п'ять|п'ятірка, шість|шістка, сім|сімка, вісім|вісімка, дев'ять|дев'ятка, десять|десятка"
    ),
    "ka": _row("ერთი, ორი, სამი, ოთხი, ხუთი, ექვსი, შვიდი, რვა, ცხრა, ათი"),
    "lez": _row("сад, кьвед, пуд, кьуд, вад, ругуд, ирид, муьжуьд, кӏуьд, цӏуд"),
    # Talysh (Latin): needs native review, see fikir.config.languages.
    "tly": _row(
        "i|iə|yə, dı|du, se, çə|çor|ço, pənc|penc, şəş|şeş, həft|haft, həşt|haşt, nəv|nuh, də"
    ),
    # Juhuri (Cyrillic, as written in Azerbaijan): needs native review, see fikir.config.languages.
    "jdt": _row(
        "йэк|ек|йек, ду, сэ|се, чор, пенж|панж, шеш, гьофт|гьэфт, гьэшт, нуьгь|нугь, дэ|дег"
    ),
}
_ORDINALS: dict[str, tuple[str, ...]] = {
    "az": _row(
        "birinci|ilk, ikinci, üçüncü, dördüncü, beşinci, altıncı, yeddinci, səkkizinci, doqquzuncu, onuncu"
    ),
    "en": _row("first, second, third, fourth, fifth, sixth, seventh, eighth, ninth, tenth"),
    "ka": _row("პირველი, მეორე, მესამე, მეოთხე, მეხუთე, მეექვსე, მეშვიდე, მერვე, მეცხრე, მეათე"),
    # Lezgian ordinals are the cardinal and "лагьай" ("said"), written together or apart.
    "lez": tuple(f"{w}лагьай" for w in _CARDINALS["lez"]),
    "tly": _row(
        "iminə, dıminə, seminə, çəminə, pəncminə, şəşminə, həftminə, həştminə, nəvminə, dəminə"
    ),
    "jdt": tuple(f"{w}ниму" for w in _row("йэк, ду, сэ, чор, пенж, шеш, гьофт, гьэшт, нуьгь, дэ")),
}
# Russian and Ukrainian ordinals inflect; stems are combined with every adjective ending.
_SLAVIC_ORDINAL_STEMS: dict[str, tuple[str, ...]] = {
    "ru": _row("перв, втор, трет, четверт, пят, шест, седьм, восьм, девят, десят"),
    "uk": _row("перш, друг, трет, четверт, п'ят, шост, сьом, восьм, дев'ят, десят"),
}
_SLAVIC_ENDINGS: dict[str, tuple[str, ...]] = {
    "ru": _row("ый, ой, ий, ая, ое, ую, ого, ому, ом, ым, ые, ья, ье, ью, ьего, ьей, ьем"),
    "uk": _row("ий, ій, а, я, е, є, у, ю, ого, ього, ої, ьої, ому, ім"),
}
_LAST_WORDS: dict[str, tuple[str, ...]] = {
    "az": _row(
        "sonuncu, sonuncusu, sonuncunu, sonuncuya, axırıncı, axırıncısı, axırıncını, axrinci"
    ),
    "en": _row("last"),
    "ru": _row("последний, последняя, последнее, последнюю, последнего, последней"),
    "uk": _row("останній, остання, останнє, останню, останнього, останньої"),
    "ka": _row("ბოლო, ბოლოს, ბოლოში"),
    "lez": _row("эхиримжи"),
}
# Azerbaijani case and possessive endings on ordinals ("ikincisi", "üçüncünü", "birinciyə").
_AZ_ORDINAL_SUFFIXES = _row("si, su, ni, nu, sini, sunu, ye, ya, dir, dur")
# Georgian case endings on ordinals ("პირველს", "მეორეს", "პირველ ვარიანტს").
_KA_SUFFIXES = _row("ს, ის, ზე, ით, ად")
# Short words that are everyday words elsewhere ("i", "da", "on"): trusted only in their own language.
_AMBIGUOUS = {
    ("tly", "i"),
    ("tly", "iə"),
    ("tly", "yə"),
    ("tly", "dı"),
    ("tly", "du"),
    ("tly", "se"),
    ("tly", "də"),
    ("tly", "ço"),
    ("az", "on"),
    ("lez", "сад"),
    ("lez", "вад"),
    ("lez", "пуд"),
    ("jdt", "ду"),
    ("jdt", "се"),
    ("jdt", "дэ"),
}


def _entries() -> list[tuple[str, NumberWord]]:
    """Every spelling fikir knows with its meaning, before keys are made."""
    out: list[tuple[str, NumberWord]] = []

    def add(word: str, value: int, ordinal: bool, lang: str) -> None:
        out.append((word, NumberWord(value, ordinal, lang, (lang, word) in _AMBIGUOUS)))

    for lang, values in _CARDINALS.items():
        for value, forms in enumerate(values, start=1):
            for word in forms.split("|"):
                add(word, value, False, lang)
    for lang, values in _ORDINALS.items():
        for value, forms in enumerate(values, start=1):
            for word in forms.split("|"):
                add(word, value, True, lang)
                if lang == "az":
                    for suffix in _AZ_ORDINAL_SUFFIXES:
                        add(word + suffix, value, True, lang)
                if lang == "ka":
                    stem = word[:-1] if word.endswith("ი") else word
                    for suffix in (*_KA_SUFFIXES, ""):
                        add(stem + suffix, value, True, lang)
    for lang, stems in _SLAVIC_ORDINAL_STEMS.items():
        for value, stem in enumerate(stems, start=1):
            for ending in _SLAVIC_ENDINGS[lang]:
                add(stem + ending, value, True, lang)
    for lang, words in _LAST_WORDS.items():
        for word in words:
            add(word, LAST, True, lang)
    return out


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, tuple[NumberWord, ...]], dict[str, tuple[NumberWord, ...]]]:
    """Lookups by folded spelling (exact, same script) and by loose key (any script)."""
    by_fold: dict[str, dict[NumberWord, None]] = {}
    by_key: dict[str, dict[NumberWord, None]] = {}
    for word, meaning in _entries():
        by_fold.setdefault(fold(word), {})[meaning] = None
        for key in word_keys(word):
            by_key.setdefault(key, {})[meaning] = None
    return (
        {k: tuple(v) for k, v in by_fold.items()},
        {k: tuple(v) for k, v in by_key.items()},
    )


@lru_cache(maxsize=1)
def _keys_by_initial() -> dict[str, tuple[str, ...]]:
    """Loose keys of number words grouped by first letter, for typo look-ups."""
    groups: dict[str, list[str]] = {}
    for key in _tables()[1]:
        groups.setdefault(key[:1], []).append(key)
    return {k: tuple(v) for k, v in groups.items()}


def lookup(folded: str, key: str, typos: bool = False) -> tuple[NumberWord, ...]:
    """Meanings of one reply word: exact spelling, then its loose key, then (if asked) a close typo.

    A typo ("ikinji", "vtaroy") counts only when every close number word agrees on the value.
    """
    by_fold, by_key = _tables()
    found = by_fold.get(folded) or by_key.get(key, ())
    if found or not typos or len(key) < _TYPO_MIN_LENGTH:
        return found
    close = process.extract(
        key,
        _keys_by_initial().get(key[:1], ()),
        scorer=fuzz.ratio,
        score_cutoff=_TYPO_CUTOFF,
        limit=4,
    )
    meanings = tuple(m for candidate, _, _ in close for m in by_key[candidate])
    return meanings if len({m.value for m in meanings}) == 1 else ()


def number_value(meanings: tuple[NumberWord, ...], lang: str | None) -> NumberWord | None:
    """The single meaning to trust, preferring the reply's language; None when meanings disagree."""
    if not meanings:
        return None
    if lang is not None:
        own = [m for m in meanings if m.lang == lang]
        if own:
            meanings = tuple(own)
    values = {(m.value, m.ordinal) for m in meanings}
    if len({v for v, _ in values}) != 1:
        return None
    best = sorted(meanings, key=lambda m: (m.ambiguous, not m.ordinal))[0]
    if best.ambiguous and best.lang != lang:
        return None
    return best


@lru_cache(maxsize=1)
def _exact_spellings() -> dict[str, tuple[NumberWord, ...]]:
    """Folded number words as reply words are split: without apostrophes ("п'ять" is "пять")."""
    return {word.replace("'", ""): meanings for word, meanings in _tables()[0].items()}


def exact_number(folded: str, lang: str | None) -> NumberWord | None:
    """The meaning of a word spelled exactly as a number word (no loose key, no typo), trusted in `lang`."""
    return number_value(_exact_spellings().get(folded, ()), lang)


def number_words(lang: str) -> tuple[tuple[str, ...], ...]:
    """Per value 1..10 the cardinal spellings fikir reads in `lang` (empty when it has none)."""
    return tuple(tuple(forms.split("|")) for forms in _CARDINALS.get(lang, ()))
