"""The lingua detector, built once on first use, with its languages mapped onto fikir's codes.

lingua knows Azerbaijani, Russian, English, Georgian and Ukrainian. A few more languages are
loaded as distractors because of what their scores reveal: Turkish is Azerbaijani's closest
neighbour (mass there means Azerbaijani), and the Slavic languages written in Latin letters
(Polish, Czech, Slovak, Croatian, Bosnian, Slovene) are what Russian typed in Latin letters
looks like to a model that never saw it. Belarusian and Bulgarian absorb Cyrillic text that is
neither Russian nor Ukrainian. Low-accuracy mode (trigram models only) loads in well under a
second and about 40 MB, and scored the same as the full models on every split of the labelled
set; the script and word cues do the fine work on short texts.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

# Codes for lingua's ISO 639-1 names; "ru-latn" is Russian typed in Latin letters.
_CODES: dict[str, str] = {
    "AZERBAIJANI": "az",
    "TURKISH": "az",
    "ENGLISH": "en",
    "RUSSIAN": "ru",
    "UKRAINIAN": "uk",
    "GEORGIAN": "ka",
    "POLISH": "ru-latn",
    "CZECH": "ru-latn",
    "SLOVAK": "ru-latn",
    "CROATIAN": "ru-latn",
    "BOSNIAN": "ru-latn",
    "SLOVENE": "ru-latn",
    "BELARUSIAN": "other",
    "BULGARIAN": "other",
}

_lock = threading.Lock()
_detector: LanguageDetector | None = None
_build_seconds: float | None = None


def _get_detector() -> LanguageDetector:
    global _detector, _build_seconds
    if _detector is None:
        with _lock:
            if _detector is None:
                from lingua import Language, LanguageDetectorBuilder

                started = time.perf_counter()
                languages = [getattr(Language, name) for name in _CODES]
                _detector = (
                    LanguageDetectorBuilder.from_languages(*languages)
                    .with_low_accuracy_mode()
                    .build()
                )
                _build_seconds = time.perf_counter() - started
    return _detector


def lingua_scores(text: str) -> dict[str, float]:
    """Return lingua's confidence per fikir code (distractors summed under their code)."""
    scores: dict[str, float] = {}
    for value in _get_detector().compute_language_confidence_values(text):
        code = _CODES[value.language.name]
        scores[code] = scores.get(code, 0.0) + value.value
    return scores


def preload() -> float:
    """Load every model now (under a second) so no request pays for it; return seconds.

    Call it once at start-up, from a thread (`asyncio.to_thread`), never inside the event loop.
    """
    started = time.perf_counter()
    for sample in ("Salam, necəsiniz?", "Hello there", "nie wiem", "Привет", "Привіт", "გამარჯობა"):
        lingua_scores(sample)
    return time.perf_counter() - started
