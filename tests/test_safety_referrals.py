"""Which referral contacts a writer is given: their region's, else national ones, in services
answering in their language and for what they wrote about; unverified ones only when allowed,
else the well-known emergency numbers. Every SMS referral costs at most two parts."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations

import pytest

from fikir.config.languages import LANGUAGE_CODES
from fikir.config.referrals import (
    SAFETY_CATEGORIES,
    ReferralError,
    cached_referrals,
    parse_referrals,
    shipped_text,
)
from fikir.dialog.safety import referral_text
from fikir.outbox.segments import count_segments, fit_for_sms

CONFIG = """
show_unverified: false
fallback:
  - {key: emergency, number: "112", name: {en: Emergency, az: Fövqəladə hallar}}
  - {key: police, number: "102", name: {en: Police}}
services:
  - {key: police, number: "102", verified: true, name: {en: Police}}
  - {key: shelter, number: "111 11 11", verified: true, categories: [violence],
     name: {en: National shelter}}
  - {key: shelter, number: "222 22 22", verified: true, regions: [lankaran_astara],
     name: {en: Lankaran shelter}}
  - {key: russian_line, number: "333 33 33", verified: true, languages: [ru],
     name: {en: Russian line, ru: Линия}}
  - {key: kids, number: "116 111", verified: false, categories: [child_abuse],
     name: {en: Child line}}
  - {key: unknown, number: "", verified: true, name: {en: Not yet known}}
"""


def keys(found: list[object]) -> list[str]:
    return [s.key for s in found]  # type: ignore[attr-defined]


def test_a_region_replaces_the_national_service_of_the_same_key() -> None:
    config = parse_referrals(CONFIG)
    assert keys(config.for_writer("az", "lankaran_astara", ("violence",))) == ["shelter", "police"]
    assert config.for_writer("az", "lankaran_astara", ("violence",))[0].number == "222 22 22"
    # Another region, or none, falls back to the national shelter.
    for region in ("baku", None, "undisclosed"):
        found = config.for_writer("az", region, ("violence",))
        assert [s.number for s in found] == ["102", "111 11 11"], region


def test_language_and_category_decide_too() -> None:
    config = parse_referrals(CONFIG)
    assert "russian_line" in keys(config.for_writer("ru", None, ("threat",)))
    assert "russian_line" not in keys(config.for_writer("az", None, ("threat",)))
    assert "shelter" not in keys(config.for_writer("az", None, ("threat",)))
    # Names in the writer's language, else English.
    [line] = [s for s in config.for_writer("ru", None, ("threat",)) if s.key == "russian_line"]
    assert line.name("ru") == "Линия" and line.name("ka") == "Russian line"


def test_unverified_services_only_when_allowed_else_the_emergency_numbers() -> None:
    config = parse_referrals(CONFIG)
    nothing_verified = replace(config, services=tuple(s for s in config.services if not s.verified))
    assert keys(nothing_verified.for_writer("az", None, ("child_abuse",))) == [
        "emergency",
        "police",
    ]
    allowed = replace(nothing_verified, show_unverified=True)
    assert keys(allowed.for_writer("az", None, ("child_abuse",))) == ["kids"]
    # A service without a number is never given, verified or not.
    assert "unknown" not in keys(replace(config, show_unverified=True).for_writer("az", None, ()))


def test_the_shipped_defaults_are_all_unverified_so_people_get_112_and_102() -> None:
    shipped = cached_referrals(shipped_text())
    assert shipped.services and not any(s.verified for s in shipped.services)
    assert not shipped.show_unverified
    for lang in LANGUAGE_CODES:
        for category in SAFETY_CATEGORIES:
            found = shipped.for_writer(lang, "baku", (category,))
            assert [s.number for s in found] == ["112", "102"]
            assert all(lang in dict(s.names) for s in found)  # named in every language


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[]",
        "services: nope",
        "fallback: []",
        "fallback: [{key: x, number: '1', name: {xx: y}}]",
        "fallback: [{key: x, number: '1', name: {en: y}, regions: [mars]}]",
    ],
)
def test_broken_configurations_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(ReferralError):
        parse_referrals(text)


def test_every_sms_referral_fits_two_parts() -> None:
    """Every language, every combination of categories, the fallback and every shipped service."""
    shipped = cached_referrals(shipped_text())
    everything = replace(
        shipped,
        show_unverified=True,
        services=tuple(replace(s, number=s.number or "012 345 67 89") for s in shipped.services),
    )
    combos = [c for n in (1, 2, 3) for c in combinations(SAFETY_CATEGORIES, n)]
    for config in (shipped, everything):
        for lang in LANGUAGE_CODES:
            for categories in combos:
                services = config.for_writer(lang, None, categories)
                text = referral_text(lang, services, sms=True)
                assert services[0].number in text
                for sent in (text, fit_for_sms(text, lang)):
                    assert count_segments(sent).segments <= 2, (lang, categories, sent)
