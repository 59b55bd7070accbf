"""Which poll option a free-text reply picks ("2", "ikinci", "voda", "yollar əlbəttə"), or None."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from fikir.polls import lexicon
from fikir.polls.evidence import Hit as _Hit
from fikir.polls.evidence import Match as _Match
from fikir.polls.evidence import Rank as _Rank
from fikir.polls.labels import CONTENT, NEGATOR, Label, PollLabels
from fikir.polls.numbers import LAST, exact_number, lookup, number_value
from fikir.polls.tokens import Reply, normalise_digits, split
from fikir.polls.topics import known_topics
from fikir.polls.translit import word_keys
from fikir.polls.wordmatch import BASE, INFLECTED, word_quality

Options = Sequence[str] | Sequence[Sequence[str]]

# Letters name options only in short lists, in the order each alphabet is taught.
_MAX_LETTER_OPTIONS = 8
_LETTERS = ("abcdefgh", "абвгдежз", "აბგდევზთ")
_LETTER_HOMOGLYPHS = {"с": "c"}
_FAST_DIGIT = re.compile(r"\s*[#(\[]?\s*(\d{1,3})\s*[.)\]:!,]?\s*")
# A reply with at most this many meaningful words may name an option by a bare cardinal ("iki").
_SHORT_REPLY = 2
_LEZGIAN_ORDINAL = frozenset(word_keys("лагьай"))
_STEERING = (
    "DONT_KNOW",
    "NONE",
    "BOTH",
    "ALL",
    "EXCEPT",
    "IDIOMS",
    "MARKERS",
    "FILLER",
    "UNITS",
    "ASSURANCE",
)


class OptionMatcher:
    """Reads replies against one poll's options; build once per poll (see `matcher_for`)."""

    def __init__(self, options: Sequence[Sequence[str]], lang: str | None = None) -> None:
        self.poll = PollLabels(options, lang)
        self.size = self.poll.size
        self.lang = lang

    def match(self, reply: str) -> int | None:
        """The 0-based option the reply picks, or None unless it picks exactly one."""
        text = normalise_digits(reply)
        fast = _FAST_DIGIT.fullmatch(text)
        if fast:
            value = int(fast.group(1))
            return value - 1 if 1 <= value <= self.size else None
        parsed = split(text)
        if not parsed.words:
            return None
        whole = self.poll.exact.get(" ".join(parsed.keys))
        numeral = any(exact_number(w, self.lang) is not None for w in parsed.words)
        if whole is not None and len(whole) == 1 and not numeral:
            return next(iter(whole))
        return _Reading(self, parsed).decide()


