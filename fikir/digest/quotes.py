"""Choosing the digest's quotes: a few per leading goal, from different people and languages."""

from __future__ import annotations

from dataclasses import dataclass, field

from fikir.digest.document import Quote


@dataclass(frozen=True)
class Candidate:
    """A possible quote and who wrote it, so that nobody is quoted twice."""

    quote: Quote
    respondent: int


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass
class Quoted:
    """Who and what has been quoted so far in this digest."""

    people: set[int] = field(default_factory=set)
    texts: set[str] = field(default_factory=set)


def pick_quotes(candidates: list[Candidate], quoted: Quoted, limit: int) -> list[Quote]:
    """Up to `limit` quotes from different people, taking languages in turn for variety."""
    by_language: dict[str | None, list[Candidate]] = {}
    for candidate in candidates:
        by_language.setdefault(candidate.quote.language, []).append(candidate)
    chosen: list[Quote] = []
    while len(chosen) < limit and any(by_language.values()):
        for queue in by_language.values():
            if not queue or len(chosen) >= limit:
                continue
            candidate = queue.pop(0)
            text = _fold(candidate.quote.text)
            if candidate.respondent in quoted.people or text in quoted.texts:
                continue
            quoted.people.add(candidate.respondent)
            quoted.texts.add(text)
            chosen.append(candidate.quote)
    return chosen
