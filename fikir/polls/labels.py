"""A poll's option labels prepared for matching: spellings, yes/no sense, and which option negates which."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from fikir.polls import lexicon
from fikir.polls.synonyms import option_topics, synonym_words
from fikir.polls.tokens import split
from fikir.polls.translit import loose, word_keys
from fikir.polls.wordmatch import CLOSE, INFLECTED, word_quality

CONTENT, MODIFIER, NEGATOR = 0, 1, 2
_LABEL_NUMBERING = re.compile(r"^\s*\d{1,2}\s*(?:[.):]|-(?!\s*\d))\s*")
# Prefixes that turn a word into its opposite ("narazı", "недоволен", "unsatisfied", "უკმაყოფილო").
_NEGATING_PREFIXES = ("na", "ne", "ni", "un", "dis", "in", "u", "bez", "bes")


@lru_cache(maxsize=4096)
def _initials(keys: tuple[str, ...]) -> frozenset[str]:
    """The first characters of some keys."""
    return frozenset(k[:1] for k in keys)


@dataclass(frozen=True)
class LabelWord:
    """One word of an option label: its loose keys in every spelling and what role it plays."""

    keys: tuple[str, ...]
    role: int
    # The word as typed (folded), where one is known: loose keys merge letters that spell
    # different words ("кьуд" four and "кӏуьд" nine are both "kud").
    folded: str = ""

    @property
    def initials(self) -> frozenset[str]:
        """First letters of the word's spellings: every kind of match keeps the first letter."""
        return _initials(self.keys)


@dataclass(frozen=True)
class Label:
    """One way of naming an option: its words, and whether only exact typing counts (yes/no words)."""

    option: int
    words: tuple[LabelWord, ...]
    exact_only: bool = False
    # An everyday word of a topic the option's label mentions ("işıq" for "Elektrik enerjisi").
    synonym: bool = False


def label_words(label: str) -> tuple[LabelWord, ...]:
    """The meaningful words of one label, with their roles."""
    stop = lexicon.single_keys("STOPWORDS")
    negators = lexicon.single_keys("NEGATE_BEFORE") | lexicon.single_keys("NEGATE_AFTER")
    modifiers = lexicon.single_keys("MODIFIERS")
    words: list[LabelWord] = []
    for token in split(_LABEL_NUMBERING.sub("", label)).words:
        keys = (token,) if token.isdigit() else word_keys(token)
        role = NEGATOR if keys[0] in negators else MODIFIER if keys[0] in modifiers else CONTENT
        words.append(LabelWord(keys, role, token))
    meaningful = tuple(w for w in words if w.keys[0] not in stop)
    return meaningful or tuple(words)


def _yes_no_class(words: tuple[LabelWord, ...]) -> str | None:
    """'yes' or 'no' when a label is a yes/no answer ("Bəli", "Нет", "Razı deyiləm")."""
    if not words:
        return None
    first = words[0].keys[0]
    whole = tuple(w.keys[0] for w in words)
    negated = any(w.role == NEGATOR for w in words)
    if first in lexicon.single_keys("YES") or whole in lexicon.compiled("YES"):
        return "no" if negated else "yes"
    if first in lexicon.single_keys("NO") or whole in lexicon.compiled("NO"):
        return "no"
    return None


def _spellings(words: tuple[LabelWord, ...]) -> list[tuple[str, ...]]:
    """Every combination of word spellings of a label (at most 64), for whole-reply matching."""
    out: list[tuple[str, ...]] = [()]
    for word in words:
        out = [(*prefix, key) for prefix in out for key in word.keys][:64]
    return out


def _same_word(a: LabelWord, b: LabelWord) -> bool:
    """True when two label words are spellings of one word."""
    return any(word_quality(x, y) >= CLOSE for x in a.keys for y in b.keys)


def _negated_word(neg: LabelWord, plain: LabelWord) -> bool:
    """True when `neg` is `plain` with a negating prefix ("narazıyam" / "razıyam")."""
    for n in neg.keys:
        for prefix in _NEGATING_PREFIXES:
            if n.startswith(prefix) and len(n) > len(prefix) + 2:
                rest = n[len(prefix) :]
                for k in plain.keys:
                    if word_quality(rest, k) >= INFLECTED or loose(prefix + k) == n:
                        return True
    return False


def _negates(neg: tuple[LabelWord, ...], plain: tuple[LabelWord, ...]) -> bool:
    """True when label `neg` says the opposite of label `plain` ("Рази туш"/"Рази", "Недоволен"/"Доволен")."""
    if any(w.role != CONTENT for w in plain) or any(w.role == MODIFIER for w in neg):
        return False
    content = [w for w in neg if w.role == CONTENT]
    if len(content) != len(plain):
        return False
    if len(content) < len(neg):
        return all(_same_word(a, b) for a, b in zip(content, plain, strict=True))
    differing = [(a, b) for a, b in zip(content, plain, strict=True) if not _same_word(a, b)]
    return len(differing) == 1 and _negated_word(*differing[0])


