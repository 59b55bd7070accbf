"""The digest's quotes and themes, typed, with their digest.json form (docs/digest-schema.md,
"Quotes" and "Themes"), apart from fikir.digest.document so that each stays small."""

from __future__ import annotations

from dataclasses import dataclass

Texts = tuple[tuple[str, str], ...]  # (language, text) pairs, the same as document.Texts


@dataclass(frozen=True)
class Quote:
    """A redacted message representative of a leading goal, in the language it was written in."""

    goal: int
    text: str
    language: str | None
    theme: str | None = None  # the key of the theme it typifies (ThemeFigure.key)
    english: str | None = None  # a staff member's English rendering, shown in the en digest


# --- themes (fikir.digest.month_themes) -------------------------------------------------------
@dataclass(frozen=True)
class ThemeRegion:
    """A region where at least k of a theme's people live."""

    region: str
    respondents: int


@dataclass(frozen=True)
class ThemeFigure:
    """A recurring concern within a leading goal, raised by at least k people this month."""

    goal: int
    key: str  # stable within the month: goal and naming concepts, e.g. "6:water+absent+days"
    concepts: tuple[str, ...]
    names: Texts  # the theme's name per reader language (a staff rename replaces it)
    respondents: int
    regions: tuple[ThemeRegion, ...]
    quote: Quote | None


def quote_json(q: Quote) -> dict[str, object]:
    """A quote as digest.json writes it (quotes[], and a theme's quote)."""
    return {
        "goal": q.goal,
        "language": q.language,
        "text": q.text,
        "theme": q.theme,
        "english": q.english,
    }


def theme_json(t: ThemeFigure) -> dict[str, object]:
    """A theme as digest.json writes it (themes[])."""
    return {
        "goal": t.goal,
        "key": t.key,
        "concepts": list(t.concepts),
        "name": dict(t.names),
        "respondents": t.respondents,
        "regions": [{"region": r.region, "respondents": r.respondents} for r in t.regions],
        "quote": None if t.quote is None else quote_json(t.quote),
    }
