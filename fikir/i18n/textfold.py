"""The one home of letter folding, so that search, tagging, redaction, poll matching and language
detection fold the same letters the same way and differ only by the named variants below.

Variants (each built from the tables at the top):
- `fold`: poll answers, SMS keywords, safety cues: case, diacritics, old Azerbaijani Cyrillic.
- `to_latin` / `latin_spellings`: Cyrillic and Georgian written the way people type them in Latin.
- `fold_token`: tagging; also drops apostrophes, merges Ukrainian ї/ґ into і/г, Latin digraphs
  into one letter, Latin look-alikes inside Cyrillic words, and repeated letters.
- `name_key` / `name_keys`: redaction's spelling-insensitive key of a name (ə as "a" or as "e",
  and q/g, x/h, j/c merged the way Azerbaijani names are spelled in other alphabets).
- `name_to_latin`: a Cyrillic name in Latin letters (ё as "yo", Azerbaijani letters kept).
- `fold_latin` / `az_cyrillic_to_latin`: language detection's fold of a Latin word, and the
  letter-for-letter correspondence of the Azerbaijani Cyrillic and Latin alphabets.
- `search_fold` with `SEARCH_FROM` / `SEARCH_TO`: the inbox search, mirrored by SQL translate().
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# --- the letter tables ---------------------------------------------------------------------------

# Each Azerbaijani/Turkish letter outside ASCII and the letter people type for it on a bare keyboard.
AZ_PLAIN: dict[str, str] = {"ə": "e", "ı": "i", "ş": "s", "ç": "c", "ğ": "g", "ö": "o", "ü": "u"}
# What every fold adds to that: ä (a schwa look-alike in Talysh and foreign words) and ё, which
# Russians mostly write as е.
_CORE: dict[str, str] = {**AZ_PLAIN, "ä": "a", "ё": "е"}

# The Azerbaijani Cyrillic alphabet (used until 1991) letter for letter in the Latin one.
AZ_CYRILLIC_TO_LATIN: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "q", "ғ": "ğ", "д": "d", "е": "e", "ә": "ə", "ж": "j", "з": "z",
    "и": "i", "ы": "ı", "ј": "y", "й": "y", "к": "k", "ҝ": "g", "л": "l", "м": "m", "н": "n", "о": "o",
    "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ү": "ü", "ф": "f", "х": "x", "һ": "h",
    "ч": "ç", "ҹ": "c", "ш": "ş", "я": "ya", "ю": "yu", "ё": "yo", "ц": "ts", "щ": "şç", "ь": "", "ъ": "",
    "э": "e",
}  # fmt: skip
# The letters only Azerbaijani Cyrillic has (Russian and the others do not).
AZ_CYRILLIC_LETTERS = frozenset("әөүҹҝғһј")

# Cyrillic as Russians and Lezgians type it in Latin letters (chat style, not ISO 9).
_CYR_RU: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya", "ӏ": "", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "'": "",
}  # fmt: skip
# Ukrainian differs where its letters sound differently: г is h, и is y.
_CYR_UK: dict[str, str] = {**_CYR_RU, "г": "h", "и": "y", "е": "e"}

# Georgian as it is usually typed in Latin letters (national romanisation, chat spelling).
_GEO: dict[str, str] = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t", "ი": "i", "კ": "k",
    "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh", "რ": "r", "ს": "s", "ტ": "t", "უ": "u",
    "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q", "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz", "წ": "ts",
    "ჭ": "ch", "ხ": "kh", "ჯ": "j", "ჰ": "h", "ჱ": "e", "ჲ": "y", "ჳ": "v", "ჴ": "kh", "ჵ": "o",
}  # fmt: skip
# The Georgian keyboard layout's Latin keys, which many people use instead ("wyali" for წყალი).
_GEO_KEYBOARD: dict[str, str] = {
    **_GEO,
    "ფ": "f", "ქ": "q", "ღ": "r", "ყ": "y", "შ": "s", "ჩ": "c", "ც": "c", "ძ": "z", "წ": "w",
    "ჭ": "w", "ხ": "x", "ჟ": "j",
}  # fmt: skip
# Chat spelling that mixes both: "tsyali", "dgheba" for წყალი, დღეება.
_GEO_CHAT: dict[str, str] = {**_GEO, "ყ": "y", "ხ": "x", "ქ": "q"}

# Apostrophe look-alikes ("п’ять", "noch`yu", "zvʼyazok").
APOSTROPHES = "'’‘ʼ`´ʻ"
# Latin digraphs typed for the Azerbaijani letters with diacritics ("shahar" for "şəhər")...
DIGRAPHS: tuple[tuple[str, str], ...] = (("sh", "ş"), ("ch", "ç"), ("gh", "ğ"))
# ...and those of Russian transliteration for letters Azerbaijani spells with one ("kh" x, "zh" j).
TRANSLIT_DIGRAPHS: tuple[tuple[str, str], ...] = (("kh", "x"), ("zh", "j"))

# Latin letters that look like Cyrillic ones, typed inside Cyrillic words on mixed keyboards.
HOMOGLYPHS: dict[str, str] = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і", "k": "к", "m": "м",
    "t": "т",
}  # fmt: skip

# The Lezgian palochka typed as Latin I, l, the digit 1 or a bar after an ejective к п т ц ч.
PALOCHKA_AFTER_EJECTIVE = re.compile(r"(?<=[кптцчКПТЦЧ])[Il1|Ӏӏ]")
# The same between any two Cyrillic letters, and a capital palochka at the end of a word.
_PALOCHKA = re.compile(r"(?<=[\u0400-\u04ff])[Il1|\u04c0\u04cf](?=[\u0400-\u04ff])")
_PALOCHKA_END = re.compile(r"(?<=[\u0400-\u04ff])\u04c0")


def _plain(letter: str) -> str:
    return "".join(AZ_PLAIN.get(ch, ch) for ch in letter)


def repair_palochka(text: str) -> str:
    """Text with the palochka look-alikes typed after an ejective consonant turned into "ӏ"."""
    return PALOCHKA_AFTER_EJECTIVE.sub("ӏ", text)


def strip_apostrophes(word: str) -> str:
    """`word` without apostrophes of any shape ("noch'yu" → "nochyu")."""
    return word.translate(_NO_APOSTROPHES)


_NO_APOSTROPHES = str.maketrans("", "", APOSTROPHES)

# --- fold: poll answers, keywords, safety cues ---------------------------------------------------

_MATCH = str.maketrans(
    {
        **_CORE,
        **{ch: _plain(AZ_CYRILLIC_TO_LATIN[ch]) for ch in AZ_CYRILLIC_LETTERS},
        "ҡ": "k",  # the Bashkir letter some keyboards offer for к
        **dict.fromkeys(APOSTROPHES, "'"),
    }
)
# Cyrillic letters whose combining mark is part of the letter and must survive mark stripping.
_PROTECT = str.maketrans({"й": "\ue000", "ї": "\ue001"})
_UNPROTECT = str.maketrans({"\ue000": "й", "\ue001": "ї"})


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Casefold, drop Azerbaijani/Turkish diacritics and combining marks, keep Cyrillic й/ї intact."""
    if text.isascii():
        return text.casefold().replace("`", "'")
    text = unicodedata.normalize("NFKC", text)
    if "\u04c0" in text or "\u04cf" in text or re.search(r"[\u0400-\u04ff][Il1|]", text):
        text = _PALOCHKA.sub("\u04cf", text)
        text = _PALOCHKA_END.sub("\u04cf", text)
    text = text.replace("İ", "i").casefold().translate(_MATCH)
    if text.isascii():
        return text
    text = unicodedata.normalize("NFD", text.translate(_PROTECT))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", text).translate(_UNPROTECT)


