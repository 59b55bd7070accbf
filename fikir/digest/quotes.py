"""Who and what the digest has quoted, so that nobody is quoted twice (fikir.digest.month_themes
chooses the quotes themselves)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Quoted:
    """Who and what has been quoted so far in this digest."""

    people: set[int] = field(default_factory=set)
    texts: set[str] = field(default_factory=set)
