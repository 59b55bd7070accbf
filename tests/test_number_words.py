"""Every number word one to ten, in every language fikir speaks, names its own option."""

from __future__ import annotations

import pytest

from fikir.config.languages import LANGUAGE_CODES
from fikir.polls import match_option
from fikir.polls.numbers import number_words

OPTIONS = [f"Variant {i}" for i in range(1, 11)]


def _look_alikes(word: str) -> list[str]:
    """Words an option label may hold that look like `word` without being it."""
    return [word[:-1], word + "ар", word + "lar", word[:-1] + "з", word[:-2] + word[-1:]]


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_every_language_has_number_words_one_to_ten(lang: str) -> None:
    words = number_words(lang)
    assert len(words) == 10, f"{lang}: {len(words)} number words"
    for value, spellings in enumerate(words, start=1):
        for word in spellings:
            assert match_option(word, OPTIONS, lang) == value - 1, (lang, word)
            assert match_option(word.upper(), OPTIONS, lang) == value - 1, (lang, word)


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_a_label_that_only_looks_like_a_number_word_does_not_take_it(lang: str) -> None:
    # The Lezgian "кьвед" (two) was recorded as option 3, whose label held a look-alike word.
    words = number_words(lang)
    for value, spellings in enumerate(words, start=1):
        for word in spellings:
            for look_alike in _look_alikes(word):
                if len(look_alike) < 2 or look_alike in {w for s in words for w in s}:
                    continue
                labels = [f"Variant {i}" for i in range(1, 11)]
                decoy = value % 10  # another option, whose label holds the look-alike
                labels[decoy] = look_alike
                assert match_option(word, labels, lang) == value - 1, (lang, word, look_alike)


def test_lezgian_four_and_nine_are_told_apart_from_labels() -> None:
    # "кьуд" (4) and "кӏуьд" (9) share a loose key: the palochka and the soft sign both fold away.
    labels = ["кӏуьд", "Яд", "Кеспи", "Мектеб", "Газ"]
    assert match_option("кьуд", labels, "lez") == 3
    assert match_option("кьвед", ["Яд", "Кеспи", "Кьве аял", "Мектеб"], "lez") == 1
    assert match_option("кьвед", ["Яд", "Кеспи", "Квез", "Мектеб"], "lez") == 1