# --- to_latin: Cyrillic and Georgian typed in Latin letters --------------------------------------

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


# --- fold_token: the tagger's matching form of a word --------------------------------------------

# Ukrainian ї and ґ are often typed as і and г, so tagging merges them (fold keeps them apart,
# because to_latin reads ї as "yi"); the dot "İ".lower() leaves behind goes too.
_TOKEN = str.maketrans(
    {**_CORE, "ї": "і", "ґ": "г", "Ӏ": "ӏ", "\u0307": "", **dict.fromkeys(APOSTROPHES, "")}
)
# Russian щ typed as "shch" is one letter too.
_TOKEN_DIGRAPHS = tuple(
    (digraph, _plain(letter)) for digraph, letter in (("shch", "ş"), *DIGRAPHS, *TRANSLIT_DIGRAPHS)
)
_HOMOGLYPHS = str.maketrans(HOMOGLYPHS)
_REPEATS = re.compile(r"(.)\1{2,}")


def _has_cyrillic(token: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in token)


def _has_latin_accents(token: str) -> bool:
    return any("\u00c0" <= ch <= "\u024f" for ch in token)


@lru_cache(maxsize=65536)
def fold_token(token: str) -> str:
    """The matching form of one word: lower case, diacritics and digraphs folded, repeats cut."""
    folded = token.lower().translate(_TOKEN)
    if _has_cyrillic(folded):
        folded = folded.translate(_HOMOGLYPHS)
    else:
        if _has_latin_accents(folded):
            decomposed = unicodedata.normalize("NFD", folded)
            folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        if folded.isascii():
            for digraph, letter in _TOKEN_DIGRAPHS:
                if digraph in folded:
                    folded = folded.replace(digraph, letter)
    return _REPEATS.sub(r"\1", folded)


