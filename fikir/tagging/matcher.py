"""Find lexicon terms in a tokenised message: phrases first, then single words, the longest
matching stem winning, so "suvarma" counts as irrigation and not as "su" (water)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from fikir.tagging.lexicon import Element, Entry

MAX_GAP = 2  # other words allowed between two words of a phrase
# A word that matches nothing may still be a typo of a stem this long or longer ("xestexanda").
# The first letters are rarely mistyped, and the rest must still be an inflection of the stem.
MIN_FUZZY_KEY = 6
MIN_FUZZY_TOKEN = 6
FUZZY_KEEP = 2
_CACHE_LIMIT = 200_000

# (element id, key length, found only by tolerating one typo)
Match = tuple[int, int, bool]


@dataclass(frozen=True)
class Hit:
    """A lexicon entry found at a position of the message, with the words as written."""

    entry: Entry
    start: int
    words: tuple[str, ...]
    fuzzy: bool = False

    @property
    def text(self) -> str:
        """The matched words as the writer typed them."""
        return " ".join(self.words)


class LexiconIndex:
    """All entries of all languages, indexed by the folded keys of their words."""

    def __init__(self, entries: Iterable[Entry], typos: bool = True) -> None:
        self.typos = typos
        self._element_ids: dict[Element, int] = {}
        self._elements: list[Element] = []
        self._by_key: dict[str, list[int]] = {}
        self._single: dict[int, list[Entry]] = {}
        self._phrases: dict[int, list[tuple[Entry, tuple[int, ...]]]] = {}
        self._max_key = 1
        self._deletions: dict[str, list[int]] = {}
        self._cache: dict[str, tuple[Match, ...]] = {}
        self._id_cache: dict[str, frozenset[int]] = {}
        for entry in entries:
            ids = tuple(self._element_id(element) for element in entry.elements)
            if len(ids) == 1:
                self._single.setdefault(ids[0], []).append(entry)
            else:
                self._phrases.setdefault(ids[0], []).append((entry, ids))
        for phrases in self._phrases.values():
            phrases.sort(key=lambda item: -len(item[1]))  # longer phrases claim words first

    def _element_id(self, element: Element) -> int:
        found = self._element_ids.get(element)
        if found is not None:
            return found
        new_id = len(self._elements)
        self._element_ids[element] = new_id
        self._elements.append(element)
        self._by_key.setdefault(element.key, []).append(new_id)
        self._max_key = max(self._max_key, len(element.key))
        if len(element.key) >= MIN_FUZZY_KEY:
            for cut in range(FUZZY_KEEP, len(element.key)):
                deleted = element.key[:cut] + element.key[cut + 1 :]
                self._deletions.setdefault(deleted, []).append(new_id)
        return new_id

    @property
    def size(self) -> int:
        """Number of distinct word patterns indexed."""
        return len(self._elements)

    def element_matches(self, token: str) -> tuple[Match, ...]:
        """Every element that accepts the folded token, longest key first; when none does,
        the elements one typo away (a letter missing, extra or replaced)."""
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        found: list[Match] = []
        for length in range(min(len(token), self._max_key), 0, -1):
            for element_id in self._by_key.get(token[:length], ()):
                if self._elements[element_id].accepts(token):
                    found.append((element_id, length, False))
        if not found and self.typos and len(token) >= MIN_FUZZY_TOKEN:
            found = self._typo_matches(token)
        result = tuple(found)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[token] = result
        return result

    def _typo_matches(self, token: str) -> list[Match]:
        for length in range(min(len(token), self._max_key + 1), MIN_FUZZY_KEY - 1, -1):
            head, rest = token[:length], token[length:]
            candidates = set(self._deletions.get(head, ()))  # the writer dropped a letter
            for cut in range(FUZZY_KEEP, length):
                deleted = head[:cut] + head[cut + 1 :]
                if len(deleted) >= MIN_FUZZY_KEY:
                    candidates.update(self._by_key.get(deleted, ()))  # ... added one
                candidates.update(self._deletions.get(deleted, ()))  # ... replaced one
            found = [
                (element_id, len(self._elements[element_id].key), True)
                for element_id in sorted(candidates)
                if self._accepts_rest(self._elements[element_id], rest)
            ]
            if found:
                return found
        return []

    @staticmethod
    def _accepts_rest(element: Element, rest: str) -> bool:
        if element.kind == "=":
            return not rest
        return Element(element.key, "+", element.family).accepts(element.key + rest)

    def find(
        self, words: list[str], folded: list[str], allowed: Callable[[Entry], bool]
    ) -> list[Hit]:
        """Every entry found in the message, each word used by at most one phrase."""
        matches = [self.element_matches(token) for token in folded]
        present = [self._ids(token) for token in folded]
        claimed = [False] * len(folded)
        hits: list[Hit] = []
        for start, token_matches in enumerate(matches):
            if claimed[start]:
                continue
            for element_id, _length, _fuzzy in token_matches:
                for entry, ids in self._phrases.get(element_id, ()):
                    if not allowed(entry):
                        continue
                    positions = self._phrase_positions(ids, start, present, claimed)
                    if positions is None:
                        continue
                    for position in positions:
                        claimed[position] = True
                    fuzzy = any(f for p in positions for e, _, f in matches[p] if e in ids)
                    hits.append(Hit(entry, start, tuple(words[p] for p in positions), fuzzy))
                    break
                if claimed[start]:
                    break
        for position, token_matches in enumerate(matches):
            if claimed[position]:
                continue
            best = 0
            chosen: list[tuple[Entry, bool]] = []
            for element_id, length, fuzzy in token_matches:
                if length < best:
                    break
                for entry in self._single.get(element_id, ()):
                    if allowed(entry):
                        best = length
                        chosen.append((entry, fuzzy))
            hits.extend(Hit(entry, position, (words[position],), fuzzy) for entry, fuzzy in chosen)
        return hits

    def _ids(self, token: str) -> frozenset[int]:
        found = self._id_cache.get(token)
        if found is None:
            found = frozenset(element_id for element_id, _, _ in self.element_matches(token))
            if len(self._id_cache) >= _CACHE_LIMIT:
                self._id_cache.clear()
            self._id_cache[token] = found
        return found

    @staticmethod
    def _phrase_positions(
        ids: tuple[int, ...], start: int, present: list[frozenset[int]], claimed: list[bool]
    ) -> list[int] | None:
        positions = [start]
        for element_id in ids[1:]:
            previous = positions[-1]
            for position in range(previous + 1, min(previous + 2 + MAX_GAP, len(present))):
                if not claimed[position] and element_id in present[position]:
                    positions.append(position)
                    break
            else:
                return None
        return positions
