"""Read the per-language lexicon files (plain text staff can edit) into one index that finds, for
every folded word, the stems and words that match it in any language."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import product
from pathlib import Path

from fikir.config.datafile import data_lines, section_words
from fikir.tagging.normalize import fold_token, split_words

LEXICON_DIR = Path(__file__).parent / "lexicons"

GOAL = "goal"
IGNORE = "ignore"
SPAM = "spam"

# Inflectional endings a "stem+" may take, per family, on folded text.
_TR = (
    "lar|ler|imiz|umuz|iniz|unuz|miz|muz|niz|nuz|nin|nun|yin|yun|dan|den|tan|ten|nan|"
    "dir|dur|tir|tur|siz|suz|yla|yle|ya|ye|yi|yu|im|um|in|un|da|de|ta|te|di|du|ki|mi|mu|"
    "si|su|ni|nu|la|le|on|ku|ro|ne|is|ede|a|e|i|u"
)
_SUFFIXES: dict[str, str] = {
    "tr": rf"(?:{_TR}){{0,4}}[mn]?",
    "en": r"(?:s|es|ed|d|ing|er|ers|'s)?",
    "sl": (
        r"(?:а|я|о|е|ы|и|у|ю|ь|і|ой|ей|ом|ем|ам|ям|ами|ями|ах|ях|ов|ев|ів|ью|ую|юю|ая|яя|ое|ее|"
        r"ые|ие|ого|его|ому|ему|ым|им|ім|ых|их|іх|ою|ею|ий|ый|ій|оі|еі|іі|ям|ові|еві)?"
    ),
    "sl_latn": r"(?:a|ya|ia|o|e|y|i|u|yu|iu|oi|oy|ei|ey|om|em|am|yam|ami|yami|ah|ax|yah|ov|ev|iy|yi|ye|ie|ogo|ego|omu|emu|ym|im|yh|ih|ix|yx|oyu|eyu)?",
    "ka": (
        r"(?:[აეოუ])?(?:ებ)?(?:ისთვის|ისგან|ისკენ|იდან|ამდე|თვის|გან|დან|თან|მდე|ით|ად|ის|მა|ში|ზე|ს|ი|ო|ე|ა|ვით)?"
        r"(?:ც|აც|იც|ა)?"
    ),
    "lez": (
        r"(?:ар|ер|яр|ур|уьр|ри|ра)?"
        r"(?:дилай|дикай|дихъ|дин|диз|дай|дал|дик|див|ди|да|де|ни|нин|низ|рин|риз|рай|рал|рив|ри|ра|ре|"
        r"ин|из|аз|ай|ал|ик|ихъ|ив|кай|лай|ун|уьн|уз|уьз|у|уь|а|е|и|я)?"
        r"(?:ни|ва|лди|алди)?"
    ),
}
# Juhuri: plural -гьо, object -ре, "in" -дэ, "from" -эз, possessive -ш/-мугъ (drafts).
_SUFFIXES["jdt"] = r"(?:гьо)?(?:ре|дэ|де|эз|ни|ш|муьгъ|и)?"
_SUFFIX_RE: dict[str, re.Pattern[str]] = {k: re.compile(v) for k, v in _SUFFIXES.items()}

# "0.5" weighs the section's goal; "16" adds goal 16 at weight 1; "16:0.5" adds it at 0.5.
_WEIGHT_ITEM = re.compile(r"^(?:(\d{1,2}):(\d+(?:\.\d+)?)|(\d+\.\d+)|(\d{1,2}))$")


@dataclass(frozen=True)
class Element:
    """One word of a lexicon term: a folded key and how a word must relate to it."""

    key: str
    kind: str  # "=" whole word, "+" stem with an ending, "*" any continuation
    family: str

    def accepts(self, token: str) -> bool:
        """True when the folded `token` is this element (its key is already a prefix)."""
        if self.kind == "=":
            return token == self.key
        if self.kind == "*":
            return True
        return _SUFFIX_RE[self.family].fullmatch(token, len(self.key)) is not None


@dataclass(frozen=True)
class Entry:
    """A lexicon term with the goals it speaks for and their weights."""

    term: str
    lang: str
    section: str
    elements: tuple[Element, ...]
    weights: tuple[tuple[int, float], ...]
    restricted: bool
    keys: tuple[str, ...] = ()  # the folded words: identical terms of two languages count once

    def __post_init__(self) -> None:
        if not self.keys:
            object.__setattr__(self, "keys", tuple(element.key for element in self.elements))


def _family(lang: str, word: str) -> str:
    latin = word.isascii() or any("\u00c0" <= ch <= "\u024f" for ch in word)
    if lang in ("az", "tly"):
        return "tr"
    if lang in ("ru", "uk"):
        return "sl_latn" if latin else "sl"
    if lang in ("lez", "jdt"):
        return "tr" if latin else lang
    return lang if lang in _SUFFIXES else "en"


def _parse_weights(spec: str, goal: int | None, where: str) -> tuple[tuple[int, float], ...]:
    weights: dict[int, float] = {}
    base = 1.0
    for item in spec.split():
        match = _WEIGHT_ITEM.match(item)
        if match is None:
            raise ValueError(f"{where}: bad weight {item!r}")
        if match.group(1) is not None:
            weights[int(match.group(1))] = float(match.group(2))
        elif match.group(3) is not None:
            base = float(match.group(3))
        else:
            weights[int(match.group(4))] = 1.0
    if goal is not None:
        weights = {goal: base, **weights}
    for number in weights:
        if not 1 <= number <= 17:
            raise ValueError(f"{where}: goal {number} is not an SDG")
    return tuple(weights.items())


def _alternatives(pattern: str, lang: str, where: str) -> list[tuple[Element, ...]]:
    """Per word of the pattern, the elements that may stand in that place."""
    places: list[tuple[Element, ...]] = []
    for raw in pattern.split():
        kind = "="
        if raw.endswith(("*", "+")):
            kind, raw = raw[-1], raw[:-1]
        pieces = split_words(raw)
        if not pieces:
            raise ValueError(f"{where}: no word in {raw!r}")
        # A hyphenated word is split like message text is; the marker belongs to its last piece.
        for index, piece in enumerate(pieces):
            piece_kind = kind if index == len(pieces) - 1 else "="
            family = _family(lang, piece)
            place = [Element(fold_token(piece), piece_kind, family)]
            if piece_kind != "=" and family == "tr" and piece[-1:] in ("q", "k"):
                # Turkic consonant softening before a vowel: işıq → işığı, çörək → çörəyi.
                soft = "ğ" if piece[-1] == "q" else "y"
                place.append(Element(fold_token(piece[:-1] + soft), piece_kind, family))
            places.append(tuple(place))
    return places


def parse_lexicon(text: str, lang: str, source: str = "<lexicon>") -> list[Entry]:
    """Parse one lexicon file's text; raises ValueError naming the line of any mistake."""
    entries: list[Entry] = []
    for entry in data_lines(text, source):
        where, line = entry.where, entry.text
        if entry.section is None:
            raise ValueError(f"{where}: term before any @section")
        section = entry.section[0]
        goal = int(entry.section[1]) if section == GOAL and len(entry.section) > 1 else None
        if section == GOAL and not 1 <= (goal or 0) <= 17:
            raise ValueError(f"{where}: goal must be 1-17")
        if section == "lang":
            continue
        pattern, _, spec = line.partition("|")
        pattern = pattern.strip()
        restricted = pattern.endswith("!")
        pattern = pattern.rstrip("!").strip()
        if section == GOAL:
            weights = _parse_weights(spec, goal, where)
        else:
            weights = ((0, float(spec.strip() or 1.0)),)
        for elements in product(*_alternatives(pattern, lang, where)):
            entries.append(Entry(pattern, lang, section, elements, weights, restricted))
    return entries


def parse_function_words(text: str) -> set[str]:
    """The folded words of the @lang section, used only to guess a message's language."""
    return {fold_token(word) for word in section_words(text, "<lexicon>", "lang")}


def lexicon_files(directory: Path = LEXICON_DIR) -> Iterable[tuple[str, Path]]:
    """(language code, path) of every lexicon file, in a stable order."""
    for path in sorted(directory.glob("*.txt")):
        yield path.stem, path
