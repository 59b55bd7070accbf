"""The kinds of survey question and how an everyday reply answers each ("1 3", "iki", "⭐⭐⭐⭐").

This is the one seam between a question's kind and everything else: the dialog, the results
and the SMS texts ask a `Question` what it accepts and never look at its kind themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from fikir.polls import match_option
from fikir.polls.model import pick
from fikir.polls.numbers import exact_number
from fikir.polls.tokens import normalise_digits, split
from fikir.surveys.number_words import words_number

RATING_MAX = 5
MAX_CHOICES = 9
# Words that join the items of a list ("1 and 3", "su və yollar", "вода и дороги").
_AND_WORDS = frozenset(
    {"and", "və", "ve", "va", "и", "да", "та", "і", "й", "ва", "და", "hem", "həm", "u", "ну"}
)
_INTEGER = re.compile(r"(?<![\w.,])[-−]?\d{1,9}(?![\w]|[.,]\d)")
_STARS = frozenset("⭐★✩☆🌟")
_LIST_BREAK = re.compile(r"[,;/+&\n]+")


class Kind(StrEnum):
    """What a question asks for."""

    SINGLE = "single"  # one of its choices (today's poll)
    MULTIPLE = "multiple"  # any of its choices ("1 3")
    NUMBER = "number"  # a whole number, optionally between min and max
    RATING = "rating"  # 1 (worst) to 5 (best)
    TEXT = "text"  # a few words, kept like feedback


class Problem(StrEnum):
    """Why a reply did not answer: unreadable, or a number outside the range asked for."""

    UNREADABLE = "unreadable"
    RANGE = "range"


@dataclass(frozen=True)
class SkipRule:
    """Show a question only when question `question` (0-based) was answered with one of `answers`
    (choice numbers as shown, from 1; or the number or rating given)."""

    question: int
    answers: frozenset[int]


@dataclass(frozen=True)
class Question:
    """One survey question with its texts decoded."""

    position: int
    kind: Kind
    text: dict[str, str]
    choices: tuple[dict[str, str], ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    show_if: SkipRule | None = None

    def text_in(self, lang: str | None) -> str:
        return pick(self.text, lang)

    def labels_in(self, lang: str | None) -> list[str]:
        """The options shown with numbers: the choices, or 1–5 for a rating, else none."""
        if self.kind == Kind.RATING:
            return [str(value) for value in range(1, RATING_MAX + 1)]
        if self.kind in {Kind.SINGLE, Kind.MULTIPLE}:
            return [pick(labels, lang) for labels in self.choices]
        return []

    @property
    def bounds(self) -> tuple[int | None, int | None]:
        if self.kind == Kind.RATING:
            return 1, RATING_MAX
        return self.min_value, self.max_value


@dataclass(frozen=True)
class Parsed:
    """A reply read against a question: the values it gives, or the problem with it."""

    values: tuple[int, ...] = field(default=())
    problem: Problem | None = None


def parse(question: Question, reply: str, lang: str | None) -> Parsed:
    """Read `reply` as an answer to `question` (not for free text, which is kept as written).

    Choices come back 0-based; numbers and ratings as given."""
    reply = normalise_digits(reply or "").strip()
    if question.kind == Kind.SINGLE:
        index = match_option(reply, question.labels_in(lang), lang)
        return Parsed((index,)) if index is not None else Parsed(problem=Problem.UNREADABLE)
    if question.kind == Kind.MULTIPLE:
        picked = parse_multiple(reply, question.labels_in(lang), lang)
        return Parsed(picked) if picked else Parsed(problem=Problem.UNREADABLE)
    if question.kind == Kind.RATING:
        stars = sum(1 for ch in reply if ch in _STARS)
        if stars and not any(ch.isalnum() for ch in reply):
            value: int | None = stars
        else:
            value = parse_number(reply, lang)
    else:
        value = parse_number(reply, lang)
    if value is None:
        return Parsed(problem=Problem.UNREADABLE)
    low, high = question.bounds
    if (low is not None and value < low) or (high is not None and value > high):
        return Parsed(problem=Problem.RANGE)
    return Parsed((value,))


def parse_number(reply: str, lang: str | None) -> int | None:
    """The one whole number a reply gives, in digits ("17", "3 uşaq") or as a word ("iki",
    "пять"); None when there is none or more than one ("2 or 3")."""
    reply = normalise_digits(reply)
    found = _INTEGER.findall(reply.replace(" ", " "))
    if len(found) == 1:
        return int(found[0].replace("−", "-"))
    if found:
        return None
    return words_number(split(reply).words, lang)


def parse_multiple(reply: str, labels: list[str], lang: str | None) -> tuple[int, ...]:
    """The 0-based choices a reply names ("1 3", "1,3", "bir və üç", "вода, дороги"), in order
    and once each; () unless every part of the reply names a choice."""
    words = split(reply).words
    if not words:
        return ()
    numbers: list[int] = []
    for word in words:
        if word in _AND_WORDS:
            continue
        if word.isdigit():
            numbers.append(int(word))
            continue
        meaning = exact_number(word, lang)
        if meaning is None:
            numbers = []
            break
        numbers.append(meaning.value)
    if numbers:
        if all(1 <= n <= len(labels) for n in numbers):
            return tuple(dict.fromkeys(n - 1 for n in numbers))
        return ()
    return _named(reply, labels, lang)


def _named(reply: str, labels: list[str], lang: str | None) -> tuple[int, ...]:
    """Choices named in words, one per part of a list ("su, yollar", "вода и дороги")."""
    parts = [part.strip() for part in _LIST_BREAK.split(reply) if part.strip()]
    if len(parts) == 1:
        joiners = "|".join(sorted(map(re.escape, _AND_WORDS), key=len, reverse=True))
        parts = [
            p.strip()
            for p in re.split(rf"\s+(?:{joiners})\s+", parts[0], flags=re.IGNORECASE)
            if p.strip()
        ]
    picked: list[int] = []
    for part in parts:
        index = match_option(part, labels, lang)
        if index is None:
            return ()
        picked.append(index)
    return tuple(dict.fromkeys(picked))


def shown_values(question: Question, values: tuple[int, ...]) -> tuple[int, ...]:
    """Stored values as people saw them: choices numbered from 1, numbers and ratings as given."""
    if question.kind in {Kind.SINGLE, Kind.MULTIPLE}:
        return tuple(value + 1 for value in values)
    return values


def is_shown(question: Question, given: dict[int, tuple[int, ...]]) -> bool:
    """Whether `question` is asked, given the answers so far (position → values as people saw
    them; a skipped or free-text answer gives none, and then a question ruled on it is not asked)."""
    rule = question.show_if
    if rule is None:
        return True
    return any(value in rule.answers for value in given.get(rule.question, ()))
