"""Detector for street addresses that carry a house number, in Azerbaijani, Russian, Ukrainian, English, Georgian and Lezgian."""

from __future__ import annotations

import re
from collections.abc import Iterator

from fikir.privacy.redact_common import (
    CAP_WORD,
    LETTER,
    UPPER,
    WORD,
    Found,
    digit_windows,
    matches_at,
    scan,
)
from fikir.privacy.redact_keywords import starts
from fikir.privacy.redact_lexicon import is_place

# Street words written after the street's name ("Nizami küçəsi", "რუსთაველის გამზირი").
_AFTER_NAME = (
    r"(?:k[üu][çc][əe]si|k[üu][çc][əe]|k[üu][çc]\.?|k[üu]c[eə]si|prospekti|prospekt|pr-ti|pr\.|"
    r"prosp\.?|d[öo]ng[əe]si|dalan[ıi]|[şs]os[əe]si|bulvar[ıi]|meydan[ıi]|"
    r"street|str\.|st\.?|avenue|ave\.?|av\.|road|rd\.?|lane|boulevard|blvd\.?|"
    r"ქუჩა|ქ\.|გამზირი|გამზ\.|ჩიხი|შესახვევი|куьче|ул\.|пр\.|пр-т|просп\.)"
)
# Street words written before the name ("ул. Низами", "пр. Нефтяников", "ul. Samed Vurguna").
_BEFORE_NAME = (
    r"(?:ул\.?|улица|улице|пр\.|пр-т|просп\.?|проспект|пер\.|переулок|б-р|бульвар|ш\.|шоссе|"
    r"пл\.|площадь|туп\.|тупик|вул\.?|вулиця|провулок|просп\.|ul\.|ulitsa|prospekt|pr\.|per\.)"
)
_HOUSE = (
    r"(?:ev(?:\s*№)?|bina|bn\.|korpus|blok|dalan|d[öo]ng[əe]|tupik|д\.|дом|корп\.?|корпус|стр\.|"
    r"буд\.?|будинок|house|building|bldg\.?|d\.|dom|korp\.?|კორპ\.?|კორპუსი)"
)
_FLAT = (
    r"(?:m[əe]nzil|m[əe]n\.|m\.|kv\.?|кв\.?|квартира|apt\.?|apartment|flat|ბინა|office|ofis|оф\.?|"
    r"офис|mənzili)"
)
_NUMBER = r"\d{1,4}(?:[A-Za-zА-Яа-я](?![\w]))?(?:/\d{1,4}[A-Za-zА-Яа-я]?)?"
# Numbers followed by these are quantities ("küçəsində 3 gündür"), never house numbers.
_NOT_HOUSE = (
    r"(?!\s*(?:%|-?(?:c[iıuü]|ci|cu|cü|cı)\b|(?i:g[üu]n|il\b|ild|ay\b|ayd|saat|d[əe]q|h[əe]ft|n[əe]f[əe]r|"
    r"manat|azn|km|kq|kg|ton|day|hour|year|week|month|minute|people|famil|student|день|дня|дней|"
    r"час|год|лет|мес|недел|минут|руб|манат|человек|сем|km|км)))"
)
_TAIL = rf"(?:[ \t]*[,;]?[ \t]*(?i:{_HOUSE}|{_FLAT})[ \t]*№?[ \t]*{_NUMBER})*"
_NAME_WORD = rf"(?:\d{{1,2}}[ \t]+(?=[{UPPER}]))?(?:[{UPPER}]\.[ \t]?)?{WORD}"
_LEAD_WORD = rf"(?:\d{{1,2}}[ \t]+{CAP_WORD}|(?:[{UPPER}]\.[ \t]?)?{CAP_WORD})"
_HOUSE_NO = rf"(?:[ \t]*,?[ \t]*(?:(?i:{_HOUSE})[ \t]*№?[ \t]*)?{_NUMBER}{_NOT_HOUSE})"

