"""Everyday words for the topics staff poll about (lexicons/*.txt), so "işıq" picks an electricity
option and "работа" an employment option although neither word is in the option's label."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fikir.config.datafile import data_lines
from fikir.i18n.textfold import fold
from fikir.polls.lexicon import Phrase, phrase_keys, single_keys

LEXICON_DIR = Path(__file__).parent / "lexicons"


@dataclass(frozen=True)
class TopicWord:
    """One lexicon line: its spellings as loose-key phrases, its topics, and whose word it is."""

    spellings: tuple[Phrase, ...]
    surface: str  # the folded word or phrase as written, to tell "дороги" from "дорогі"
    topics: frozenset[str]
    lang: str
    own_language_only: bool


def parse(text: str, lang: str, source: str) -> list[TopicWord]:
    """The words of one lexicon file; a line outside any `@topic` section is refused."""
    out: list[TopicWord] = []
    for line in data_lines(text, source, sections=("topic",)):
        if line.section is None or len(line.section) < 2:
            raise ValueError(f"{line.where}: a word outside a '@topic name' section")
        word = line.text
        own = word.endswith("!")
        spellings = _without_stopwords(phrase_keys(word.rstrip("!").strip()))
        if not spellings:
            raise ValueError(f"{line.where}: no letters in {word!r}")
        surface = fold(word.rstrip("!").strip())
        out.append(TopicWord(spellings, surface, frozenset(line.section[1:]), lang, own))
    return out


def _without_stopwords(spellings: tuple[Phrase, ...]) -> tuple[Phrase, ...]:
    """Phrases without the words option labels drop too ("cost of living" → "cost living")."""
    stop = single_keys("STOPWORDS")
    out = (tuple(k for k in s if k not in stop) or s for s in spellings)
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=1)
def topic_words() -> tuple[TopicWord, ...]:
    """Every language's topic words, read once."""
    words: list[TopicWord] = []
    for path in sorted(LEXICON_DIR.glob("*.txt")):
        words.extend(parse(path.read_text(encoding="utf-8"), path.stem, str(path)))
    return tuple(words)


def usable(word: TopicWord, lang: str | None) -> bool:
    """True when the word may be read in a reply of this language."""
    return not word.own_language_only or lang is None or lang == word.lang


@lru_cache(maxsize=16)
def known_words(lang: str | None) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """One-word lexicon entries with their topics, by folded spelling and by loose key: a reply
    word that is one of them is that word, never a misspelling or inflection of an option word
    about another topic ("дорогие" is "expensive", not "Дороги")."""
    by_surface: dict[str, set[str]] = {}
    by_key: dict[str, set[str]] = {}
    for word in topic_words():
        if not usable(word, lang) or " " in word.surface:
            continue
        by_surface.setdefault(word.surface, set()).update(word.topics)
        for spelling in word.spellings:
            by_key.setdefault(spelling[0], set()).update(word.topics)
    return (
        {k: frozenset(v) for k, v in by_surface.items()},
        {k: frozenset(v) for k, v in by_key.items()},
    )


def known_topics(word: str, key: str, lang: str | None) -> frozenset[str] | None:
    """The topics of a reply word the lexicon knows: by its spelling, or by its loose key when it
    is typed in Latin letters (a Cyrillic "води" is not the "vodi" of "водій")."""
    by_surface, by_key = known_words(lang)
    found = by_surface.get(word)
    if found is None and word.isascii():
        found = by_key.get(key)
    return found
