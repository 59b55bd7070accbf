"""The languages fikir speaks, in one place, so that every channel and check agrees on them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """A language a respondent can choose; `endonym` is how its speakers name it."""

    code: str
    endonym: str
    babel_locale: str
    script: str
    needs_native_review: bool = False


LANGUAGES: tuple[Language, ...] = (
    Language("az", "Azərbaycanca", "az_Latn_AZ", "Latn"),
    Language("ru", "Русский", "ru_RU", "Cyrl"),
    Language("en", "English", "en_GB", "Latn"),
    Language("tly", "Tolışi", "az_Latn_AZ", "Latn", needs_native_review=True),
    Language("lez", "Лезги чӀал", "ru_RU", "Cyrl", needs_native_review=True),
    Language("ka", "ქართული", "ka_GE", "Geor"),
    Language("uk", "Українська", "uk_UA", "Cyrl"),
)

LANGUAGE_CODES: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES)
DEFAULT_LANGUAGE = "az"
# Staff-facing material (digest, dashboard) is offered in these.
STAFF_LANGUAGES: tuple[str, ...] = ("en", "az", "ru")

_BY_CODE = {lang.code: lang for lang in LANGUAGES}


def get_language(code: str) -> Language:
    """Return the language for `code`, raising KeyError for a code fikir does not ship."""
    return _BY_CODE[code]


def is_supported(code: str | None) -> bool:
    """True when `code` is one of the languages fikir ships."""
    return code is not None and code in _BY_CODE
