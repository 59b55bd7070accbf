"""What a reply says about one option: where its words were found and how strongly, so that a
word two options both claim goes to the one that explains it best."""

from __future__ import annotations

from dataclasses import dataclass

from fikir.polls.labels import CONTENT

Rank = tuple[int, int, int, int, int, float]


@dataclass
class Hit:
    """Where a label word was found in the reply and how well it matched."""

    first: int
    last: int
    quality: float
    role: int


@dataclass
class Match:
    """The best reading of one option inside a reply."""

    option: int
    hits: list[Hit]
    size: int
    synonym: bool = False

    def rank(self) -> Rank:
        """Order for deciding which option owns a word two options both claim (the option's own
        words before everyday words of its topic)."""
        content = sum(1 for h in self.hits if h.role == CONTENT)
        covered = sum(h.last - h.first + 1 for h in self.hits)
        missing = self.size - len(self.hits)
        own = 0 if self.synonym else 1
        return (own, content, len(self.hits), -missing, covered, sum(h.quality for h in self.hits))

    @property
    def full(self) -> bool:
        """True when every word of the label was found."""
        return len(self.hits) == self.size