# Nizami küçəsi 45, mənzil 12 / 28 May küçəsi 5 / Sülh küçəsi, dalan 3, ev 14: found from the
# street word, then the name before it and the house number after it.
_STREET_WORD = re.compile(rf"(?<!\w)(?i:{_AFTER_NAME})(?!\w)")
_STREET_NAME_BEFORE = re.compile(rf"(?<!\w)(?:{_LEAD_WORD}[ \t]+){{0,2}}{_NAME_WORD}[ \t]*$")
_HOUSE_AFTER = re.compile(
    rf"(?:[ \t]*,?[ \t]*(?i:{_HOUSE})[ \t]*№?[ \t]*{_NUMBER}{_NOT_HOUSE}|{_HOUSE_NO}){_TAIL}"
)
# Rules that begin at a keyword, with their entry in redact_keywords.SPECS.
_RULES_AT_KEYWORD = (
    # ул. Низами, д. 45, кв. 12 / пр. Нефтяников 12
    (
        re.compile(
            rf"(?<!\w)(?i:{_BEFORE_NAME})[ \t]*{_NAME_WORD}(?:[ \t]+{_LEAD_WORD}){{0,2}}{_HOUSE_NO}{_TAIL}"
        ),
        "street_before_name",
    ),
    # ev 7, mənzil 15 / д. 45, кв. 12 (house and flat together, no street named)
    (
        re.compile(
            rf"(?<!\w)(?i:{_HOUSE})[ \t]*№?[ \t]*{_NUMBER}[ \t]*[,;]?[ \t]*(?i:{_FLAT})[ \t]*№?[ \t]*"
            rf"{_NUMBER}{_TAIL}"
        ),
        "house",
    ),
)
# Rules that begin at a number, scanned near digits when their keyword occurs in the text.
_RULES_NEAR_DIGITS = (
    # 14 Nizami Street, apt 3
    (
        re.compile(
            rf"(?<![\w,.])\d{{1,4}}[A-Za-z]?[ \t]+(?:{CAP_WORD}[ \t]+){{1,3}}"
            rf"(?i:street|st\.?|avenue|ave\.?|road|rd\.?|lane|boulevard|blvd\.?)(?!\w){_TAIL}"
        ),
        "street_en",
    ),
    # 3-cü mikrorayon, ev 7, mənzil 15 / микрорайон 8, дом 12, кв 40
    (
        re.compile(
            rf"(?<!\w)(?:\d{{1,2}}(?:-?(?:c[iıuü]|ci|cu|cü|cı|й|ый|ий))?[ \t]*"
            rf"(?i:mikrorayon|mikr\.|mkr\.?|m/r|микрорайон|мкр\.?|мкрн\.?|kvartal|квартал|m[əe]h[əe]ll[əe])"
            rf"|(?i:mikrorayon|mkr\.?|микрорайон|мкр\.?|мкрн\.?|kvartal|квартал)[ \t]*\d{{1,2}})"
            rf"[ \t]*,?[ \t]*(?i:{_HOUSE})[ \t]*№?[ \t]*{_NUMBER}{_TAIL}"
        ),
        "microdistrict",
    ),
    # 7 saylı ev / 12 nömrəli bina
    (
        re.compile(
            r"(?<!\w)\d{1,4}[\s\-]*(?i:sayl[ıi]|n[öo]mr[əe]li)[ \t]+(?i:ev|bina|m[əe]nzil|blok)(?!\w)"
        ),
        "numbered_house",
    ),
)
_DIGIT = re.compile(r"\d")
_LEADING_WORD = re.compile(rf"{LETTER}+")


def find_addresses(text: str) -> list[Found]:
    """Every street address with a house number; a street, village or district alone is kept."""
    if _DIGIT.search(text) is None:  # no house number, no address
        return []
    return list(_matches(text))


def _matches(text: str) -> Iterator[Found]:
    for m in matches_at(_STREET_WORD, text, starts(text, "street_after_name")):
        house = _HOUSE_AFTER.match(text, m.end())
        name = house and _STREET_NAME_BEFORE.search(text, max(0, m.start() - 80), m.start())
        if house and name:
            yield from _found(text, name.start(), house.end())
    for rule, key in _RULES_AT_KEYWORD:
        for m in matches_at(rule, text, starts(text, key)):
            yield from _found(text, m.start(), m.end())
    rules = [rule for rule, key in _RULES_NEAR_DIGITS if starts(text, key)]
    if rules:
        windows = digit_windows(text, before=80, after=40)
        for rule in rules:
            for m in scan(rule, text, windows):
                yield from _found(text, m.start(), m.end())


def _found(text: str, start: int, end: int) -> Iterator[Found]:
    start = _skip_places(text, start, end)
    if start < end:
        yield Found(start, end, "address")


def _skip_places(text: str, start: int, end: int) -> int:
    """Drop leading town names caught in front of a street name ("Bakı Nizami küçəsi 45")."""
    while True:
        word = _LEADING_WORD.match(text, start, end)
        if word is None or not is_place(word.group()):
            return start
        rest = text[word.end() : end]
        # A place followed directly by the street word is the street's name ("Təbriz küçəsi").
        if re.match(rf"[ \t]*,?[ \t]*(?i:{_AFTER_NAME})(?!\w)", rest):
            return start
        start = word.end()
        while start < end and text[start] in " \t,":
            start += 1
