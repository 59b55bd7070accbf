"""An update's texts, goals and regions read out of their JSON columns, and the language rule.

Staff write an update in the languages they have (typically az, ru and en); every reader gets
it in their own language when it exists, else in the first of the fallback chain that does.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass

from fikir.config.fallbacks import DEFAULT_FALLBACKS, Fallbacks
from fikir.config.languages import LANGUAGE_CODES
from fikir.config.regions import REGION_CODES
from fikir.storage.models import StaffUpdate

# Regions an update can concern: the economic regions and "abroad"; not "prefer not to say".
UPDATE_REGIONS = tuple(code for code in REGION_CODES if code != "undisclosed")
MAX_TITLE = 120
MAX_BODY = 1000


def language_for(
    available: Collection[str], lang: str | None, fallbacks: Fallbacks = DEFAULT_FALLBACKS
) -> str | None:
    """The language a reader of `lang` is given: theirs, else the first along its fallback
    chain (fikir.config.fallbacks), None when there is no text at all."""
    return fallbacks.resolve(available, lang)


class UpdateError(ValueError):
    """An update that cannot be saved or sent; the message says what to fix."""


@dataclass(frozen=True)
class UpdateSpec:
    """An update as staff write it: texts keyed by language code, and what it answers."""

    title: dict[str, str]
    body: dict[str, str]
    goals: tuple[int, ...] = ()
    regions: tuple[str, ...] = ()
    poll_id: int | None = None

    def checked(self) -> UpdateSpec:
        """The spec with blank texts dropped; raises UpdateError on anything to fix."""
        title = {k: v.strip() for k, v in self.title.items() if v.strip()}
        body = {k: v.strip() for k, v in self.body.items() if v.strip()}
        for lang in sorted(set(title) | set(body)):
            if lang not in LANGUAGE_CODES:
                raise UpdateError(f"unknown language {lang}")
            if lang not in title or lang not in body:
                raise UpdateError(f"{lang}: a title and a text are both needed")
            if len(title[lang]) > MAX_TITLE or len(body[lang]) > MAX_BODY:
                raise UpdateError(f"{lang}: at most {MAX_TITLE} and {MAX_BODY} characters")
        if not title:
            raise UpdateError("write the update in at least one language")
        if any(not 1 <= goal <= 17 for goal in self.goals):
            raise UpdateError("goals are numbers 1 to 17")
        if any(region not in UPDATE_REGIONS for region in self.regions):
            raise UpdateError("unknown region")
        if not (self.goals or self.regions or self.poll_id):
            raise UpdateError("link the update to goals, regions or a poll")
        return UpdateSpec(
            title, body, tuple(sorted(set(self.goals))), tuple(sorted(set(self.regions))),
            self.poll_id,
        )  # fmt: skip


@dataclass(frozen=True)
class UpdateView:
    """A stored update with its JSON decoded, ready to show in any language."""

    update: StaffUpdate
    title: dict[str, str]
    body: dict[str, str]
    goals: tuple[int, ...]
    regions: tuple[str, ...]
    # The chains in force when it was loaded: which language's text each reader gets.
    fallbacks: Fallbacks = DEFAULT_FALLBACKS

    @property
    def id(self) -> int:
        assert self.update.id is not None  # noqa: S101 - loaded updates always have ids
        return self.update.id

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the update is written in, in the registry's order."""
        return tuple(code for code in LANGUAGE_CODES if code in self.title and code in self.body)

    def language_for(self, lang: str | None) -> str:
        return language_for(self.languages, lang, self.fallbacks) or ""

    def title_in(self, lang: str | None) -> str:
        return self.title.get(self.language_for(lang), "")

    def body_in(self, lang: str | None) -> str:
        return self.body.get(self.language_for(lang), "")


def view(update: StaffUpdate, fallbacks: Fallbacks = DEFAULT_FALLBACKS) -> UpdateView:
    return UpdateView(
        update=update,
        title=json.loads(update.title),
        body=json.loads(update.body),
        goals=tuple(int(goal) for goal in json.loads(update.goals or "[]")),
        regions=tuple(str(region) for region in json.loads(update.regions or "[]")),
        fallbacks=fallbacks,
    )


def store(update: StaffUpdate, spec: UpdateSpec) -> StaffUpdate:
    """Write a checked spec into the row (the caller adds and commits)."""
    update.title = json.dumps(spec.title, ensure_ascii=False)
    update.body = json.dumps(spec.body, ensure_ascii=False)
    update.goals = json.dumps(list(spec.goals))
    update.regions = json.dumps(list(spec.regions))
    update.poll_id = spec.poll_id
    return update
