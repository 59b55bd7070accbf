"""Finding a region from what a person types: a region's name in any language, or a district."""

from __future__ import annotations

from functools import cache

from fikir.config.languages import LANGUAGE_CODES
from fikir.config.regions import DISTRICTS, REGIONS
from fikir.i18n import translate
from fikir.polls import match_option

SKIP_WORDS = frozenset({"0", "skip", "keç", "kec", "пропустить", "нет", "yox", "-"})


@cache
def _options() -> tuple[tuple[str, tuple[str, ...]], ...]:
    found = []
    for code, label in REGIONS:
        names = {translate(lang, label) for lang in LANGUAGE_CODES}
        names.update(DISTRICTS.get(code, ()))
        found.append((code, tuple(sorted(names))))
    return tuple(found)


def match_region(text: str, lang: str | None = None) -> str | None:
    """The region code a reply names ("Lerik", "Гах", "Şəki rayonu"), "skip", or None."""
    stripped = text.strip().lower()
    if stripped in SKIP_WORDS:
        return "skip"
    options = _options()
    index = match_option(text, [names for _, names in options], lang)
    return options[index][0] if index is not None else None
