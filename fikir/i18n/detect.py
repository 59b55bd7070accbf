"""Guess the language of a citizen's message, so a first SMS is answered in the sender's language.

fikir's languages split by alphabet first: Georgian script is Georgian; Cyrillic is Russian,
Ukrainian, Lezgian, Juhuri or (old-style) Azerbaijani; Latin is Azerbaijani, English, Talysh, Russian
typed in Latin letters, or Georgian typed in Latin letters. Within an alphabet two kinds of evidence
are added up: lingua's statistical guess (it knows az, ru, en, ka and uk, but not Talysh, Lezgian,
Juhuri or transliteration) and the per-word cues of `detect_cues` (which cover exactly those gaps).
Texts with no letters, only "ok" or laughter, or no clear winner get `None`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from fikir.i18n import detect_words as words
from fikir.i18n.detect_cues import cyrillic_votes, is_neutral, latin_votes
from fikir.i18n.detect_lingua import lingua_scores
from fikir.i18n.detect_text import Script, clean, tokens

# How much lingua's distribution counts next to the share of words that carry a cue.
LINGUA_WEIGHT = 0.5
# Below this share of the combined score the best language is not clear enough to name.
MIN_CONFIDENCE = 0.4
# Fewer Latin words than this, none with a cue, are too little for lingua alone ("qwerty",
# "Ganja"): lingua would force them into a Slavic or Turkic guess. Cyrillic has no such trap.
_MIN_LATIN_WORDS_WITHOUT_CUES = 3
_MIN_LETTERS = 2


def detect_language(text: str) -> str | None:
    """Return the fikir language code of `text`, or None when it is too short or unclear."""
    scores = detect_language_scores(text)
    if not scores:
        return None
    code, score = scores[0]
    return code if score >= MIN_CONFIDENCE else None


def detect_language_scores(text: str) -> list[tuple[str, float]]:
    """Return (code, score) pairs, best first, summing to 1; empty when there is nothing to judge."""
    found = [token for token in tokens(clean(text)) if not is_neutral(token.text)]
    letters: dict[Script, int] = defaultdict(int)
    for token in found:
        letters[token.script] += len(token.text)
    if sum(letters.values()) < _MIN_LETTERS:
        return []
    if len(found) == 1 and found[0].text in words.ONE_WORD_REPLIES:
        return [(words.ONE_WORD_REPLIES[found[0].text], 1.0)]
    script = max(letters, key=lambda s: letters[s])
    # Words in another script (a Russian word in an Azerbaijani text, a brand name) are left out.
    text_words = [token.text for token in found if token.script is script]
    if script is Script.GEORGIAN:
        return [("ka", 1.0)]
    if script is Script.CYRILLIC:
        return _score(text_words, cyrillic_votes, ("lez", "jdt"), min_words_without_cues=0)
    if script is Script.LATIN:
        return _score(text_words, latin_votes, ("tly",), _MIN_LATIN_WORDS_WITHOUT_CUES)
    return []


def _score(
    text_words: list[str],
    votes_of: Callable[[str], dict[str, float]],
    unknown: tuple[str, ...],
    min_words_without_cues: int,
) -> list[tuple[str, float]]:
    """Add the words' cues to lingua's distribution and normalise.

    A word that fits several languages splits its weight between them. lingua has never seen
    the `unknown` languages (Talysh among Latin texts, Lezgian and Juhuri among Cyrillic ones), so
    its distribution only says which *known* language the text is closest to; the share of cues
    pointing to each unknown language estimates how likely the text is in it after all, and
    lingua's weight is split accordingly: those shares go to them, the rest follows lingua.
    """
    cues: dict[str, float] = defaultdict(float)
    for word in text_words:
        votes = votes_of(word)
        for code, weight in votes.items():
            cues[code] += weight / len(votes)
    cue_total = sum(cues.values())
    if cue_total == 0 and len(text_words) < min_words_without_cues:
        return []

    scores: dict[str, float] = defaultdict(float)
    for code, weight in cues.items():
        scores[code] += weight / len(text_words)
    unknown_share = sum(cues[code] for code in unknown) / cue_total if cue_total > 0 else 0.0
    for code in unknown:
        scores[code] += LINGUA_WEIGHT * (cues[code] / cue_total if cue_total > 0 else 0.0)
    for code, value in lingua_scores(" ".join(text_words)).items():
        if code in ("ru-latn", "ru"):
            scores["ru"] += LINGUA_WEIGHT * value * (1.0 - unknown_share)
        elif code != "other":
            scores[code] += LINGUA_WEIGHT * value * (1.0 - unknown_share)
    total = sum(scores.values())
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    return [(code, value / total) for code, value in ranked if value > 0]


__all__ = ["detect_language", "detect_language_scores"]
