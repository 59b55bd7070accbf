"""The safety detector: lexicon terms of every language matched at once on folded text (people
mix languages and scripts), weighed up per category with victim and distance cues; then the
model, which has read what the lexicons found, says whether the message needs a response."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from fikir.i18n.textfold import az_cyrillic_to_latin, to_latin
from fikir.safety.categories import FRAMING, decide
from fikir.safety.lexicon import (
    CATEGORIES,
    DISTANCE,
    IGNORE,
    LEXICON_DIR,
    NEGATION,
    PARTICIPATION,
    PENALTY,
    VICTIM,
    Term,
    load_terms,
    normalise,
)
from fikir.safety.model import MODEL_PATH, StemModel, features
from fikir.safety.model import THRESHOLD as MODEL_THRESHOLD

# The model alone, with no category from the lexicons, must be surer: "my son is 10 and does
# well at school" shares words with reports about children (bench/safety_model.py).
MODEL_ALONE = 0.45
# ...and surer still for a category whose subject the lexicons did not see (`_named`).
UNNAMED = 0.65
THRESHOLD = 0.7  # the weight a category needs: one strong term, or a weak one with a second cue
# A reprisal is two things (taking part, then a penalty), so one half alone is not enough.
THRESHOLDS = {"reprisal": 1.0}
# Letters only Azerbaijani Cyrillic has: such a message is also read in its Latin spelling.
_AZ_CYRILLIC = frozenset("әөүјғҹһҝӘӨҮЈҒҸҺҜ")
_WHO = 0.4  # the most a word naming only the person concerned weighs
_PERSONAL = frozenset({"violence", "self_harm", "threat"})
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Laughter said in emoji or letters puts a message at a distance, as a film or a price does:
# "the boss will kill me 😂" (folding drops emoji, so the raw text is read).
_LAUGHTER = re.compile(
    r"[\U0001F602\U0001F923\U0001F604\U0001F606\U0001F605\U0001F601]|\b(?:ха){2,}|\b(?:ha){2,}\b|\blol\b",
    re.I,
)
_JOKING = 0.5
# Someone who speaks of wanting to die often speaks of war or prices too: such words take only
# this share of their weight off self-harm.
_SELF_DISTANCE = 0.5
# "Me" or "my husband" make harm personal, but only harm some word names: fear alone ("I am
# afraid") plus "me" is no report of violence.
_SUBSTANCE = 0.4


@dataclass(frozen=True)
class Hit:
    """A term found in a message, with the words as they read after folding."""

    term: Term
    words: str


@dataclass
class Scan:
    """Everything the lexicons found in one message, before categories are decided."""

    hits: list[Hit] = field(default_factory=list)
    cues: dict[str, list[Hit]] = field(default_factory=dict)
    views: list[str] = field(default_factory=list)  # the folded forms read (`views`)
    # A term the lexicons know was negated: the model, which cannot tell "не бьет" from
    # "бьет", then defers to them.
    set_aside: bool = False
    joking: bool = False


class _Index:
    """Terms by the first letters they can start with, tried in priority order at each word."""

    def __init__(self, terms: list[Term]) -> None:
        self.terms = terms
        self.regexes = [re.compile(term.regex) for term in terms]
        by_start: dict[str, list[int]] = {}
        for index, term in enumerate(terms):
            for start in term.starts:
                by_start.setdefault(start, []).append(index)
        self.by_start = by_start

    def candidates(self, view: str, position: int) -> list[int]:
        """Terms that may start at `position`, in priority order."""
        two = self.by_start.get(view[position : position + 2], [])
        one = self.by_start.get(view[position], [])
        anywhere = self.by_start.get("", [])
        found = two + one + anywhere
        return sorted(found) if len(found) > max(len(two), len(one), len(anywhere)) else found


def _needs(category: str) -> float:
    """The weight `category` needs to be found."""
    return THRESHOLDS.get(category, THRESHOLD)


def _strongest(found: Scan, section: str) -> float:
    """The weight of the strongest cue of `section` found."""
    return max((hit.term.weight for hit in found.cues.get(section, ())), default=0.0)


def _named(category: str, found: Scan) -> bool:
    """Whether the lexicons saw what the model's `category` is about, when it needs one: a
    reprisal needs a penalty ("i wrote to you about the bus" is none), a child's abuse a child
    ("my father retired and works in the garden" is none)."""
    if category == "reprisal":
        return PENALTY in found.cues
    if category == "child_abuse":
        return any(hit.term.section == "child_abuse" for hit in found.hits)
    return True


def _word_starts(view: str) -> list[int]:
    return [0] + [i + 1 for i, ch in enumerate(view) if ch == " "] if view else []


class SafetyDetector:
    """Finds safety categories in texts; build one with `SafetyDetector.load()` and share it."""

    def __init__(
        self,
        terms: list[Term],
        model: StemModel | None = None,
        model_threshold: float = MODEL_THRESHOLD,
        alone_threshold: float = MODEL_ALONE,
    ) -> None:
        self.model = model
        self.model_threshold = model_threshold
        self.alone_threshold = alone_threshold
        # Where two terms could start at the same word the earlier wins and takes its words:
        # words to ignore first, then longer phrases and stems, so "özümü öldürəcəm" is
        # self-harm and not a threat, and "öldürücü qiymətlər" nothing.
        rank = {section: i for i, section in enumerate((IGNORE, *CATEGORIES))}
        main = [term for term in terms if term.section in rank]
        main.sort(
            key=lambda t: (t.section != IGNORE, -t.words, -t.weight, -len(t.text), rank[t.section])
        )
        self._main = _Index(main)
        self._cues = {
            section: _Index([term for term in terms if term.section == section])
            for section in (VICTIM, DISTANCE, PARTICIPATION, PENALTY)
        }
        self._negations = frozenset(
            normalise(term.text) for term in terms if term.section == NEGATION
        )

    @classmethod
    def load(cls, directory: Path = LEXICON_DIR, model: Path | None = MODEL_PATH) -> SafetyDetector:
        """Build a detector from the shipped lexicon files and, unless `model` is None, the
        shipped model."""
        return cls(load_terms(directory), StemModel.load(model) if model else None)

    def views(self, text: str, lang: str | None) -> list[str]:
        """The folded forms a message is read in: as written, and Azerbaijani Cyrillic in Latin,
        both letter for letter ("чағырдылар" as "çağırdılar") and as chat Latin."""
        views = [normalise(text)]
        cyrillic = _CYRILLIC.search(text) is not None
        if cyrillic and (lang in ("az", "tly") or not _AZ_CYRILLIC.isdisjoint(text)):
            views.append(normalise(az_cyrillic_to_latin(text.lower())))
            views.append(normalise(to_latin(text)))
        return views

    def scan(self, text: str, lang: str | None = None) -> Scan:
        """Collect the terms and cues found in `text`; `lang` is a hint, not a filter."""
        found = Scan(joking=_LAUGHTER.search(text) is not None)
        seen: set[int] = set()
        found.views = self.views(text, lang)
        for view in found.views:
            starts = _word_starts(view)
            claimed_to = 0
            for position in starts:
                if position < claimed_to:
                    continue
                for index in self._main.candidates(view, position):
                    match = self._main.regexes[index].match(view, position)
                    if match is None:
                        continue
                    claimed_to = match.end()
                    term = self._main.terms[index]
                    if self._negated(view, position, match, term):
                        found.set_aside = True
                    elif index not in seen:
                        seen.add(index)
                        found.hits.append(Hit(term, match.group(0)))
                    break
            for section, cues in self._cues.items():
                for position in starts:
                    for index in cues.candidates(view, position):
                        match = cues.regexes[index].match(view, position)
                        if match is not None:
                            found.cues.setdefault(section, []).append(
                                Hit(cues.terms[index], match.group(0))
                            )
                            break
        return found

    def _negated(self, view: str, start: int, match: re.Match[str], term: Term) -> bool:
        """A negation right before the words, or between a phrase's words ("отец не бьет")."""
        if not self._negations:
            return False
        before = view[: start - 1].rsplit(" ", 1)[-1] if start else ""
        inside = set(match.group(0).split()) - set(
            normalise(re.sub("[/_]", " ", term.text)).split()
        )
        return before in self._negations or not inside.isdisjoint(self._negations)

    def scores(self, found: Scan) -> dict[str, float]:
        """Weight per category with some evidence, victim and distance cues applied."""
        raw: dict[str, float] = {}
        # Words that only say who ("a girl", "13 years old", "my son") are one cue however many:
        # "my 13 year old daughter won the cup" is not yet a child's abuse.
        who: dict[str, float] = {}
        for hit in found.hits:
            if hit.term.section == IGNORE:
                continue
            if hit.term.unless == "violence" and hit.term.weight <= _WHO:
                section = hit.term.section
                who[section] = max(who.get(section, 0.0), hit.term.weight)
                continue
            for category, weight in ((hit.term.section, hit.term.weight), *hit.term.also):
                raw[category] = raw.get(category, 0.0) + weight
        for category, weight in who.items():
            raw[category] = raw.get(category, 0.0) + weight
        victim, distance, took_part, penalty = (
            max((h.term.weight for h in found.cues.get(section, ())), default=0.0)
            for section in (VICTIM, DISTANCE, PARTICIPATION, PENALTY)
        )
        distance = max(distance, _JOKING if found.joking else 0.0)
        both_halves = bool(took_part and penalty)
        if both_halves:
            # Writing, complaining or answering, and then a penalty: a reprisal in any order.
            raw["reprisal"] = raw.get("reprisal", 0.0) + took_part + penalty
        # "Me", "my husband" make harm personal; a child's abuse or a reprisal needs more. A
        # penalty is often worded with a distance word (grades, prices, an inspection), so a
        # reprisal with both halves is never talked away by one.
        scores = {
            category: value
            - (0.0 if category == "reprisal" and both_halves else distance)
            * (_SELF_DISTANCE if category == "self_harm" else 1.0)
            + (victim if category in _PERSONAL and value >= _SUBSTANCE else 0.0)
            for category, value in raw.items()
            if value > 0
        }
        # A term may stand for a category only when a stronger reading is absent: "threatened
        # me with dismissal for writing" is a reprisal, not also a threat of harm.
        firm = {category for category, value in scores.items() if value >= _needs(category)}
        for hit in found.hits:
            unless, section = hit.term.unless, hit.term.section
            framing = section == "threat" and "reprisal" in firm and hit.term.weight < FRAMING
            if (unless in firm or framing) and section in scores:
                scores[section] -= hit.term.weight
        # "Said that", "if", "my family" frame a threat; without a word of menace they are none.
        menace = any(h.term.section == "threat" and h.term.weight >= FRAMING for h in found.hits)
        if "threat" in scores and not menace:
            scores["threat"] = 0.0
        return scores

    def model_text(self, text: str, lang: str | None) -> str:
        """What the model reads: every view of the message, so Cyrillic Azerbaijani counts too."""
        return " ".join(self.views(text, lang))

    def model_features(
        self, text: str, lang: str | None, found: Scan | None = None
    ) -> frozenset[str]:
        """The model's features of `text` (see `_features`)."""
        found = found if found is not None else self.scan(text, lang)
        return self._features(found, self.scores(found))

    def _features(self, found: Scan, scores: dict[str, float]) -> frozenset[str]:
        """The words' stems, pieces and pairs, and what the lexicons saw (each term, its
        category, the cues, the categories they would decide, a negation, a laugh), so the
        model learns from the labelled messages how far to trust each of them."""
        result = set(features(" ".join(found.views)))
        result.update("L:" + hit.term.section for hit in found.hits)
        result.update("T:" + hit.term.text for hit in found.hits)
        result.update("C:" + section for section in found.cues)
        result.update("S:" + c for c, v in scores.items() if v >= _needs(c))
        if found.joking:
            result.add("C:joke")
        if found.set_aside:
            result.add("C:neg")
        return frozenset(result)

    def _decide(
        self, text: str, lang: str | None, scan: Scan | None = None
    ) -> tuple[tuple[str, ...], float | None]:
        """The categories found and the model's probability (None without a model). The
        lexicons name the categories; the model says whether the message needs a response at
        all, and names the category itself when the lexicons name none. The message is scanned
        and scored once for both."""
        scan = scan if scan is not None else self.scan(text, lang)
        scores = self.scores(scan)
        lexical = decide(scores, _needs, _strongest(scan, PARTICIPATION))
        if self.model is None:
            return lexical, None
        verdict = self.model.verdict(self._features(scan, scores))
        if verdict.probability < self.model_threshold:
            return (), verdict.probability
        if lexical:
            return lexical, verdict.probability
        if scan.set_aside:
            # "Отец не бьет детей": the lexicons read the negation, the model's words cannot.
            return (), verdict.probability
        if verdict.probability < max(self.model_threshold, self.alone_threshold):
            return (), verdict.probability
        category = verdict.category
        if not _named(category, scan) and verdict.probability < UNNAMED:
            return (), verdict.probability
        return (category,), verdict.probability

    def detect(self, text: str, lang: str | None = None) -> tuple[str, ...]:
        """The categories found in `text`, in the fixed order of CATEGORIES."""
        return self._decide(text, lang)[0]

    def explain(self, text: str, lang: str | None = None) -> dict[str, list[str]]:
        """For every category found, the words that led to it (cues included) and the model's
        probability."""
        found = self.scan(text, lang)
        categories, probability = self._decide(text, lang, found)
        cues = [f"{section}: {hit.words}" for section, hits in found.cues.items() for hit in hits]
        model = [f"model: {probability:.2f}"] if probability is not None else []
        return {
            category: [hit.words for hit in found.hits if hit.term.section == category]
            + cues
            + model
            for category in categories
        }
