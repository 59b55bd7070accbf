"""Tens and teens in the languages that write them as words ("iyirmi", "двадцать", "fifteen"),
so that a number question reads "on iki" or "двадцать пять" as a person means it.

fikir.polls.numbers knows one to ten in every language (options are few); a number question can
ask for more. Georgian counts in twenties and Talysh, Lezgian and Juhuri await native review:
their replies in digits or one to ten are read, larger words are not."""

from __future__ import annotations

from functools import lru_cache

from fikir.i18n.textfold import fold
from fikir.polls.numbers import exact_number

_TENS: dict[str, str] = {
    "az": "on iyirmi otuz qırx əlli altmış yetmiş səksən doxsan",
    "ru": "десять двадцать тридцать сорок пятьдесят шестьдесят семьдесят восемьдесят девяносто",
    "uk": "десять двадцять тридцять сорок пятдесят шістдесят сімдесят вісімдесят дев'яносто",
    "en": "ten twenty thirty forty fifty sixty seventy eighty ninety",
}
_TEENS: dict[str, str] = {
    "ru": "одиннадцать двенадцать тринадцать четырнадцать пятнадцать шестнадцать семнадцать "
    "восемнадцать девятнадцать",
    "uk": "одинадцять дванадцять тринадцять чотирнадцять пятнадцять шістнадцять сімнадцять "
    "вісімнадцять дев'ятнадцять",
    "en": "eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen",
}


@lru_cache(maxsize=1)
def _table() -> dict[str, int]:
    words: dict[str, int] = {}
    for table, start in ((_TENS, 10), (_TEENS, 11)):
        for spellings in table.values():
            for i, word in enumerate(spellings.split()):
                value = start + i if start == 11 else start * (i + 1)
                words[fold(word).replace("'", "")] = value
    return words


def word_value(word: str, lang: str | None) -> int | None:
    """The value of one folded reply word that is a number word (cardinal), else None."""
    known = _table().get(word)
    if known is not None:
        return known
    meaning = exact_number(word, lang)
    return meaning.value if meaning is not None and not meaning.ordinal else None


def words_number(words: tuple[str, ...], lang: str | None) -> int | None:
    """The one number the words spell ("on iki" 12, "twenty five" 25), ignoring other words;
    None when they spell none or several."""
    found: list[int] = []
    previous_tens = False
    for word in words:
        value = word_value(word, lang)
        if value is None:
            previous_tens = False
            continue
        if previous_tens and value < 10:
            found[-1] += value
            previous_tens = False
            continue
        found.append(value)
        previous_tens = value >= 10 and value % 10 == 0
    return found[0] if len(found) == 1 else None
