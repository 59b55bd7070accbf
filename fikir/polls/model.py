"""Reading poll texts and audiences out of their JSON columns, in one place."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Protocol

from fikir.config.channels import channel_of
from fikir.config.languages import fallback_chain
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

    @property
    def id(self) -> int:
        assert self.poll.id is not None  # noqa: S101 - loaded polls always have ids
        return self.poll.id

    def question_in(self, lang: str | None) -> str:
        return pick(self.question, lang)

    def labels_in(self, lang: str | None) -> list[str]:
        return [pick(labels, lang) for labels in self.options]


def pick(texts: dict[str, str], lang: str | None) -> str:
    """The text in `lang`, else in the first language of its fallback chain that has one."""
    for code in fallback_chain(lang):
        if texts.get(code):
            return texts[code]
    return next(iter(texts.values()), "")


def view(poll: Poll, options: list[PollOption]) -> PollView:
    return PollView(
        poll=poll,
        question=json.loads(poll.question),
        options=tuple(
            json.loads(option.labels) for option in sorted(options, key=lambda o: o.position)
        ),
    )
