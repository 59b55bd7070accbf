"""The SDG tagger: lexicon evidence from every language at once (real messages mix them), a rule
that picks goals from it, a small trained model that may add goals and orders them, and the
framework areas of the goals chosen."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fikir.config.frameworks import DEFAULT_FRAMEWORK, Framework, load_framework
from fikir.config.languages import LANGUAGES
from fikir.tagging.lexicon import (
    GOAL,
    IGNORE,
    LEXICON_DIR,
    SPAM,
    Entry,
    lexicon_files,
    parse_function_words,
    parse_lexicon,
)
from fikir.tagging.matcher import LexiconIndex
from fikir.tagging.model import MODEL_PATH, GoalModel
from fikir.tagging.normalize import has_url, tokenize
from fikir.tagging.result import Evidence, GoalScore, TagResult

URL_SPAM_WEIGHT = 0.5
TYPO_WEIGHT = 0.8  # a term recognised only by tolerating a typo counts for less
# Languages whose writers borrow freely from others: a Talysh message uses Azerbaijani words,
# a Lezgian one Russian and Azerbaijani ones, so those lexicons' guarded terms apply too.
BORROWS_FROM: dict[str, tuple[str, ...]] = {
    lang.code: lang.borrows_from for lang in LANGUAGES if lang.borrows_from
}


@dataclass(frozen=True)
class ScoringParams:
    """Thresholds of the lexicon scorer, tuned on the dev split only."""

    threshold: float = 0.8  # raw evidence a goal needs
    relative: float = 0.5  # ... and this share of the strongest goal's (saturated) score
    cross_language: float = 1.0  # weight of a term from another language than the message's
    max_goals: int = 4
    typos: bool = True  # recognise a stem with one mistyped letter (at reduced weight)


_detector: Callable[[str], str | None] | None = None
_detector_missing = False


def detect_language(text: str) -> str | None:
    """The i18n detector's answer when that module exists, else None (looked up once)."""
    global _detector, _detector_missing
    if _detector is None and not _detector_missing:
        try:
            from fikir.i18n.detect import detect_language as found
        except ImportError:
            _detector_missing = True
            return None
        _detector = found
    if _detector is None:
        return None
    try:
        return _detector(text)
    except Exception:  # noqa: BLE001 - a detector failure must not lose the message's tags
        return None


