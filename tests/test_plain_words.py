"""Plain words to participants: who listens, that nobody calls, how to erase, what was removed,
and topics in everyday words."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from fikir.config.languages import LANGUAGE_CODES
from fikir.config.organisation import DEFAULT_NAMES, MAX_LENGTH, organisation_names
from fikir.config.sdg_everyday import MAX_LABEL, everyday_name
from fikir.config.sdgs import GOAL_NUMBERS, goal_name
from fikir.config.settings import SettingsError
from fikir.dialog import prompts as p
from fikir.dialog.removed import KIND_WORDS, removed_items, removed_note
from fikir.privacy.redact import KINDS
from fikir.runtime import Runtime, build_runtime
from tests.conftest import make_settings
from tests.harness import Conversation

# How each language says "nobody will call you", and how to erase everything by SMS.
NO_CALL = {
    "az": "zəng",
    "ru": "позвон",
    "en": "call you",
    "tly": "zəng",
    "lez": "зенг",
    "ka": "დაგირეკავთ",
    "uk": "дзвон",
    "jdt": "позвон",
}
SMS_ERASE = {
    "az": "UNUT",
    "ru": "ЗАБУДЬ",
    "en": "FORGET",
    "tly": "UNUT",
    "lez": "ЗАБУДЬ",
    "ka": "წაშლა",
    "uk": "ЗАБУТИ",
    "jdt": "ЗАБУДЬ",
}


async def _consent(runtime: Runtime, channel: str, lang: str, n: int) -> str:
    """The first message someone reads in their own language: the consent notice."""
    talk = Conversation(runtime.engine, channel=channel, address=f"+99450800{n:04d}")
    await talk.send("1" if channel == "sms" else "/start")
    payloads = [c.payload for c in talk.choices()]
    if channel == "sms":
        await talk.send(str(payloads.index(f"lang:{lang}") + 1))
    else:
        await talk.press(f"lang:{lang}")
    assert [c.payload for c in talk.choices()] == ["consent:yes", "consent:no"], talk.text()
    return talk.text()


@pytest.mark.parametrize("channel", ["telegram", "sms"])
async def test_the_first_message_names_who_listens_says_nobody_calls_and_how_to_erase(
    sqlite_runtime: Runtime, channel: str
) -> None:
    for n, lang in enumerate(LANGUAGE_CODES):
        text = await _consent(sqlite_runtime, channel, lang, n)
        assert DEFAULT_NAMES[lang] in text, (lang, text)
        assert NO_CALL[lang] in text, (lang, text)
        erase = SMS_ERASE[lang] if channel == "sms" else "/forget"
        assert erase in text, (lang, text)
        assert "{" not in text, text


@pytest.fixture
async def unicef(tmp_path: Path, sqlite_url: str) -> AsyncIterator[Runtime]:
    names = '{"en": "UNICEF Azerbaijan", "az": "UNICEF Azərbaycan"}'
    rt = build_runtime(make_settings(tmp_path, sqlite_url, organisation_name=names))
    try:
        yield rt
    finally:
        await rt.close()


async def test_the_configured_organisation_is_named_in_every_first_message(
    unicef: Runtime,
) -> None:
    talk = Conversation(unicef.engine, channel="telegram", address="t-1")
    welcome = "\n".join(r.text for r in await talk.send("/start"))
    assert "UNICEF Azərbaycan" in welcome and "UNICEF Azerbaijan" in welcome  # az, ru, en
    assert "ООН" not in welcome and "BMT" not in welcome
    await talk.press("lang:ru")
    assert "UNICEF Azerbaijan" in talk.text()  # no Russian name given: the English one
    sms = await _consent(unicef, "sms", "az", 1)
    assert "UNICEF Azərbaycan" in sms
    await talk.send("/help")
    assert "UNICEF Azerbaijan" in talk.text()


def test_the_organisation_setting_is_checked_at_start(tmp_path: Path, sqlite_url: str) -> None:
    assert organisation_names("") == dict(DEFAULT_NAMES)
    assert set(organisation_names("Fikir Team").values()) == {"Fikir Team"}
    partial = organisation_names('{"ka": "გაერო", "uk": "ООН"}')
    assert partial["ka"] == "გაერო" and partial["uk"] == "ООН" and partial["az"] == "გაერო"
    for bad in ('{"az": ', '{"xx": "UN"}', '{"az": ""}', '["UN"]', "U" * (MAX_LENGTH + 1)):
        with pytest.raises(SettingsError, match="FIKIR_ORGANISATION_NAME"):
            make_settings(tmp_path, sqlite_url, organisation_name=bad)


async def _onboarded(runtime: Runtime, channel: str, lang: str, address: str) -> Conversation:
    talk = Conversation(runtime.engine, channel=channel, address=address)
    if channel == "sms":
        await talk.send("1")
        await talk.send(str([c.payload for c in talk.choices()].index(f"lang:{lang}") + 1))
        await talk.send("1")  # agreed
        await talk.send("0")  # no district
        await talk.send("0")  # no age
        await talk.send("3")  # no gender
    else:
        await talk.send("/start")
        await talk.press(f"lang:{lang}")
        await talk.press("consent:yes")
        for skip in ("region:skip", "age:skip", "gender:skip"):
            await talk.press(skip)
    return talk


REDACTED = [
    (
        "ru",
        "Меня зовут Анна Петрова, мой телефон +994 50 123 45 67 и +994 55 765 43 21, "
        "в селе нет воды",
        "1 имя и 2 номера телефона",
    ),
    (
        "ru",
        "Звоните: +994 50 111 22 33, +994 50 111 22 34, +994 50 111 22 35, +994 50 111 22 36, "
        "+994 50 111 22 37. Дорога в село плохая",
        "5 номеров телефона",
    ),
    (
        "az",
        "Mənim adım Əli Həsənov, nömrəm +994 50 123 45 67, kənddə su yoxdur",
        "1 ad və 1 telefon nömrəsi",
    ),
    (
        "en",
        "My name is John Smith, call me on +994 50 123 45 67, our village has no water",
        "1 name and 1 phone number",
    ),
]


@pytest.mark.parametrize(("lang", "text", "items"), REDACTED)
async def test_the_thanks_says_what_was_removed(
    sqlite_runtime: Runtime, lang: str, text: str, items: str
) -> None:
    talk = await _onboarded(sqlite_runtime, "telegram", lang, f"t-{lang}-{len(text)}")
    await talk.send(text)
    thanks = talk.last[0].text
    assert talk.said(lang, p.THANKS, code="")
    assert items in thanks, thanks
    assert removed_note(lang, ["x"]).split(":")[0][:20] in thanks
    assert "+994" not in thanks and "Анна" not in thanks and "John" not in thanks


async def test_a_message_without_personal_details_is_thanked_without_a_note(
    sqlite_runtime: Runtime,
) -> None:
    talk = await _onboarded(sqlite_runtime, "telegram", "en", "t-plain")
    await talk.send("Our village has had no water for three days")
    assert "To keep you anonymous" not in talk.last[0].text


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
async def test_by_sms_the_thanks_says_personal_details_were_removed(
    sqlite_runtime: Runtime, lang: str
) -> None:
    talk = await _onboarded(sqlite_runtime, "sms", lang, f"+99450900{len(lang)}{lang}")
    await talk.send("Yol pisdir, mənə zəng edin: +994 50 123 45 67")
    assert talk.said(lang, p.SMS_THANKS_REMOVED, code=""), talk.text()
    await talk.send("Kənddə su yoxdur, üç gündür")
    assert talk.said(lang, p.SMS_THANKS, code="") and not talk.said(
        lang, p.SMS_THANKS_REMOVED, code=""
    )


def test_plural_forms_of_what_was_removed() -> None:
    assert removed_items("ru", ["phone"]) == "1 номер телефона"
    assert removed_items("ru", ["phone"] * 2) == "2 номера телефона"
    assert removed_items("ru", ["phone"] * 5) == "5 номеров телефона"
    assert removed_items("ru", ["phone"] * 21) == "21 номер телефона"
    assert removed_items("ru", ["name"] * 3 + ["phone"]) == "3 имени и 1 номер телефона"
    assert removed_items("uk", ["name"] * 5) == "5 імен"
    assert removed_items("en", ["phone", "name", "phone"]) == "1 name and 2 phone numbers"
    assert removed_items("en", ["email", "name", "link"]) == ("1 name, 1 e-mail address and 1 link")
    assert removed_items("az", ["phone"] * 2 + ["name"]) == "1 ad və 2 telefon nömrəsi"
    assert removed_items("en", ["something-new"]) == "1 other personal detail"
    assert removed_items("en", []) == "" and removed_note("en", []) == ""


def test_every_kind_of_redaction_has_words() -> None:
    assert set(KIND_WORDS) == set(KINDS)
    for lang in LANGUAGE_CODES:
        for kind in KINDS:
            one = removed_items(lang, [kind])
            assert one.startswith("1") or "1" in one, (lang, kind)
            assert lang == "en" or one != removed_items("en", [kind]), (lang, kind)


async def test_topic_buttons_use_everyday_words(sqlite_runtime: Runtime) -> None:
    for lang in LANGUAGE_CODES:
        talk = await _onboarded(sqlite_runtime, "telegram", lang, f"t-topic-{lang}")
        await talk.send("Kənddə içməli su yoxdur, tualet də yoxdur, uşaqlar xəstələnir")
        assert talk.said(lang, p.TOPIC_ASK)
        topics = [c for c in talk.choices() if c.payload.startswith("topic:")][:-1]
        assert topics, talk.text()
        for choice in topics:
            goal = int(choice.payload.rsplit(":", 1)[1])
            assert choice.label == everyday_name(goal, lang)
            assert choice.label != goal_name(goal, lang)


def test_everyday_names_fit_a_button_and_differ_from_the_official_ones() -> None:
    for lang in LANGUAGE_CODES:
        names = [everyday_name(goal, lang) for goal in GOAL_NUMBERS]
        assert len(set(names)) == 17, lang
        assert all(0 < len(name) <= MAX_LABEL for name in names), lang
        same = [g for g in GOAL_NUMBERS if everyday_name(g, lang) == goal_name(g, lang)]
        assert not same, (lang, same)
    assert everyday_name(6, "en") == "Water and toilets"
    assert goal_name(6, "en") == "Clean water and sanitation"  # kept for staff
    with pytest.raises(ValueError):
        everyday_name(18, "en")


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_reworded_consent_buttons_still_answer_when_typed(lang: str) -> None:
    """Typing the button's words, or just its first word ("да"), still agrees or declines."""
    from fikir.polls import match_option

    for sms in (False, True):
        labels = [c.label for c in p.consent_choices(lang, sms=sms)]
        for index, label in enumerate(labels):
            assert match_option(label, labels, lang) == index, (lang, label)
            first = label.split(",")[0]
            assert match_option(first, labels, lang) == index, (lang, first)
