"""Reading poll texts and audiences out of their JSON columns, in one place."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from fikir.config.channels import channel_of
from fikir.config.fallbacks import DEFAULT_FALLBACKS, Fallbacks
from fikir.config.languages import LANGUAGE_CODES
from fikir.storage.models import Poll, PollOption


class Profile(Protocol):
    """What an audience is decided on: a respondent, or a row read for a broadcast."""

    @property
    def channel(self) -> str: ...
    @property
    def language(self) -> str | None: ...
    @property
    def region(self) -> str | None: ...
    @property
    def age_band(self) -> str | None: ...
    @property
    def gender(self) -> str | None: ...


@dataclass(frozen=True)
class Audience:
    """Who a poll is for; an empty tuple means everyone."""

    channels: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    age_bands: tuple[str, ...] = ()
    genders: tuple[str, ...] = ()

    def includes(self, respondent: Profile) -> bool:
        checks = (
            (self.channels, channel_of(respondent.channel).family),
            (self.languages, respondent.language),
            (self.regions, respondent.region),
            (self.age_bands, respondent.age_band),
            (self.genders, respondent.gender),
        )
        return all(not allowed or value in allowed for allowed, value in checks)

    def summary(self) -> str:
        """One line for the CLI: each restriction as name=values, or "everyone"."""
        parts = [
            f"{name}={','.join(values)}"
            for name, values in (
                ("channels", self.channels),
                ("languages", self.languages),
                ("regions", self.regions),
                ("age_bands", self.age_bands),
                ("genders", self.genders),
            )
            if values
        ]
        return " ".join(parts) or "everyone"

    def to_json(self) -> str:
        return json.dumps(
            {
                "channels": list(self.channels),
                "languages": list(self.languages),
                "regions": list(self.regions),
                "age_bands": list(self.age_bands),
                "genders": list(self.genders),
            }
        )

    @classmethod
    def from_json(cls, raw: str) -> Audience:
        data = json.loads(raw or "{}")
        return cls(
            channels=tuple(data.get("channels", ())),
            languages=tuple(data.get("languages", ())),
            regions=tuple(data.get("regions", ())),
            age_bands=tuple(data.get("age_bands", ())),
            genders=tuple(data.get("genders", ())),
        )


@dataclass(frozen=True)
class PollView:
    """A poll with its texts decoded, ready to show in any language."""

    poll: Poll
    question: dict[str, str]
    options: tuple[dict[str, str], ...] = field(default=())
    # The chains in force when it was loaded: which language's text each reader gets.
    fallbacks: Fallbacks = DEFAULT_FALLBACKS
    # Per reader's language, the language they get (a broadcast asks once per recipient).
    _chosen: dict[str | None, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def id(self) -> int:
        assert self.poll.id is not None  # noqa: S101 - loaded polls always have ids
        return self.poll.id

    @cached_property
    def languages(self) -> tuple[str, ...]:
        """The languages it is written in (question and every option), in the registry's order."""
        return tuple(
            code
            for code in LANGUAGE_CODES
            if self.question.get(code) and all(option.get(code) for option in self.options)
        )

    def language_for(self, lang: str | None) -> str:
        """The language of the texts a reader of `lang` gets (their own, or a fallback)."""
        chosen = self._chosen.get(lang)
        if chosen is None:
            chosen = self._chosen[lang] = self.fallbacks.resolve(self.languages, lang) or ""
        return chosen

    def question_in(self, lang: str | None) -> str:
        return self.question.get(self.language_for(lang), "")

    def labels_in(self, lang: str | None) -> list[str]:
        chosen = self.language_for(lang)
        return [labels.get(chosen, "") for labels in self.options]


def pick(texts: dict[str, str], lang: str | None, fallbacks: Fallbacks = DEFAULT_FALLBACKS) -> str:
    """The text in `lang`, else in the first language along its fallback chain that has one
    (a survey question's texts; a poll's go through PollView.language_for)."""
    chosen = fallbacks.resolve({code for code, text in texts.items() if text}, lang)
    return texts[chosen] if chosen else ""


def view(
    poll: Poll, options: list[PollOption], fallbacks: Fallbacks = DEFAULT_FALLBACKS
) -> PollView:
    return PollView(
        poll=poll,
        question=json.loads(poll.question),
        options=tuple(
            json.loads(option.labels) for option in sorted(options, key=lambda o: o.position)
        ),
        fallbacks=fallbacks,
    )
