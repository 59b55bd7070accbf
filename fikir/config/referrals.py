"""Referral contacts for safety messages, as data (referrals.yaml or the admins' edited copy),
and the choice of the ones a writer is given: their language and region, else national."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from fikir.config.languages import LANGUAGE_CODES
from fikir.config.regions import REGION_CODES

REFERRALS_FILE = Path(__file__).parent / "referrals.yaml"
SAFETY_CATEGORIES = ("violence", "child_abuse", "self_harm", "threat", "reprisal")
MAX_TEXT = 60_000  # an edited copy larger than this is refused


class ReferralError(ValueError):
    """The referral configuration cannot be used; the message says where."""


@dataclass(frozen=True)
class Service:
    """One service a writer may be referred to; `names` are (language, name) pairs."""

    key: str
    number: str
    names: tuple[tuple[str, str], ...]
    categories: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    verified: bool = False
    note: str = ""

    def name(self, lang: str) -> str:
        found = dict(self.names)
        return found.get(lang) or found.get("en") or self.key

    def serves(self, lang: str, categories: Iterable[str]) -> bool:
        wanted = set(categories)
        return (
            bool(self.number)
            and (not self.languages or lang in self.languages)
            and (not self.categories or not wanted or bool(wanted & set(self.categories)))
        )


@dataclass(frozen=True)
class Referrals:
    """The whole configuration: services, the emergency fallback, and whether unverified show."""

    services: tuple[Service, ...]
    fallback: tuple[Service, ...]
    show_unverified: bool = False

    def for_writer(self, lang: str, region: str | None, categories: Iterable[str]) -> list[Service]:
        """The services to give: regional ones for `region` first, then national ones whose key
        no regional entry replaced; the fallback numbers when none of them may be shown."""
        wanted = tuple(categories)
        usable = [
            s
            for s in self.services
            if s.serves(lang, wanted) and (s.verified or self.show_unverified)
        ]
        regional = [s for s in usable if region is not None and region in s.regions]
        replaced = {s.key for s in regional}
        national = [s for s in usable if not s.regions and s.key not in replaced]
        chosen = _unique_numbers(regional + national)
        return chosen or [s for s in self.fallback if s.number]


def _unique_numbers(services: list[Service]) -> list[Service]:
    seen: set[str] = set()
    kept = []
    for service in services:
        if service.number not in seen:
            seen.add(service.number)
            kept.append(service)
    return kept


def _codes(raw: Any, allowed: tuple[str, ...], where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(code, str) for code in raw):
        raise ReferralError(f"{where}: expected a list of codes")
    unknown = sorted(set(raw) - set(allowed))
    if unknown:
        raise ReferralError(f"{where}: unknown code(s) {', '.join(unknown)}")
    return tuple(raw)


def _service(raw: Any, where: str) -> Service:
    if not isinstance(raw, dict):
        raise ReferralError(f"{where}: expected a mapping")
    key, number, names = raw.get("key"), raw.get("number", ""), raw.get("name")
    if not isinstance(key, str) or not key.strip():
        raise ReferralError(f"{where}: key is missing")
    if not isinstance(number, str | int) or len(str(number)) > 32:
        raise ReferralError(f"{where}: number must be text of at most 32 characters")
    if (
        not isinstance(names, dict)
        or not names
        or not all(isinstance(text, str) and text.strip() for text in names.values())
    ):
        raise ReferralError(f"{where}: name must map language codes to names")
    _codes(list(names), LANGUAGE_CODES, f"{where}.name")
    return Service(
        key=key.strip(),
        number=str(number).strip(),
        names=tuple((str(lang), str(text).strip()) for lang, text in names.items()),
        categories=_codes(raw.get("categories"), SAFETY_CATEGORIES, f"{where}.categories"),
        regions=_codes(raw.get("regions"), REGION_CODES, f"{where}.regions"),
        languages=_codes(raw.get("languages"), LANGUAGE_CODES, f"{where}.languages"),
        verified=raw.get("verified") is True,
        note=str(raw.get("note") or ""),
    )


def parse_referrals(text: str, source: str = "referrals") -> Referrals:
    """Read and check a referral configuration; ReferralError says what is wrong and where."""
    if len(text) > MAX_TEXT:
        raise ReferralError(f"{source}: longer than {MAX_TEXT} characters")
    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        # ValueError: an integer too long to convert; RecursionError: nesting too deep.
        raise ReferralError(f"{source}: not valid YAML ({type(exc).__name__})") from exc
    if not isinstance(data, dict):
        raise ReferralError(f"{source}: expected a mapping at the top")
    services = data.get("services") or []
    fallback = data.get("fallback") or []
    if not isinstance(services, list) or not isinstance(fallback, list):
        raise ReferralError(f"{source}: services and fallback must be lists")
    parsed = Referrals(
        services=tuple(_service(s, f"{source}: services[{i}]") for i, s in enumerate(services)),
        fallback=tuple(_service(s, f"{source}: fallback[{i}]") for i, s in enumerate(fallback)),
        show_unverified=data.get("show_unverified") is True,
    )
    if not any(s.number for s in parsed.fallback):
        raise ReferralError(f"{source}: fallback needs at least one number (e.g. 112)")
    return parsed


def shipped_text() -> str:
    return REFERRALS_FILE.read_text(encoding="utf-8")


@lru_cache(maxsize=8)
def cached_referrals(text: str) -> Referrals:
    """A configuration parsed once per distinct text (the shipped file or an admin's copy)."""
    return parse_referrals(text)
