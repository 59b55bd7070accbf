"""Which topics each poll option mentions, and the everyday words that then name it in any
language ("свет", "işıq", "power" for "Elektrik enerjisi"), unless another option shares the topic."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from fikir.polls.tokens import split
from fikir.polls.topics import TopicWord, topic_words, usable
from fikir.polls.translit import word_keys
from fikir.polls.wordmatch import INFLECTED, word_quality

# One label as the matcher sees it: its option and, per word, the word's loose-key spellings.
WordKeys = tuple[tuple[str, ...], ...]


@lru_cache(maxsize=16)
def _by_initial(lang: str | None) -> dict[str, tuple[tuple[tuple[str, ...], TopicWord], ...]]:
    """Usable topic spellings grouped by the first letter of their first word."""
    groups: dict[str, list[tuple[tuple[str, ...], TopicWord]]] = {}
    for word in topic_words():
        if usable(word, lang):
            for spelling in word.spellings:
                groups.setdefault(spelling[0][:1], []).append((spelling, word))
    return {k: tuple(v) for k, v in groups.items()}


def _mentions(label: WordKeys, spelling: tuple[str, ...]) -> bool:
    """True when every word of the topic spelling is a word of the label, with endings or without."""
    return all(
        any(word_quality(key, part) >= INFLECTED for word in label for key in word)
        for part in spelling
    )


def option_topics(names: Iterable[tuple[int, str]], lang: str | None) -> dict[int, set[str]]:
    """The topics each option's labels mention ("Su təchizatı" → water). A label word takes the
    topics of the entries it matches best, and among equals those written the same way, so
    "Дороги" is roads ("дороги"), not the Ukrainian "дорогі" (expensive)."""
    index = _by_initial(lang)
    found: dict[int, set[str]] = {}
    for option, name in names:
        surfaces = split(name).words
        words = tuple(word_keys(w) for w in surfaces)
        topics = found.setdefault(option, set())
        for surface, word in zip(surfaces, words, strict=True):
            best: list[tuple[float, bool, TopicWord]] = []
            for initial in {key[:1] for key in word}:
                for spelling, topic_word in index.get(initial, ()):
                    if len(spelling) > 1:
                        if _mentions(words, spelling):
                            topics.update(topic_word.topics)
                        continue
                    q = max(word_quality(key, spelling[0]) for key in word)
                    if q >= INFLECTED:
                        best.append((q, topic_word.surface == surface, topic_word))
            if best:
                top = max((q, same) for q, same, _ in best)
                topics.update(t for q, same, tw in best if (q, same) == top for t in tw.topics)
    return {option: topics for option, topics in found.items() if topics}


def synonym_words(topics: dict[int, set[str]], lang: str | None) -> list[tuple[int, WordKeys]]:
    """Every usable topic word or phrase, for the one option that mentions its topic."""
    owners: dict[str, set[int]] = {}
    for option, names in topics.items():
        for name in names:
            owners.setdefault(name, set()).add(option)
    sole = {name: next(iter(opts)) for name, opts in owners.items() if len(opts) == 1}
    out: dict[tuple[int, WordKeys], None] = {}
    for word in topic_words():
        if not usable(word, lang):
            continue
        for name in word.topics & sole.keys():
            size = len(word.spellings[0])
            if any(len(s) != size for s in word.spellings):
                continue
            keys = tuple(tuple(dict.fromkeys(s[i] for s in word.spellings)) for i in range(size))
            out[(sole[name], keys)] = None
    return list(out)
