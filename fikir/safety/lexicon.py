"""Read the per-language safety lexicons (plain text staff can edit) into patterns over folded
text, so the same stems match "döyür", "doyur" and "дөјүр" alike."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fikir.config.datafile import data_lines
from fikir.i18n.textfold import fold, latin_spellings

LEXICON_DIR = Path(__file__).parent / "lexicons"

CATEGORIES: tuple[str, ...] = ("violence", "child_abuse", "self_harm", "threat", "reprisal")
# Sections that are not categories: words that mean nothing here, whose victim or distance
# shifts the weight of every category found, that negate the word right after them, or the two
# halves of a reprisal (taking part, and a penalty) that count only together.
IGNORE = "ignore"
VICTIM = "victim"
DISTANCE = "distance"
NEGATION = "negation"
PARTICIPATION = "participation"
PENALTY = "penalty"
CUES = (VICTIM, DISTANCE, NEGATION, PARTICIPATION, PENALTY)
SECTIONS = (*CATEGORIES, IGNORE, *CUES)

MAX_GAP = 3  # other words allowed between two words of a phrase
_GAP = rf"(?: \S+){{0,{MAX_GAP}}}? "
_WORD = re.compile(r"[\w']+")


@dataclass(frozen=True)
class Term:
    """One lexicon line: its section, weight, and the category that absorbs it when found."""

    text: str
    lang: str
    section: str
    weight: float
    unless: str | None  # not counted when this category is also found
    regex: str
    words: int
    also: tuple[tuple[str, float], ...] = ()  # other categories the same words count for
    starts: frozenset[str] = frozenset()  # the first two letters the term can start with


def normalise(text: str) -> str:
    """The matching form of a text: folded, punctuation and apostrophes dropped ("b'et", "б'є"
    and "don't" read as "bet", "бє", "dont"), words joined by one space."""
    words = (word.replace("'", "") for word in _WORD.findall(fold(text)))
    return " ".join(word for word in words if word)


def _options(token: str, where: str) -> list[tuple[str, bool, bool]]:
    """The folded alternatives of one pattern word, whether each is a stem ("word*") and whether
    it may sit inside a word ("*part*", for prefixed Georgian verbs); a Cyrillic or Georgian
    word also stands for its common Latin spellings ("убью" for "ubyu")."""
    options: list[tuple[str, bool, bool]] = []
    for option in token.split("/"):
        inside = option.startswith("*") and len(option) > 1
        folded = normalise(option.strip("*").replace("_", " "))
        if not folded:
            raise ValueError(f"{where}: no word in {option!r}")
        stem = option.endswith("*")
        # Short Latin spellings collide with other languages' words ("kino*" and Talysh "kinon").
        shortest = 5 if stem else 4
        spellings = [folded] + [
            normalise(latin) for latin in latin_spellings(folded) if len(latin) >= shortest
        ]
        for spelling in dict.fromkeys(spellings):
            if spelling:
                options.append((spelling, stem, inside))
    return options


def _token_regex(token: str, where: str) -> str:
    options = []
    for folded, stem, inside in _options(token, where):
        # "a_b" and a hyphenated word ("BMT-yə") are adjacent words, as text is split.
        start = r"\S*?" if inside else ""
        options.append(start + re.escape(folded) + (r"\S*" if stem else r"(?!\S)"))
    return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"


def _parse_spec(spec: str, where: str) -> tuple[float, str | None, tuple[tuple[str, float], ...]]:
    weight, unless, also = 1.0, None, []
    for item in spec.split():
        if item.startswith("-") and item[1:] in CATEGORIES:
            unless = item[1:]
        elif ":" in item and item.split(":")[0] in CATEGORIES:
            category, _, value = item.partition(":")
            also.append((category, float(value)))
        else:
            try:
                weight = float(item)
            except ValueError:
                raise ValueError(f"{where}: bad weight {item!r}") from None
    return weight, unless, tuple(also)


def parse_lexicon(text: str, lang: str, source: str = "<lexicon>") -> list[Term]:
    """Parse one lexicon file's text; raises ValueError naming the line of any mistake."""
    terms: list[Term] = []
    for entry in data_lines(text, source, SECTIONS):
        where, line = entry.where, entry.text
        if entry.section is None:
            raise ValueError(f"{where}: term before any @section")
        section = entry.section[0]
        pattern, _, spec = line.partition("|")
        tokens = pattern.split()
        regex = _GAP.join(_token_regex(token, where) for token in tokens)
        weight, unless, also = _parse_spec(spec, where)
        # "" = may start anywhere in a word, so tried at every word.
        starts = frozenset(
            "" if inside else folded[:2] for folded, _, inside in _options(tokens[0], where)
        )
        terms.append(
            Term(pattern.strip(), lang, section, weight, unless, regex, len(tokens), also, starts)
        )
    return terms


def load_terms(directory: Path = LEXICON_DIR) -> list[Term]:
    """Every term of every language file, in a stable order."""
    terms: list[Term] = []
    for path in sorted(directory.glob("*.txt")):
        terms.extend(parse_lexicon(path.read_text(encoding="utf-8"), path.stem, str(path)))
    return terms