def _opposites(labels: list[Label]) -> dict[int, int]:
    """For each option, the single option that negates it, if the poll has one."""
    found: dict[int, set[int]] = {}
    for a in labels:
        for b in labels:
            if a.option != b.option and _negates(b.words, a.words):
                found.setdefault(a.option, set()).add(b.option)
    return {option: next(iter(js)) for option, js in found.items() if len(js) == 1}


def _antonym_spellings(labels: list[Label], opposite: dict[int, int]) -> list[Label]:
    """Other negated spellings of an option's opposite ("unsatisfied" for "Dissatisfied")."""
    out: list[Label] = []
    for label in labels:
        target = opposite.get(label.option)
        if target is None or label.exact_only or any(w.role != CONTENT for w in label.words):
            continue
        last = label.words[-1]
        if min(len(k) for k in last.keys) < 4:
            continue
        keys = tuple(dict.fromkeys(loose(p + k) for p in _NEGATING_PREFIXES for k in last.keys))
        out.append(Label(target, (*label.words[:-1], LabelWord(keys, CONTENT))))
    return out


def _merged(words: tuple[LabelWord, ...]) -> list[tuple[LabelWord, ...]]:
    """The label typed with words run together: "недоволен" for "не доволен", "işyerləri"."""
    out: list[tuple[LabelWord, ...]] = []
    for i, word in enumerate(words[:-1]):
        if word.role == NEGATOR and len(word.keys[0]) <= 3:
            nxt = words[i + 1]
            joined = LabelWord(tuple(a + b for a in word.keys for b in nxt.keys), CONTENT)
            out.append((*words[:i], joined, *words[i + 2 :]))
            break
    if len(words) == 2 and all(w.role == CONTENT for w in words):
        first, second = words
        out.append((LabelWord(tuple(a + b for a in first.keys for b in second.keys), CONTENT),))
    return out


class PollLabels:
    """Everything matching needs to know about one poll's options, computed once."""

    def __init__(self, options: Sequence[Sequence[str]], lang: str | None = None) -> None:
        self.size = len(options)
        self.labels: list[Label] = []
        self.exact: dict[str, set[int]] = {}
        classes: dict[str, list[int]] = {"yes": [], "no": []}
        for index, names in enumerate(options):
            option_classes: set[str] = set()
            for name in names:
                words = label_words(name)
                if not words:
                    continue
                self.labels.append(Label(index, words))
                for spelling in _spellings(words):
                    self.exact.setdefault(" ".join(spelling), set()).add(index)
                self.labels.extend(Label(index, merged) for merged in _merged(words))
                cls = _yes_no_class(words)
                if cls:
                    option_classes.add(cls)
            for cls in option_classes:
                classes[cls].append(index)
        self.opposite = _opposites(self.labels)
        self.labels.extend(_antonym_spellings(self.labels, self.opposite))
        named = [(index, name) for index, names in enumerate(options) for name in names]
        self.topics = option_topics(named, lang)
        # Everyday words of the options' topics, by first letter: a reply reads only a few of them.
        self.synonyms: dict[str, list[Label]] = {}
        for option, keys in synonym_words(self.topics, lang):
            label = Label(option, tuple(LabelWord(k, CONTENT) for k in keys), synonym=True)
            for initial in label.words[0].initials:
                self.synonyms.setdefault(initial, []).append(label)
        yes = classes["yes"][0] if len(classes["yes"]) == 1 else None
        no = classes["no"][0] if len(classes["no"]) == 1 else None
        self.yes: int | None = None
        self.no: int | None = None
        if yes is not None and no is not None and yes != no:
            self.yes, self.no = yes, no
            self.opposite[yes] = no
            self.labels = [_particle(label, (yes, no)) for label in self.labels]
            self._add_yes_no_words(yes, "YES")
            self._add_yes_no_words(no, "NO")

    def _add_yes_no_words(self, option: int, name: str) -> None:
        """Let every language's yes (or no) words name a yes/no option, typed exactly."""
        negators = lexicon.single_keys("NEGATE_BEFORE")
        for phrase in lexicon.compiled(name):
            if len(phrase) == 1 and phrase[0] in negators:
                continue  # a bare "не"/"nə" is read as "no" only when it is the whole reply
            words = tuple(LabelWord((k,), CONTENT) for k in phrase)
            self.labels.append(Label(option, words, exact_only=True))


def _particle(label: Label, options: tuple[int, int]) -> Label:
    """A yes/no option's label that is a yes/no word is matched exactly: such words take no
    endings, and a longer word that starts like one is another word ("xeyriyyə" is not "Xeyr")."""
    if label.option not in options or label.exact_only:
        return label
    answers = lexicon.single_keys("YES") | lexicon.single_keys("NO")
    if all(any(k in answers for k in w.keys) for w in label.words):
        return Label(label.option, label.words, exact_only=True)
    return label
