"""Text folding shared by poll matching and SMS keywords, so "Bəli", "BELI" and "бэли" compare alike."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Azerbaijani/Turkish letters people drop when typing on a plain keyboard.
_AZ_FOLD = str.maketrans(
    {
        "ə": "e",
        "ı": "i",
        "ş": "s",
        "ç": "c",
        "ğ": "g",
        "ö": "o",
        "ü": "u",
        "ä": "a",
        # Azerbaijani Cyrillic (still seen in older users' messages).
        "ә": "e",
        "ғ": "g",
        "һ": "h",
        "ј": "y",
        "ү": "u",
        "ө": "o",
        "ҹ": "c",
        "ҝ": "g",
        "ҡ": "k",
        "ё": "е",
        # Apostrophe look-alikes, folded to one so "п’ять" and "п'ять" agree.
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "´": "'",
        "ʻ": "'",
    }
)

# Cyrillic letters whose combining mark is part of the letter and must survive mark stripping.
_PROTECT = str.maketrans({"й": "\ue000", "ї": "\ue001"})
_UNPROTECT = str.maketrans({"\ue000": "й", "\ue001": "ї"})

# Lezgian palochka typed as Latin I/l, digit 1 or a bar between Cyrillic letters.
_PALOCHKA = re.compile(r"(?<=[\u0400-\u04ff])[Il1|\u04c0\u04cf](?=[\u0400-\u04ff])")
_PALOCHKA_END = re.compile(r"(?<=[\u0400-\u04ff])\u04c0")


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Casefold, drop Azerbaijani/Turkish diacritics and combining marks, keep Cyrillic й/ї intact."""
    if text.isascii():
        return text.casefold().replace("`", "'")
    text = unicodedata.normalize("NFKC", text)
    if "\u04c0" in text or "\u04cf" in text or re.search(r"[\u0400-\u04ff][Il1|]", text):
        text = _PALOCHKA.sub("\u04cf", text)
        text = _PALOCHKA_END.sub("\u04cf", text)
    text = text.replace("İ", "i").casefold().translate(_AZ_FOLD)
    if text.isascii():
        return text
    text = unicodedata.normalize("NFD", text.translate(_PROTECT))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", text).translate(_UNPROTECT)


# Cyrillic as Russians and Lezgians type it in Latin letters (chat style, not ISO 9).
_CYR_RU: dict[str, str] = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "ӏ": "",
    "і": "i",
    "ї": "yi",
    "є": "ye",
    "ґ": "g",
    "'": "",
}
# Ukrainian differs where its letters sound differently: г is h, и is y.
_CYR_UK: dict[str, str] = {**_CYR_RU, "г": "h", "и": "y", "е": "e"}

# Georgian as it is usually typed in Latin letters (national romanisation, chat spelling).
_GEO: dict[str, str] = {
    "ა": "a",
    "ბ": "b",
    "გ": "g",
    "დ": "d",
    "ე": "e",
    "ვ": "v",
    "ზ": "z",
    "თ": "t",
    "ი": "i",
    "კ": "k",
    "ლ": "l",
    "მ": "m",
    "ნ": "n",
    "ო": "o",
    "პ": "p",
    "ჟ": "zh",
    "რ": "r",
    "ს": "s",
    "ტ": "t",
    "უ": "u",
    "ფ": "p",
    "ქ": "k",
    "ღ": "gh",
    "ყ": "q",
    "შ": "sh",
    "ჩ": "ch",
    "ც": "ts",
    "ძ": "dz",
    "წ": "ts",
    "ჭ": "ch",
    "ხ": "kh",
    "ჯ": "j",
    "ჰ": "h",
    "ჱ": "e",
    "ჲ": "y",
    "ჳ": "v",
    "ჴ": "kh",
    "ჵ": "o",
}
# The Georgian keyboard layout's Latin keys, which many people use instead ("wyali" for წყალი).
_GEO_KEYBOARD: dict[str, str] = {
    **_GEO,
    "ფ": "f",
    "ქ": "q",
    "ღ": "r",
    "ყ": "y",
    "შ": "s",
    "ჩ": "c",
    "ც": "c",
    "ძ": "z",
    "წ": "w",
    "ჭ": "w",
    "ხ": "x",
    "ჟ": "j",
    "თ": "t",
}

# Chat spelling that mixes both: "tsyali", "dgheba" for წყალი, დღეება.
_GEO_CHAT: dict[str, str] = {**_GEO, "ყ": "y", "ხ": "x", "ქ": "q"}

_UK_LETTERS = frozenset("іїєґ")
_TABLES = {
    "ru": str.maketrans(_CYR_RU | _GEO),
    "uk": str.maketrans(_CYR_UK | _GEO),
    "ka_kbd": str.maketrans(_CYR_RU | _GEO_KEYBOARD),
    "ka_chat": str.maketrans(_CYR_RU | _GEO_CHAT),
}


def _transliterate(folded: str, table: str) -> str:
    """Apply one transliteration table to folded text and drop anything still outside ASCII."""
    out = folded.translate(_TABLES[table])
    if out.isascii():
        return out
    return "".join(ch for ch in out if ch.isascii())


@lru_cache(maxsize=8192)
def to_latin(text: str) -> str:
    """Fold `text` and transliterate Cyrillic and Georgian to lowercase ASCII the way people type it."""
    folded = fold(text)
    if folded.isascii():
        return folded
    # Ukrainian spelling (г as h, и as y) only for words that show a Ukrainian letter.
    if _UK_LETTERS.isdisjoint(folded):
        return _transliterate(folded, "ru")
    words = re.split(r"(\s+)", folded)
    return "".join(
        _transliterate(w, "uk" if not _UK_LETTERS.isdisjoint(w) else "ru") for w in words
    )


def latin_spellings(text: str) -> tuple[str, ...]:
    """Every common Latin spelling of `text` (Russian and Ukrainian readings, Georgian keyboard and chat)."""
    folded = fold(text)
    if folded.isascii():
        return (folded,)
    seen: dict[str, None] = {to_latin(text): None}
    for table in ("ru", "uk", "ka_kbd", "ka_chat"):
        seen.setdefault(_transliterate(folded, table), None)
    return tuple(seen)
