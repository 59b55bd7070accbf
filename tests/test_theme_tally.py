"""The bounded list of quotable messages (fikir.digest.theme_tally) gives the quote rule the same
picks as the whole month's messages would, however writers and wordings repeat, and never holds
more than KEEP messages."""

from __future__ import annotations

import random

import pytest

from fikir.digest.theme_tally import (
    KEEP,
    PER_KEY,
    QUOTED_AT_MOST,
    Candidate,
    Candidates,
    fold_words,
)


def _picks(messages: list[Candidate], people: set[int], words: set[str], quota: int) -> list[int]:
    """The rule: the first message whose writer and words are not yet quoted, `quota` times."""
    people, words = set(people), set(words)
    chosen = []
    for m in messages:
        if len(chosen) >= quota:
            break
        if m.respondent in people or m.words in words:
            continue
        people.add(m.respondent)
        words.add(m.words)
        chosen.append(m.id)
    return chosen


@pytest.mark.parametrize(
    ("writers", "wordings"), [(3, 3), (12, 2), (2, 40), (30, 30), (400, 400), (15, 1)]
)
def test_bounded_candidates_pick_what_all_messages_would(writers: int, wordings: int) -> None:
    rng = random.Random(writers * 1000 + wordings)
    texts = [f"Su yoxdur, {n} gündür  gözləyirik" for n in range(wordings)]
    for trial in range(40):
        messages = []
        for n in range(rng.choice([50, 400, 3000])):
            text = rng.choice(texts)
            if rng.random() < 0.2:
                text = text.upper()  # the same words for the rule
            messages.append(Candidate(n, rng.randrange(writers), text, "az", fold_words(text)))
        kept = Candidates()
        for m in messages:
            if not kept.full:
                kept.offer(m)
        assert len(kept.items) <= KEEP
        # Earlier quotes of the digest exclude some writers and wordings; the rest is this list's.
        earlier = rng.randrange(QUOTED_AT_MOST + 1)
        people = {rng.randrange(writers) for _ in range(earlier)}
        words = {fold_words(rng.choice(texts)) for _ in range(earlier)}
        quota = QUOTED_AT_MOST - earlier
        assert _picks(kept.items, people, words, quota) == _picks(messages, people, words, quota), (
            trial
        )


def _kept(messages: list[Candidate]) -> list[Candidate]:
    kept = Candidates()
    for m in messages:
        kept.offer(m)
    return kept.items


def _message(n: int, writer: int, words: str) -> Candidate:
    return Candidate(n, writer, words, "en", words)


def test_the_worst_cases_for_each_bound_still_pick_the_same() -> None:
    earlier = QUOTED_AT_MOST - 1  # one quote left to pick
    # A writer not yet quoted whose first messages all use wordings already quoted.
    own = [_message(n, 1, f"quoted {n}") for n in range(earlier)]
    own.append(_message(earlier, 1, "fresh"))
    words = {m.words for m in own[:-1]}
    assert _picks(_kept(own), set(), words, 1) == _picks(own, set(), words, 1) == [earlier]
    # A wording not yet quoted whose first writers were all quoted.
    same = [_message(n, n, "the same words") for n in range(earlier)]
    same.append(_message(earlier, 99, "the same words"))
    people = {m.respondent for m in same[:-1]}
    assert _picks(_kept(same), people, set(), 1) == _picks(same, people, set(), 1) == [earlier]
    # As many messages before it as quoted writers and wordings can exclude.
    crowd: list[Candidate] = []
    for writer in range(earlier):  # quoted writers, each with PER_KEY different wordings
        for n in range(PER_KEY):
            crowd.append(_message(len(crowd), writer, f"{writer} says {n}"))
    for w in range(earlier):  # quoted wordings, each from PER_KEY different writers
        for n in range(PER_KEY):
            crowd.append(_message(len(crowd), 1000 + w * PER_KEY + n, f"quoted words {w}"))
    crowd.append(_message(len(crowd), 5000, "fresh words"))
    people = set(range(earlier))
    words = {f"quoted words {w}" for w in range(earlier)}
    assert _picks(_kept(crowd), people, words, 1) == _picks(crowd, people, words, 1)
    assert _picks(crowd, people, words, 1) == [crowd[-1].id]


def test_a_flood_of_one_writer_keeps_little() -> None:
    kept = Candidates()
    for n in range(100_000):
        kept.offer(Candidate(n, 7, f"message number {n} about water", "en", f"w{n}"))
    assert len(kept.items) == PER_KEY
