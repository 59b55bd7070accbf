"""The dashboard's poll form: read, checked field by field with translated messages, kept on error."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData

from fikir.config.channels import PROACTIVE_FAMILIES
from fikir.config.languages import LANGUAGE_CODES
from fikir.config.markers import N_
from fikir.config.regions import AGE_BANDS, GENDERS, REGION_CODES
from fikir.polls.manage import MAX_OPTIONS, PollSpec
from fikir.polls.model import Audience

OPTION_SLOTS = 6
AUDIENCE_CHANNELS = PROACTIVE_FAMILIES
AGE_BAND_CODES = tuple(code for code, _ in AGE_BANDS)
GENDER_CODES = tuple(code for code, _ in GENDERS)

SLUG_INVALID = N_("Short name: use 2–63 lower-case letters, digits and dashes.")
QUESTION_MISSING = N_("The question is missing in: {languages}.")
NO_LANGUAGE = N_("Write the question and the options in at least one language.")
OPTION_MISSING = N_("Option {number} is missing in: {languages}.")
TOO_FEW = N_("Give at least two options.")
BAD_TIME = N_("Times must look like 2026-12-01T09:00.")
CLOSE_BEFORE_OPEN = N_("The closing time must be after the opening time.")


@dataclass
class PollForm:
    """What staff typed; `errors` are msgids with their parameters, translated by the page."""

    slug: str = ""
    question: dict[str, str] = field(default_factory=dict)
    options: list[dict[str, str]] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    age_bands: list[str] = field(default_factory=list)
    genders: list[str] = field(default_factory=list)
    opens_at: str = ""
    closes_at: str = ""
    share_results: bool = True
    live_public: bool = False
    errors: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    @classmethod
    def blank(cls) -> PollForm:
        return cls(options=[{} for _ in range(OPTION_SLOTS)])

    def option(self, slot: int, lang: str) -> str:
        return self.options[slot].get(lang, "") if slot < len(self.options) else ""


def _text(form: FormData, name: str, limit: int) -> str:
    value = form.get(name)
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""


def _picked(form: FormData, name: str, allowed: tuple[str, ...]) -> list[str]:
    return [value for value in form.getlist(name) if isinstance(value, str) and value in allowed]


def read(form: FormData) -> PollForm:
    return PollForm(
        slug=_text(form, "slug", 80).lower(),
        question={lang: _text(form, f"q_{lang}", 500) for lang in LANGUAGE_CODES},
        options=[
            {lang: _text(form, f"o{slot}_{lang}", 120) for lang in LANGUAGE_CODES}
            for slot in range(OPTION_SLOTS)
        ],
        channels=_picked(form, "channel", AUDIENCE_CHANNELS),
        languages=_picked(form, "language", LANGUAGE_CODES),
        regions=_picked(form, "region", REGION_CODES),
        age_bands=_picked(form, "age_band", AGE_BAND_CODES),
        genders=_picked(form, "gender", GENDER_CODES),
        opens_at=_text(form, "opens_at", 40),
        closes_at=_text(form, "closes_at", 40),
        share_results=form.get("share_results") == "1",
        live_public=form.get("live_public") == "1",
    )


def audience_choices(timezone: str) -> dict[str, Any]:
    """What the poll and survey forms offer for the audience and schedule (one list, so a new
    audience field reaches both)."""
    return {
        "channels": AUDIENCE_CHANNELS,
        "regions": REGION_CODES,
        "age_bands": AGE_BAND_CODES,
        "genders": GENDER_CODES,
        "timezone": timezone,
    }


def parse_time(value: str, tz: str) -> datetime | None:
    """A datetime-local value read in the deployment's time zone; ValueError when malformed."""
    if not value:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?", value):
        raise ValueError(value)
    return datetime.fromisoformat(value.replace(" ", "T")).replace(tzinfo=ZoneInfo(tz))


def to_spec(data: PollForm, tz: str) -> PollSpec | None:
    """The spec to create, or None with `data.errors` filled in."""
    errors = data.errors
    errors.clear()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,62}", data.slug):
        errors.append((SLUG_INVALID, {}))
    # Any languages staff have; the others fall back (fikir.config.fallbacks) until translated.
    written = [lang for lang in LANGUAGE_CODES if data.question.get(lang)]
    if not written:
        errors.append((NO_LANGUAGE, {}))
    options: list[dict[str, str]] = []
    stray: set[str] = set()
    for number, option in enumerate(data.options, start=1):
        if not any(option.values()):
            continue
        gaps = [lang for lang in written if not option.get(lang)]
        if gaps:
            errors.append((OPTION_MISSING, {"number": str(number), "languages": ", ".join(gaps)}))
        stray.update(lang for lang, text in option.items() if text and lang not in written)
        options.append(option)
    if written and stray:
        missing = ", ".join(lang for lang in LANGUAGE_CODES if lang in stray)
        errors.append((QUESTION_MISSING, {"languages": missing}))
    if len(options) < 2:
        errors.append((TOO_FEW, {}))
    options = options[:MAX_OPTIONS]
    try:
        opens_at = parse_time(data.opens_at, tz)
        closes_at = parse_time(data.closes_at, tz)
    except ValueError:
        errors.append((BAD_TIME, {}))
        opens_at = closes_at = None
    if opens_at and closes_at and closes_at <= opens_at:
        errors.append((CLOSE_BEFORE_OPEN, {}))
    if errors:
        return None
    return PollSpec(
        slug=data.slug,
        question={lang: text for lang, text in data.question.items() if text},
        options=tuple({lang: text for lang, text in option.items() if text} for option in options),
        audience=Audience(
            channels=tuple(data.channels),
            languages=tuple(data.languages),
            regions=tuple(data.regions),
            age_bands=tuple(data.age_bands),
            genders=tuple(data.genders),
        ),
        opens_at=opens_at,
        closes_at=closes_at,
        share_results=data.share_results,
        live_public=data.live_public,
    )