# --- name keys: redaction's spelling-insensitive form of a name ----------------------------------

# Beyond the diacritics, names merge the consonants other alphabets spell differently (Qasım/Gasym,
# Xəlil/Khalil, Cavid/Javid), the Lezgian palochka and digit 1 with i, and Ukrainian і/ї with и.
_NAME = str.maketrans(
    {**_CORE, "q": "g", "x": "h", "j": "c", "ӏ": "i", "і": "и", "ї": "и", "1": "i"}
)
# "yu" as ü: Yusif and Üsif, Yunus and Ünus are the same names in different spellings.
_NAME_DIGRAPHS = (*DIGRAPHS, *TRANSLIT_DIGRAPHS, ("yu", "ü"))


def name_key(word: str, schwa: str = "a") -> str:
    """Reduce a word to a spelling-insensitive key, so "Rəşad", "Rashad" and "Resad" can meet."""
    w = strip_apostrophes(word.casefold().replace("i̇", "i"))
    for digraph, letter in _NAME_DIGRAPHS:
        w = w.replace(digraph, letter)
    return w.replace("ə", schwa).translate(_NAME)


def name_keys(word: str) -> tuple[str, str]:
    """Both keys of a word: Azerbaijani ə is transliterated as "a" (Rashad) and as "e" (Reshad)."""
    return name_key(word, "a"), name_key(word, "e")


# A Cyrillic name as it is usually spelled in Latin letters: chat transliteration, but ё as "yo"
# (Алёна is Alyona) and the Azerbaijani letters as their Latin twins, so both schwa keys apply.
_NAME_LATIN = str.maketrans(
    {**_CYR_RU, "ё": "yo", **{ch: AZ_CYRILLIC_TO_LATIN[ch] for ch in AZ_CYRILLIC_LETTERS}}
)


def name_to_latin(word: str) -> str:
    """A Cyrillic word in Latin letters, so that "Руслан" meets "Ruslan" in the name list."""
    return word.lower().translate(_NAME_LATIN)


# --- language detection ---------------------------------------------------------------------------

_DETECT = str.maketrans(_CORE)
_DETECT_DIGRAPHS = tuple((digraph, _plain(letter)) for digraph, letter in DIGRAPHS)
_AZ_CYRILLIC = str.maketrans(AZ_CYRILLIC_TO_LATIN)


def fold_latin(word: str) -> str:
    """Fold an Azerbaijani or Talysh word the way it is typed on a plain keyboard ("ş" and "sh" → "s")."""
    folded = word.translate(_DETECT)
    for digraph, letter in _DETECT_DIGRAPHS:
        folded = folded.replace(digraph, letter)
    return folded


def az_cyrillic_to_latin(word: str) -> str:
    """Spell a word of Azerbaijani Cyrillic in the Latin alphabet."""
    return word.translate(_AZ_CYRILLIC)


# --- search: the same fold in Python and in SQL translate() --------------------------------------

# One character for one character, so that SQL translate(lower(text), SEARCH_FROM, SEARCH_TO)
# folds exactly as `search_fold`; the combining dot "İ".lower() leaves behind is deleted.
SEARCH_FROM = "".join(_CORE) + "\u0307"
SEARCH_TO = "".join(_CORE.values())
_SEARCH = str.maketrans(SEARCH_FROM[: len(SEARCH_TO)], SEARCH_TO, SEARCH_FROM[len(SEARCH_TO) :])


def search_fold(text: str | None) -> str:
    """Lower case without the diacritics people leave out; the SQL side mirrors it exactly."""
    return (text or "").lower().translate(_SEARCH)