class Tagger:
    """Tags texts with SDGs; build one with `Tagger.load()` and share it (it is read-only)."""

    def __init__(
        self,
        entries: list[Entry],
        function_words: dict[str, set[str]],
        framework: Framework,
        model: GoalModel | None = None,
        params: ScoringParams | None = None,
    ) -> None:
        self.params = params or ScoringParams()
        self.index = LexiconIndex(entries, typos=self.params.typos)
        self.function_words = function_words
        self.framework = framework
        self.model = model
        self._word_langs: dict[str, tuple[str, ...]] = {}
        for lang, words in function_words.items():
            for word in words:
                self._word_langs[word] = (*self._word_langs.get(word, ()), lang)

    @classmethod
    def load(
        cls,
        lexicon_dir: Path = LEXICON_DIR,
        framework: str = DEFAULT_FRAMEWORK,
        model_path: Path | None = MODEL_PATH,
        params: ScoringParams | None = None,
    ) -> Tagger:
        """Build a tagger from the shipped data; `model_path=None` tags with lexicons alone."""
        entries: list[Entry] = []
        function_words: dict[str, set[str]] = {}
        for lang, path in lexicon_files(lexicon_dir):
            text = path.read_text(encoding="utf-8")
            entries.extend(parse_lexicon(text, lang, str(path)))
            function_words[lang] = parse_function_words(text)
        model = (
            GoalModel.load(model_path) if model_path is not None and model_path.exists() else None
        )
        return cls(entries, function_words, load_framework(framework), model, params)

    def guess_languages(self, folded: list[str]) -> set[str]:
        """Languages whose function words the message uses most (a cheap second opinion)."""
        counts: dict[str, int] = {}
        for token in folded:
            for lang in self._word_langs.get(token, ()):
                counts[lang] = counts.get(lang, 0) + 1
        if not counts:
            return set()
        top = max(counts.values())
        return {lang for lang, count in counts.items() if count == top}

    def evidence(self, text: str, lang: str | None = None, with_words: bool = False) -> Evidence:
        """Collect the weighted lexicon hits of `text`; `lang` is a hint, not a filter.
        `with_words` also records the words behind each goal (for `explain`)."""
        words, folded = tokenize(text)
        languages = self.guess_languages(folded)
        if lang:
            languages.add(lang)
        found = Evidence(folded=folded, languages=frozenset(languages))
        guarded_ok = set(languages)
        for code in languages:
            guarded_ok.update(BORROWS_FROM.get(code, ()))

        def allowed(entry: Entry) -> bool:
            return not entry.restricted or entry.lang in guarded_ok

        best: dict[tuple[int, tuple[str, ...]], float] = {}
        for hit in self.index.find(words, folded, allowed):
            entry = hit.entry
            if entry.section == IGNORE:
                continue
            factor = 1.0 if not languages or entry.lang in languages else self.params.cross_language
            if hit.fuzzy:
                factor *= TYPO_WEIGHT
            key_words = entry.keys
            if entry.section == SPAM:
                best[(0, key_words)] = max(best.get((0, key_words), 0.0), entry.weights[0][1])
                continue
            if entry.section != GOAL:
                continue
            for goal, weight in entry.weights:
                key = (goal, key_words)
                if weight * factor <= best.get(key, 0.0):
                    continue
                best[key] = weight * factor
                if with_words:
                    goal_words = found.words.setdefault(goal, [])
                    if hit.text not in goal_words:
                        goal_words.append(hit.text)
                if hit.start < found.first.get(goal, hit.start + 1):
                    found.first[goal] = hit.start
        for (goal, _), weight in best.items():
            if goal == 0:
                found.spam += weight
            else:
                found.raw[goal] = found.raw.get(goal, 0.0) + weight
                found.hits[goal] = found.hits.get(goal, 0) + 1
        if has_url(text):
            found.spam += URL_SPAM_WEIGHT
        return found

    def choose(self, found: Evidence) -> list[tuple[int, float]]:
        """Goals and scores in (0, 1], most relevant first, from the collected evidence.

        The lexicon rule decides; the trained model, when present, may add a goal whose weaker
        evidence it finds convincing and orders the goals by its probabilities."""
        chosen = self.lexicon_choice(found)
        if self.model is None:
            return chosen[: self.params.max_goals]
        probs = self.model.probabilities(found)
        scores = dict(chosen)
        for goal, probability in probs.items():
            if probability >= self.model.threshold or goal in scores:
                scores[goal] = probability
        ordered = sorted(scores, key=lambda goal: (-scores[goal], found.first.get(goal, 0)))
        return [(goal, round(scores[goal], 4)) for goal in ordered[: self.params.max_goals]]

    def lexicon_choice(self, found: Evidence) -> list[tuple[int, float]]:
        """The transparent rule: enough evidence, and a fair share of the strongest goal's."""
        # Scores saturate (1 - e^-raw), so a goal named once beside one named five times keeps
        # a fair share instead of being dropped by the relative cut.
        raw = {goal: value - found.spam for goal, value in found.raw.items()}
        scores = {goal: 1.0 - math.exp(-value) for goal, value in raw.items() if value > 0}
        if not scores:
            return []
        top = max(scores.values())
        params = self.params
        chosen = [
            goal
            for goal, score in scores.items()
            if raw[goal] >= params.threshold and score >= params.relative * top
        ]
        chosen.sort(key=lambda goal: (-raw[goal], found.first.get(goal, 0)))
        return [(goal, round(scores[goal], 4)) for goal in chosen]

    def tag(self, text: str, lang: str | None = None) -> TagResult:
        """The SDGs `text` speaks to, most relevant first, with the framework's areas."""
        shown_lang = lang or detect_language(text)
        found = self.evidence(text, shown_lang)
        goals = tuple(GoalScore(goal, max(score, 0.01)) for goal, score in self.choose(found))
        areas = self.framework.areas_for_goals([item.goal for item in goals])
        return TagResult(shown_lang, goals, areas)

    def explain(self, text: str, lang: str | None = None) -> dict[int, list[str]]:
        """For every goal assigned to `text`, the words and phrases that led to it."""
        shown_lang = lang or detect_language(text)
        found = self.evidence(text, shown_lang, with_words=True)
        return {goal: list(found.words.get(goal, [])) for goal, _ in self.choose(found)}
