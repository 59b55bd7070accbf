"""A bank card's number, expiry and CVV, and vehicle plates: found whether or not the number passes Luhn.

A card number with a typo still opens the account once its expiry and CVV are next to it, so
context ("kart", "карта", "card") makes any 12–19 digits a card, and the expiry and CVV written
after a card go with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from fikir.privacy.redact_common import Found, matches_at
from fikir.privacy.redact_keywords import starts

_NUMBER = re.compile(r"(?<![\d+])\d(?:[ \-]?\d){11,18}(?!\d)")
_CONTEXT_REACH = 40  # characters after "kart", "карта", "card" in which a number is its number
_EXPIRY = r"(?:0[1-9]|1[0-2])[ \t]?[/.\-][ \t]?(?:20)?\d{2}(?!\d|[/.]\d)"
_EXPIRY_WORD = (
    r"(?i:exp(?:iry|ires|ir\w*)?\.?|valid(?:\s+(?:till|thru|through|until|to))?|till|until|thru|"
    r"son\s+(?:istifad[əe]\s+)?tarix\w*|bitm[əe]\w*(?:\s+tarix\w*)?|m[üu]dd[əe]t\w*|srok|"
    r"срок\w*(?:\s+действия)?|годна?\s+до|до|термін\w*(?:\s+дії)?|строк\w*|ვადა\w*)"
)
_CVV_WORD = (
    r"(?i:cvv2?|cvc2?|cv2|pin(?:\s*kod\w*)?|пин(?:-?код)?|kod\w*|код\w*|code|security\s+code)"
)
_LINK = r"[ \t,;:()\-–—]*"
# What may follow a card: its expiry and its CVV, in either order, with or without their words.
_DETAIL = re.compile(
    rf"{_LINK}(?:{_EXPIRY_WORD}[ \t:.\-]*)?(?P<exp>{_EXPIRY})"
    rf"|{_LINK}{_CVV_WORD}[ \t:.\-=№]*(?P<cvv>\d{{3,4}})(?!\d)"
)
# A CVV named as such stands alone too: "CVV 503".
_CVV_ALONE = re.compile(r"(?i:(?<!\w)(?:cvv2?|cvc2?|cv2)(?!\w))[ \t:.\-=]*\d{3,4}(?!\d)")
_EXPIRY_ALONE = re.compile(
    r"(?i:(?<!\w)(?:exp(?:iry|ires)?|valid\s+(?:till|thru|through|until)|son\s+istifad[əe]\s+tarix\w*|"
    r"bitm[əe]\s+tarix\w*|срок\s+действия|термін\s+дії|ვადა)(?!\w))"
    rf"[ \t:.\-]*{_EXPIRY}"
)
_MAX_DETAILS = 3

# Azerbaijani plates: region, two letters, three digits ("10-AB-123", "90 XY 321", "77KM456").
_AZ_PLATE = re.compile(
    r"(?<![\w+\-.,/])\d{2}(?P<s1>[ \-–]?)(?P<letters>[A-Za-z]{2})(?P<s2>[ \-–]?)\d{3}(?![\w\-/])"
)
# Georgian "AB-123-CD", Ukrainian "AA 1234 BB", Russian "А123ВС 77".
_OTHER_PLATES = re.compile(
    r"(?<![\w\-])(?:[A-Z]{2}-\d{3}-[A-Z]{2}|[A-ZАВЕІКМНОРСТХ]{2}[ ]?\d{4}[ ]?[A-ZАВЕІКМНОРСТХ]{2}"
    r"|[АВЕКМНОРСТУХ][ ]?\d{3}[ ]?[АВЕКМНОРСТУХ]{2}[ ]?\d{2,3})(?![\w\-])"
)
# Two letters between numbers that are a unit or a word more often than a plate ("25 km 300").
_NOT_PLATE_LETTERS = frozenset("km kg kq sm mm cm ml mb gb am pm ay il kw hp".split())


def find_card_details(text: str, numbers: Iterable[Found]) -> list[Found]:
    """Card numbers named as such whatever their checksum, and each card's expiry and CVV."""
    cards = [f for f in numbers if f.kind == "card"]
    for offset in starts(text, "card"):
        m = _NUMBER.search(text, offset, min(len(text), offset + _CONTEXT_REACH + 25))
        if m is not None and m.start() - offset <= _CONTEXT_REACH:
            cards.append(Found(m.start(), m.end(), "card"))
    found = list(cards)
    for card in cards:
        found += _details_after(text, card.end)
    for m in matches_at(_EXPIRY_ALONE, text, starts(text, "expiry")):
        found.append(Found(m.start(), m.end(), "card"))
    if starts(text, "cvv"):
        found += (Found(m.start(), m.end(), "card") for m in _CVV_ALONE.finditer(text))
    return found


def _details_after(text: str, pos: int) -> Iterator[Found]:
    for _ in range(_MAX_DETAILS):
        m = _DETAIL.match(text, pos)
        if m is None:
            return
        group = "exp" if m.group("exp") is not None else "cvv"
        start = m.start(group)
        # The words "son tarix", "cvv" go too: they say what the digits were.
        lead = m.group()[: start - m.start()].lstrip(" \t,;:()-–—")
        yield Found(start - len(lead), m.end(group), "card")
        pos = m.end()


def find_plates(text: str) -> list[Found]:
    """Vehicle registration plates; lower-case letters count only where the text speaks of a car."""
    found: list[Found] = []
    context: bool | None = None
    for m in _AZ_PLATE.finditer(text):
        letters = m.group("letters")
        dashed = "-" in m.group("s1") + m.group("s2") or "–" in m.group("s1") + m.group("s2")
        if letters.isupper() and (dashed or letters.lower() not in _NOT_PLATE_LETTERS):
            found.append(Found(m.start(), m.end(), "plate"))
            continue
        if context is None:
            context = bool(starts(text, "plate"))
        if context and letters.lower() not in _NOT_PLATE_LETTERS:
            found.append(Found(m.start(), m.end(), "plate"))
    found += (Found(m.start(), m.end(), "plate") for m in _OTHER_PLATES.finditer(text))
    return found