class _Reading:
    """The evidence found in one reply: option words, numbers, letters, and what cancels them."""

    def __init__(self, matcher: OptionMatcher, reply: Reply) -> None:
        self.m = matcher
        self.poll = matcher.poll
        self.r = reply
        self.n = len(reply.words)
        self.by_initial: dict[str, list[int]] = {}
        for p, key in enumerate(reply.keys):
            self.by_initial.setdefault(key[:1], []).append(p)
        self.known = [
            known_topics(w, k, matcher.lang) for w, k in zip(reply.words, reply.keys, strict=True)
        ]
        self.special = self._phrase_positions()
        # Words spelled exactly as a number word: only the same word in a label may claim them,
        # never a look-alike ("кьвед" is two, not the "кьве" or "квез" of an option's label).
        self.numerals = {
            p: w for p, w in enumerate(reply.words) if exact_number(w, matcher.lang) is not None
        }
        self.covered = {
            name: {p for a, b in spans for p in range(a, b + 1)}
            for name, spans in self.special.items()
        }
        self.matches = self._resolve(self._label_matches())
        self.single = False
        self.consumed = {
            p for match in self.matches for h in match.hits for p in range(h.first, h.last + 1)
        }

    def _phrase_positions(self) -> dict[str, list[tuple[int, int]]]:
        """Where the steering phrases (don't know, none, both, all, except, idioms …) occur."""
        found: dict[str, list[tuple[int, int]]] = {}
        keys = self.r.keys
        for name in _STEERING:
            index = lexicon.by_first_word(name)
            for start, key in enumerate(keys):
                for phrase in index.get(key, ()):
                    if keys[start : start + len(phrase)] == phrase:
                        found.setdefault(name, []).append((start, start + len(phrase) - 1))
                        break
        return found

    def _in(self, name: str, pos: int) -> bool:
        """True when the word at pos is part of a phrase from the named list."""
        return pos in self.covered.get(name, ())

    def _label_matches(self) -> list[_Match]:
        """The best match of every option's labels against the reply."""
        best: dict[int, _Match] = {}
        synonyms = self.poll.synonyms
        candidates = [label for initial in self.by_initial for label in synonyms.get(initial, ())]
        for label in [*self.poll.labels, *dict.fromkeys(candidates)]:
            match = self._align(label)
            if match is None or not any(h.role != NEGATOR for h in match.hits):
                continue
            old = best.get(label.option)
            if old is None or match.rank() > old.rank():
                best[label.option] = match
        return list(best.values())

    def _positions(self, initials: frozenset[str]) -> list[int]:
        """Reply positions whose word starts with one of the given characters."""
        found: list[int] = []
        for ch in initials:
            found.extend(self.by_initial.get(ch, ()))
        return sorted(found) if len(initials) > 1 else found

    def _align(self, label: Label) -> _Match | None:
        """Find each label word in the reply (single words, or two words typed apart)."""
        keys, lang = self.r.keys, self.m.lang
        used: set[int] = set()
        hits: list[_Hit] = []
        floor = INFLECTED if label.synonym else 0.0
        whole = label.exact_only or label.synonym
        for word in label.words:
            top = (0.0, -1, -1)
            for p in self._positions(word.initials):
                if p in used or self.numerals.get(p, word.folded) != word.folded:
                    continue
                q = max(word_quality(keys[p], k, label.exact_only, lang) for k in word.keys)
                if q < BASE and self._other_word(p, label.option):
                    q = 0.0
                if q > top[0] and q >= floor:
                    top = (q, p, p)
                splittable = p + 1 < self.n and len(keys[p]) <= 3 and not self.r.breaks[p + 1]
                if splittable and p + 1 not in used and not whole:
                    pair = keys[p] + keys[p + 1]
                    q2 = max(word_quality(pair, k, False, lang) for k in word.keys)
                    if q2 >= INFLECTED and q2 > top[0]:
                        top = (q2, p, p + 1)
            if top[0] > 0:
                used.update(range(top[1], top[2] + 1))
                hits.append(_Hit(top[1], top[2], top[0], word.role))
        if not hits or (whole and len(hits) < len(label.words)):
            return None
        return _Match(label.option, hits, len(label.words), label.synonym)

    def _other_word(self, p: int, option: int) -> bool:
        """True when the reply word is a known everyday word of topics the option does not mention
        ("дорогие" is "expensive", not a misspelt "Дороги")."""
        topics = self.known[p]
        return topics is not None and not topics & self.poll.topics.get(option, set())

    @staticmethod
    def _resolve(matches: list[_Match]) -> list[_Match]:
        """Give each reply word to the option that explains it best ("çox razıyam" over "razıyam")."""
        owner: dict[int, _Rank] = {}
        for match in matches:
            for hit in match.hits:
                for p in range(hit.first, hit.last + 1):
                    owner[p] = max(owner.get(p, (-1, -1, -1, -99, -1, -1.0)), match.rank())
        kept: list[_Match] = []
        for match in matches:
            rank = match.rank()
            hits = [
                h for h in match.hits if all(owner[p] <= rank for p in range(h.first, h.last + 1))
            ]
            if any(h.role != NEGATOR for h in hits):
                kept.append(_Match(match.option, hits, match.size, match.synonym))
        return kept

    def _negated(self, first: int, last: int) -> bool:
        """True when a negation word stands right before or after the span, not across punctuation."""
        keys, breaks = self.r.keys, self.r.breaks
        modifiers = lexicon.single_keys("MODIFIERS")
        p = first - 1
        while p >= 0 and keys[p] in modifiers and not breaks[p + 1]:
            p -= 1  # "не очень доволен": skip the intensifier
        if p >= 0 and not breaks[p + 1] and p not in self.consumed:
            if keys[p] in lexicon.single_keys("NEGATE_BEFORE"):
                return True
        q = last + 1
        while q < self.n and self.r.glued[q]:
            q += 1  # "2-ci yox": skip the ending
        return (
            q < self.n
            and not breaks[q]
            and q not in self.consumed
            and keys[q] in lexicon.single_keys("NEGATE_AFTER")
        )

    def _cancelled(self) -> bool:
        """True when the reply says don't know, none, both, all (of them) or all except."""
        for name in ("DONT_KNOW", "NONE", "BOTH", "EXCEPT", "ALL"):
            for a, b in self.special.get(name, ()):
                if any(p in self.consumed for p in range(a, b + 1)):
                    continue  # the phrase is an option's own label ("Heç biri", "Не знаю")
                if name == "ALL" and b + 1 < self.n and (b + 1) in self.consumed:
                    continue  # "все дороги": "all" qualifies an option word
                if name == "ALL" and self._in("UNITS", b + 1):
                    continue  # "every day": how often, not every option
                if name == "NONE" and any(p < a for p in self._content_positions()):
                    continue  # "narazıyam, heç nə etmirlər": "nothing" belongs to the explanation
                return True
        return False

    def _listed(self) -> bool:
        """True when the reply lists things: a conjunction or punctuation between its words."""
        conjunctions = lexicon.single_keys("CONJUNCTIONS")
        return any(self.r.breaks[1:]) or any(k in conjunctions for k in self.r.keys)

    def _content_positions(self) -> list[int]:
        """Reply positions where an option's content word was found."""
        return [h.first for m in self.matches for h in m.hits if h.role == CONTENT]

    def _meaningful(self) -> list[int]:
        """Positions of words that are neither filler, markers, nor endings glued to a number."""
        out = []
        keys, glued = self.r.keys, self.r.glued
        for p in range(self.n):
            if self._in("FILLER", p) or self._in("MARKERS", p):
                continue
            if glued[p] and p > 0 and keys[p - 1].isdigit() and not keys[p].isdigit():
                continue
            out.append(p)
        return out

    def _numbers(self, short: bool) -> tuple[list[tuple[int, int]], bool]:
        """Options named by digits or number words, as (option, position), and whether one was invalid.

        Bare cardinals ("one", "bir") count only when nothing firmer names an option: in
        "the second one" the "one" is a pronoun.
        """
        firm: list[tuple[int, int]] = []
        bare: list[tuple[int, int]] = []
        invalid = False
        for p in range(self.n):
            if p in self.consumed or self._in("IDIOMS", p):
                continue
            word, key = self.r.words[p], self.r.keys[p]
            unit_follows = p + 1 < self.n and self._in("UNITS", p + 1)
            last = p
            if word.isdigit():
                if unit_follows or len(word) >= 4:
                    continue  # "2 il", "2020"
                value = int(word)
                while (
                    last + 1 < self.n
                    and self.r.glued[last + 1]
                    and not self.r.words[last + 1].isdigit()
                ):
                    last += 1
                target = firm
            else:
                meaning = number_value(lookup(word, key, typos=self.single), self.m.lang)
                if meaning is None or unit_follows:
                    continue
                ordinal = meaning.ordinal or (
                    p + 1 < self.n and self.r.keys[p + 1] in _LEZGIAN_ORDINAL
                )
                near_marker = any(
                    self._in("MARKERS", q) for q in range(max(0, p - 2), min(self.n, p + 3))
                )
                if not (ordinal or short or near_marker):
                    continue
                value = self.size if meaning.value == LAST else meaning.value
                target = firm if ordinal or near_marker else bare
            if self._negated(p, last):
                continue
            if 1 <= value <= self.size:
                target.append((value - 1, p))
            elif target is firm:
                invalid = True
        return (firm or bare), invalid

    @property
    def size(self) -> int:
        """Number of options in the poll."""
        return self.poll.size

    def _letter(self, meaningful: list[int]) -> int | None:
        """An option named by a lone letter ("B", "б)", "variant c")."""
        if not meaningful and self.n == 1:
            meaningful = [0]  # "a" alone is a letter even though it is also an article
        if len(meaningful) != 1 or self.size > _MAX_LETTER_OPTIONS:
            return None
        word = self.r.words[meaningful[0]]
        word = _LETTER_HOMOGLYPHS.get(word, word)
        if len(word) != 1:
            return None
        for alphabet in _LETTERS:
            index = alphabet.find(word)
            if index >= 0:
                return index if index < self.size else None
        return None

    def _named_options(self) -> tuple[dict[int, int], dict[int, int], set[int]]:
        """Options named by their words: by content, by modifiers only, and named in full."""
        named: dict[int, int] = {}
        weak: dict[int, int] = {}
        whole: set[int] = set()
        assured = False
        for match in self.matches:
            spans = [h for h in match.hits if h.role != NEGATOR]
            first = min(h.first for h in match.hits)
            last = max(h.last for h in match.hits)
            option = match.option
            if self._negated(first, last):
                if option not in self.poll.opposite:
                    continue
                option = self.poll.opposite[option]  # "not satisfied" names "Dissatisfied"
            if option == self.poll.yes and all(self._in("ASSURANCE", h.first) for h in spans):
                assured = True
            target = named if any(h.role == CONTENT for h in spans) else weak
            target.setdefault(option, first)
            if match.full and match.size >= 2 and option == match.option:
                whole.add(option)
        if assured and self.poll.no in named and self.poll.yes in named:
            del named[self.poll.yes]  # "конечно нет": the assurance only stresses the "no"
        return named, weak, whole

    def decide(self) -> int | None:
        """Weigh the evidence: exactly one option named, nothing cancelling it."""
        if self._cancelled():
            return None
        meaningful = self._meaningful()
        short = len(meaningful) <= _SHORT_REPLY
        self.single = len(meaningful) == 1  # only a lone word may be a misspelt number ("vtaroy")
        refs, invalid = self._numbers(short)
        named, weak, whole = self._named_options()
        if not named and not refs and len(meaningful) == 1 and self.poll.no is not None:
            if self.r.keys[meaningful[0]] in lexicon.single_keys("NEGATE_BEFORE"):
                return self.poll.no  # a bare "не" / "nə" answers a yes/no question
        chosen = {option for option, _ in refs}
        if invalid and (short or not (chosen or named)):
            return None
        if len(chosen) > 1:
            return None
        if chosen:
            pick = next(iter(chosen))
            others = [p for o, p in named.items() if o != pick]
            # "3. Çünki yollar pisdir": a number that comes first outweighs the words explaining it.
            return pick if not others or min(p for _, p in refs) < min(others) else None
        if len(named) == 1:
            return next(iter(named))
        if len(whole) == 1 and not self._listed():
            return next(iter(whole))  # "uşaqlar üçün idman meydançası": one label in full
        if named:
            return None
        if len(weak) == 1:
            return next(iter(weak))
        if weak:
            return None
        return self._letter(meaningful)


@lru_cache(maxsize=512)
def matcher_for(options: tuple[tuple[str, ...], ...], lang: str | None = None) -> OptionMatcher:
    """The cached matcher for one poll's options (and the respondent's language, if known)."""
    return OptionMatcher(options, lang)


def match_option(reply: str, options: Options, lang: str | None = None) -> int | None:
    """Return the 0-based index of the option `reply` picks, or None unless it picks exactly one.

    `options` holds one label per option, or per option a sequence of its labels in several
    languages (any of which may be typed); `lang` is the respondent's language when known.
    """
    key = tuple((o,) if isinstance(o, str) else tuple(o) for o in options)
    return matcher_for(key, lang).match(reply)


__all__ = ["OptionMatcher", "match_option", "matcher_for"]
