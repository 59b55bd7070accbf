"""Creating, opening and closing polls; creation refuses a poll whose languages are incomplete."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.languages import LANGUAGE_CODES
from fikir.config.regions import AGE_BAND_LABELS, GENDER_LABELS
from fikir.polls.model import Audience
from fikir.storage.models import Poll, PollOption

# A poll needs its question and options in at least one language; a reader of any other gets
# the first language along their fallback chain (fikir.config.fallbacks), or a translation
# uploaded later (fikir.translations).
MIN_POLL_LANGUAGES = 1

MAX_OPTIONS = 9


class PollError(ValueError):
    """A poll definition that cannot be accepted; the message says what to fix."""


@dataclass(frozen=True)
class PollSpec:
    """A poll as staff write it (YAML, dashboard form): texts keyed by language code."""

    slug: str
    question: dict[str, str]
    options: tuple[dict[str, str], ...]
    audience: Audience = field(default_factory=Audience)
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    share_results: bool = True
    # Live meeting mode: the projector page may also be shown without signing in.
    live_public: bool = False

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PollSpec:
        audience = data.get("audience") or {}
        return cls(
            slug=str(data.get("slug", "")),
            question={str(k): str(v) for k, v in (data.get("question") or {}).items()},
            options=tuple(
                {str(k): str(v) for k, v in option.items()} for option in data.get("options") or ()
            ),
            audience=Audience(
                channels=tuple(audience.get("channels", ())),
                languages=tuple(audience.get("languages", ())),
                regions=tuple(audience.get("regions", ())),
                age_bands=tuple(audience.get("age_bands", ())),
                genders=tuple(audience.get("genders", ())),
            ),
            opens_at=_aware(data.get("opens_at")),
            closes_at=_aware(data.get("closes_at")),
            share_results=bool(data.get("share_results", True)),
            live_public=bool(data.get("live_public", False)),
        )


def _aware(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise PollError("opens_at and closes_at need a time zone, e.g. 2026-12-01T09:00+04:00")
    return moment


def validate(spec: PollSpec) -> None:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,62}", spec.slug):
        raise PollError("slug: use 2–63 lower-case letters, digits and dashes")
    check_languages(spec.question, spec.options)
    if spec.opens_at and spec.closes_at and spec.closes_at <= spec.opens_at:
        raise PollError("closes_at must be after opens_at")
    for name, given, known in (
        ("age_bands", spec.audience.age_bands, AGE_BAND_LABELS),
        ("genders", spec.audience.genders, GENDER_LABELS),
    ):
        unknown = [value for value in given if value not in known]
        if unknown:
            raise PollError(
                f"audience {name}: unknown {', '.join(map(str, unknown))} (use {', '.join(known)})"
            )


def written_in(texts: dict[str, str]) -> set[str]:
    """The languages with a non-blank text."""
    return {lang for lang, text in texts.items() if text.strip()}


def check_languages(question: dict[str, str], options: tuple[dict[str, str], ...]) -> None:
    """At least one language, known codes only, and in each language the question has, every
    option too (a reader gets one language throughout, never a mix); PollError otherwise."""
    languages = written_in(question)
    given = languages.union(*(written_in(option) for option in options))
    unknown = sorted(given - set(LANGUAGE_CODES))
    if unknown:
        raise PollError(f"unknown language(s) {', '.join(unknown)}")
    if len(languages) < MIN_POLL_LANGUAGES:
        raise PollError("question: write it in at least one language")
    if not 2 <= len(options) <= MAX_OPTIONS:
        raise PollError(f"options: give between 2 and {MAX_OPTIONS} options")
    for number, option in enumerate(options, start=1):
        gaps = sorted(languages - written_in(option), key=LANGUAGE_CODES.index)
        if gaps:
            raise PollError(f"option {number}: missing translation for {', '.join(gaps)}")
        extra = sorted(written_in(option) - languages, key=LANGUAGE_CODES.index)
        if extra:
            raise PollError(f"option {number}: the question has no {', '.join(extra)} text")


async def create_poll(session: AsyncSession, spec: PollSpec) -> Poll:
    """Validate and add the poll (status draft, or scheduled when it has an opening time)."""
    validate(spec)
    if (await session.exec(select(Poll.id).where(Poll.slug == spec.slug))).first():
        raise PollError(f"a poll with slug {spec.slug!r} already exists")
    poll = Poll(
        slug=spec.slug,
        question=json.dumps(spec.question, ensure_ascii=False),
        audience=spec.audience.to_json(),
        status="scheduled" if spec.opens_at else "draft",
        opens_at=spec.opens_at,
        closes_at=spec.closes_at,
        share_results=spec.share_results,
        live_public=spec.live_public,
    )
    session.add(poll)
    await session.flush()
    assert poll.id is not None  # noqa: S101 - flushed rows have ids
    for position, labels in enumerate(spec.options):
        session.add(
            PollOption(
                poll_id=poll.id, position=position, labels=json.dumps(labels, ensure_ascii=False)
            )
        )
    return poll


async def set_status(session: AsyncSession, slug: str, status: str, now: datetime) -> Poll:
    poll = (await session.exec(select(Poll).where(Poll.slug == slug))).first()
    if poll is None:
        raise PollError(f"no poll has the slug {slug!r}")
    if status == "open":
        if poll.status == "closed":
            raise PollError("a closed poll cannot be opened again")
        poll.opens_at = poll.opens_at or now
        if poll.closes_at is not None and poll.closes_at <= now:
            poll.closes_at = None
    elif status == "closed":
        poll.closes_at = now
    poll.status = status
    session.add(poll)
    return poll
