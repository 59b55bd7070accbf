"""The month's messages counted for themes as they stream past, so that a month of any size costs
memory by its concept sets and people, not by its texts (fikir.digest.month_themes).

Per leading goal and concept set: how many messages, which people, and a bounded list of the
quotable messages in the order they were written. The list keeps exactly the messages the quote
rule could reach: the rule takes the first message whose writer and words are not yet quoted,
and a digest quotes at most QUOTED_AT_MOST messages, so a later message with the same writer and
words as a kept one, a writer's (or a wording's) PER_KEY-th message, or any message after the
first KEEP is never the first one left (see `Candidates.offer`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from fikir.digest.month_queries import LEADING_GOALS, QUOTES_PER_GOAL

QUOTED_AT_MOST = LEADING_GOALS * QUOTES_PER_GOAL  # quotes in one digest
PER_KEY = QUOTED_AT_MOST + 1  # kept messages per writer, and per wording
KEEP = 2 * QUOTED_AT_MOST * PER_KEY + 1  # kept messages per goal and concept set


def fold_words(text: str) -> str:
    """A text's words for "the same text": case and spacing do not count."""
    return " ".join(text.casefold().split())


class Candidate(NamedTuple):
    """A message that may be quoted under its goal (a tuple: made once per quotable message)."""

    id: int
    respondent: int
    text: str
    language: str | None
    words: str  # fold_words(text)


@dataclass
class Candidates:
    """Quotable messages in the order they were written, only those the quote rule can reach.

    When the rule looks for the first message whose writer and words are not yet quoted, every
    message before it is excluded by one of at most QUOTED_AT_MOST writers or wordings. A message
    dropped here as a repeat of a kept writer-and-words pair is excluded whenever that pair is;
    one dropped as a writer's PER_KEY-th would need PER_KEY kept messages of that writer with
    PER_KEY different wordings all quoted (a wording's PER_KEY-th likewise); and one past KEEP
    would need KEEP earlier ones excluded, while QUOTED_AT_MOST writers and wordings exclude at
    most KEEP - 1. So the rule picks the same messages from this list as from all of them.
    """

    items: list[Candidate] = field(default_factory=list)
    _pairs: set[tuple[int, str]] = field(default_factory=set)
    _people: dict[int, int] = field(default_factory=dict)  # kept messages per writer
    _words: dict[str, int] = field(default_factory=dict)  # … and per wording

    @property
    def full(self) -> bool:
        """True once KEEP messages are kept: no later one can be reached."""
        return len(self.items) >= KEEP

    def offer(self, candidate: Candidate) -> None:
        """Keep `candidate` (written after every message kept so far) if the rule can reach it."""
        writer, words = candidate.respondent, candidate.words
        pair = (writer, words)
        by_writer, by_words = self._people.get(writer, 0), self._words.get(words, 0)
        if len(self.items) >= KEEP or by_writer >= PER_KEY or by_words >= PER_KEY:
            return
        if pair in self._pairs:
            return
        self.items.append(candidate)
        self._pairs.add(pair)
        self._people[writer] = by_writer + 1
        self._words[words] = by_words + 1


@dataclass
class ConceptSet:
    """One leading goal's messages that name one set of concepts (possibly none)."""

    messages: int = 0
    people: set[int] = field(default_factory=set)
    quotable: Candidates = field(default_factory=Candidates)


@dataclass
class GoalTally:
    """One leading goal's messages, by the concepts they name."""

    sets: dict[frozenset[str], ConceptSet] = field(default_factory=dict)

    def add(self, concepts: frozenset[str], respondent: int) -> ConceptSet:
        found = self.sets.get(concepts)
        if found is None:
            found = self.sets[concepts] = ConceptSet()
        found.messages += 1
        found.people.add(respondent)
        return found

    def counts(self) -> dict[frozenset[str], int]:
        """Messages per concept set, as fikir.digest.themes.group_counts takes them."""
        return {concepts: found.messages for concepts, found in self.sets.items()}
