"""A poll reply cut into words with spelling-free keys, so matching never looks at raw characters."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from fikir.i18n.textfold import fold
from fikir.polls.translit import word_key

_TOKEN = re.compile(r"\d+|[^\W\d_]+|[^\w\s]")
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


@dataclass(frozen=True)
class Reply:
    """A reply split into folded words with their loose keys and the punctuation between them."""

    words: tuple[str, ...]
    keys: tuple[str, ...]
    breaks: tuple[bool, ...]  # punctuation right before word i
    glued: tuple[bool, ...]  # word i touches word i-1 ("2ci", "2-й")


def normalise_digits(text: str) -> str:
    """Turn keycap, full-width, circled, mathematical and Arabic-Indic digits into ASCII digits."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text.replace("\ufe0f", "").replace("\u20e3", ""))
    if text.isascii():
        return text
    return _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text)


def split(text: str) -> Reply:
    """Tokenise text into folded words, remembering punctuation and suffixes glued to numbers."""
    folded = fold(text).replace("'", "")
    words: list[str] = []
    breaks: list[bool] = []
    glued: list[bool] = []
    pending_break = False
    last_end = -2
    for m in _TOKEN.finditer(folded):
        piece = m.group()
        if not piece[0].isalnum():
            # A hyphen inside "2-ci" glues; any other mark separates.
            if piece != "-" or m.start() != last_end:
                pending_break = True
            else:
                last_end = m.end()
            continue
        glued.append(m.start() == last_end and bool(words))
        breaks.append(pending_break)
        words.append(piece)
        pending_break = False
        last_end = m.end()
    keys = tuple(w if w.isdigit() else word_key(w) for w in words)
    return Reply(tuple(words), keys, tuple(breaks), tuple(glued))
