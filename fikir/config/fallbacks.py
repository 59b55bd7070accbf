"""Which language's text a reader gets when a poll or an update lacks theirs: one rule for polls,
updates and the SMS cost estimate, the registry's chains as defaults and admins' edits over them."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from fikir.config.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES, LANGUAGES, followed


class FallbackError(ValueError):
    """A fallback chain that cannot be saved; the message says what to fix."""


@dataclass(frozen=True)
class Fallbacks:
    """Per language, the languages its speakers read next, best first (as configured)."""

    chains: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def from_registry(cls) -> Fallbacks:
        return cls(tuple((language.code, language.fallback) for language in LANGUAGES))

    def configured(self, code: str) -> tuple[str, ...]:
        """The chain as written for `code` (without the languages tried after it)."""
        return dict(self.chains).get(code, ())

    def edited(self, code: str, chain: tuple[str, ...]) -> Fallbacks:
        """These chains with `code`'s replaced."""
        return Fallbacks(tuple((c, chain if c == code else v) for c, v in self.chains))

    def order(self, lang: str | None) -> tuple[str, ...]:
        """Every language in the order tried for a reader of `lang`: theirs, its chain (and the
        chains of those, in turn), the default language, then any other in the registry's order."""
        return _order(self.chains, lang)

    def resolve(self, available: Collection[str], lang: str | None) -> str | None:
        """The language of the text a reader of `lang` gets, or None when there is no text."""
        return next((code for code in self.order(lang) if code in available), None)


@lru_cache(maxsize=256)
def _order(chains: tuple[tuple[str, tuple[str, ...]], ...], lang: str | None) -> tuple[str, ...]:
    """Fallbacks.order, computed once per set of chains and language (a broadcast asks 100,000
    times): the chain followed, then the default language, then every other."""
    found = list(followed(chains, lang))
    found += [code for code in (DEFAULT_LANGUAGE, *LANGUAGE_CODES) if code not in found]
    return tuple(found)


DEFAULT_FALLBACKS = Fallbacks.from_registry()


def parse_chain(code: str, raw: str) -> tuple[str, ...]:
    """A chain typed by an admin ("az, ru" or "az → ru") as language codes; FallbackError when
    it names an unknown language, the language itself, or one language twice."""
    if code not in LANGUAGE_CODES:
        raise FallbackError(f"unknown language {code!r}")
    parts = tuple(part for part in re.split(r"[\s,;>→-]+", raw.strip().lower()) if part)
    unknown = [part for part in parts if part not in LANGUAGE_CODES]
    if unknown:
        raise FallbackError(f"{code}: unknown language(s) {', '.join(unknown)}")
    if code in parts:
        raise FallbackError(f"{code}: a language cannot fall back to itself")
    if len(set(parts)) != len(parts):
        raise FallbackError(f"{code}: a language appears twice")
    return parts
