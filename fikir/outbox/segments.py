"""SMS segment counting (GSM-7 or UCS-2) and the GSM-7 spelling of Azerbaijani that saves parts."""

from __future__ import annotations

import math
from dataclasses import dataclass

from fikir.config.languages import LANGUAGES
from fikir.i18n.textfold import AZ_PLAIN

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")

# How Azerbaijanis spell their letters when a phone has no ə ş ğ ı ç: the plain letters of the
# shared table (i18n.textfold.AZ_PLAIN) in both cases, taken only for letters outside GSM-7, so ö
# and ü stay. Unlike the folds, this is output: it keeps case and also plainens punctuation.
_AZ_NOT_GSM7 = {letter: plain for letter, plain in AZ_PLAIN.items() if letter not in GSM7_BASIC}
AZ_TO_GSM7 = str.maketrans(
    {
        **_AZ_NOT_GSM7,
        # Capitals: Ə Ş Ğ Ç, and İ for ı's partner i ("ı".upper() is already plain "I").
        **{
            letter.upper(): plain.upper() for letter, plain in _AZ_NOT_GSM7.items() if letter != "ı"
        },
        "İ": "I",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "…": "...",
        "«": '"',
        "»": '"',
        "\u00a0": " ",
    }
)

GSM7_SINGLE, GSM7_PART = 160, 153
_PLAIN_LETTER_LANGUAGES = frozenset(lang.code for lang in LANGUAGES if lang.sms_plain_letters)
UCS2_SINGLE, UCS2_PART = 70, 67


@dataclass(frozen=True)
class SegmentInfo:
    """How an SMS will be billed: its encoding, length in units and number of parts."""

    encoding: str  # "GSM-7" or "UCS-2"
    units: int
    segments: int


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def count_segments(text: str) -> SegmentInfo:
    """Parts an SMS of `text` costs: 160/153 septets in GSM-7, 70/67 UTF-16 units in UCS-2."""
    if is_gsm7(text):
        units = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        parts = 1 if units <= GSM7_SINGLE else math.ceil(units / GSM7_PART)
        return SegmentInfo("GSM-7", units, max(parts, 1))
    units = len(text.encode("utf-16-le")) // 2
    parts = 1 if units <= UCS2_SINGLE else math.ceil(units / UCS2_PART)
    return SegmentInfo("UCS-2", units, max(parts, 1))


def to_gsm7_azerbaijani(text: str) -> str:
    """Azerbaijani spelled in GSM-7 letters, as people type it on phones without ə and ş."""
    return text.translate(AZ_TO_GSM7)


def fit_for_sms(text: str, language: str | None, transliterate: str = "auto") -> str:
    """The text to send, spelled the same way in every message of a conversation.

    With "auto", a language whose registry entry says `sms.plain_letters` (az, tly, en) always
    goes out with plain GSM-7 letters: deciding per message (only when that saves a part) made a
    conversation switch between "Razısınız" and "Razisiniz" from one SMS to the next. Plain
    letters never cost more. "never" keeps every letter, in every message.
    """
    if transliterate != "auto" or language not in _PLAIN_LETTER_LANGUAGES:
        return text
    return to_gsm7_azerbaijani(text)
