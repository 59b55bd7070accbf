"""What the engine needs from outside, injected so tests and tools can pick their own."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from fikir.config.organisation import DEFAULT_NAMES
from fikir.privacy.pseudonym import Pseudonymizer
from fikir.privacy.vault import Vault

TagFn = Callable[[str, str | None], list[tuple[int, float]]]
# The redacted text and the kind of each placeholder put in ("name", "phone", …), so that the
# writer can be told what was removed.
RedactFn = Callable[[str], tuple[str, tuple[str, ...]]]
DetectFn = Callable[[str], str | None]
SafetyFn = Callable[[str, str | None], tuple[str, ...]]


def detect_safety(text: str, lang: str | None) -> tuple[str, ...]:
    """The shipped safety detector, loaded on first use."""
    from fikir.safety import detect_safety as detect

    return detect(text, lang)


@dataclass(frozen=True)
class DutyRoute:
    """Where a reprisal report is announced: the duty officers' e-mail addresses, and the
    dashboard's address for the link to the queue item."""

    emails: tuple[str, ...] = ()
    dashboard_url: str = ""


@dataclass(frozen=True)
class Services:
    """The engine's collaborators; `default_services` wires the real ones."""

    pseudonymizer: Pseudonymizer
    vault: Vault
    k: int
    tag: TagFn
    redact: RedactFn
    detect: DetectFn
    safety: SafetyFn = detect_safety
    duty: DutyRoute = field(default_factory=DutyRoute)
    organisation: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_NAMES))

    def organisation_in(self, lang: str) -> str:
        """Who reads the messages, named in `lang`."""
        return self.organisation.get(lang) or self.organisation.get("en") or DEFAULT_NAMES["en"]


def default_services(
    secret: bytes,
    k: int,
    duty: DutyRoute | None = None,
    organisation: Mapping[str, str] | None = None,
) -> Services:
    """The real tagger, redactor, language and safety detectors."""
    from fikir.i18n import detect_language
    from fikir.privacy.redact import redact_with_report
    from fikir.tagging import tag

    def tag_fn(text: str, lang: str | None) -> list[tuple[int, float]]:
        return [(g.goal, g.score) for g in tag(text, lang).goals]

    def redact_fn(text: str) -> tuple[str, tuple[str, ...]]:
        redacted, hits = redact_with_report(text)
        return redacted, tuple(hit.kind for hit in hits)

    return Services(
        pseudonymizer=Pseudonymizer(secret),
        vault=Vault(secret),
        k=k,
        tag=tag_fn,
        redact=redact_fn,
        detect=detect_language,
        duty=duty or DutyRoute(),
        organisation=dict(organisation or DEFAULT_NAMES),
    )
