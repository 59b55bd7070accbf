"""A small cross-language concept lexicon (water, cut off, days, teacher …), so that "su yoxdur",
"нет воды" and "no water" are the same concerns to the theme grouping, without a big model.

The concept files (fikir/digest/concepts/<lang>.txt) use the tagging lexicons' format and are
matched by the tagger's own index (fikir/tagging/matcher.py): one `@concept` section per concept,
with stems and phrases per language. Every language's terms are consulted for every message
(writers mix languages and alphabets), except terms marked `!`, which count only in their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fikir.config.datafile import data_lines
from fikir.tagging.lexicon import Entry, lexicon_files, parse_lexicon
from fikir.tagging.matcher import LexiconIndex
from fikir.tagging.normalize import fold_token, split_words

CONCEPT_DIR = Path(__file__).parent / "concepts"
NAMES_FILE = "names.txt"
NAME_LANGUAGES = ("az", "ru", "en")  # the columns of names.txt; other readers get English
WORD_CACHE = 200_000  # words remembered per language and process


@dataclass(frozen=True)
class ConceptLexicon:
    """The concept index and each concept's name in the digest's languages.

    A month holds many thousand messages, so each word as written is looked up once per
    language (`_words`: its concepts alone, and whether it belongs to a phrase); the full
    matcher runs only on a message where two words could form a phrase of the lexicon
    (`phrases`), since a phrase claims its words first. The result is the full matcher's.
    """

    index: LexiconIndex
    names: dict[str, dict[str, str]]  # concept -> language -> name
    order: tuple[str, ...]  # concepts in names.txt order, for stable names and ties
    phrases: LexiconIndex | None = None  # the phrase entries alone
    # language -> word as written -> (its concepts alone, whether it can start or end a phrase)
    _words: dict[str | None, dict[str, tuple[frozenset[str], bool]]] = field(default_factory=dict)

    def concepts(self, text: str, lang: str | None = None) -> frozenset[str]:
        """The concepts a (redacted) message speaks of; empty when it names none we know."""
        words = split_words(text)
        known = self._words.get(lang)
        if known is None:
            known = self._words[lang] = {}
        found: frozenset[str] = frozenset()
        in_phrases = 0
        for word in words:
            seen = known.get(word)
            if seen is None:
                seen = self._learn(word, lang, known)
            if seen[1]:
                in_phrases += 1
            if seen[0]:
                found = found | seen[0] if found else seen[0]
        if in_phrases > 1 or self.phrases is None:
            # Two words that could form a phrase: the full matcher, where a phrase claims its
            # words before they count alone.
            return self._matched(words, lang)
        return found

    def _learn(
        self, word: str, lang: str | None, known: dict[str, tuple[frozenset[str], bool]]
    ) -> tuple[frozenset[str], bool]:
        """Look one word up (folded) and remember it, up to WORD_CACHE words per language."""
        token = fold_token(word)
        hits = self.index.find([word], [token], _allowed(lang))
        phrase = self.phrases is not None and bool(self.phrases.element_matches(token))
        seen = (frozenset(hit.entry.section for hit in hits), phrase)
        if len(known) < WORD_CACHE:
            known[word] = seen
        return seen

    def _matched(self, words: list[str], lang: str | None) -> frozenset[str]:
        folded = [fold_token(word) for word in words]
        return frozenset(
            hit.entry.section for hit in self.index.find(words, folded, _allowed(lang))
        )

    def name(self, concept: str, lang: str) -> str:
        found = self.names.get(concept, {})
        return found.get(lang) or found.get("en") or concept


def _names(text: str, source: str) -> tuple[dict[str, dict[str, str]], tuple[str, ...]]:
    names: dict[str, dict[str, str]] = {}
    for line in data_lines(text, source):
        cells = [cell.strip() for cell in line.text.split("|")]
        if len(cells) != 1 + len(NAME_LANGUAGES) or not all(cells):
            raise ValueError(f"{line.where}: expected concept | az | ru | en")
        names[cells[0]] = dict(zip(NAME_LANGUAGES, cells[1:], strict=True))
    return names, tuple(names)


def load_concepts(directory: Path = CONCEPT_DIR) -> ConceptLexicon:
    """Read every language's concept file; a concept without a name is refused."""
    names, order = _names((directory / NAMES_FILE).read_text("utf-8"), NAMES_FILE)
    entries: list[Entry] = []
    for lang, path in lexicon_files(directory):
        if path.name == NAMES_FILE:
            continue
        found = parse_lexicon(path.read_text("utf-8"), lang, str(path))
        unnamed = {entry.section for entry in found} - set(names)
        if unnamed:
            raise ValueError(f"{path}: concepts without a name in {NAMES_FILE}: {sorted(unnamed)}")
        entries.extend(found)
    phrases = LexiconIndex((e for e in entries if len(e.elements) > 1), typos=False)
    return ConceptLexicon(LexiconIndex(entries, typos=False), names, order, phrases)


@lru_cache(maxsize=16)
def _allowed(lang: str | None) -> Callable[[Entry], bool]:
    """Entries that may match in a message of `lang` (a `!` term only in its own language)."""

    def allowed(entry: Entry) -> bool:
        return not entry.restricted or entry.lang == lang

    return allowed


@lru_cache(maxsize=1)
def default_concepts() -> ConceptLexicon:
    """The shipped concept lexicon, read once per process (it is data, not settings)."""
    return load_concepts()
