"""Telegram updates in, events out: a table of cases, Telegram's quirks included."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from aiogram.types import Update

from fikir.bot.updates import Callback, Event, StaffCommand, normalise_command, to_event
from tests.fakes.telegram_server import FakeTelegram, FakeUser

LEYLA = FakeUser(7301234567, "Leyla", "Məmmədova", "leyla_baku_91", "az")
OLEG = FakeUser(7309876543, "Олег", "Петренко", "oleg_p", "ru-RU")
GROUP_ID = -1001234567890
GROUP: dict[str, object] = {"id": GROUP_ID, "type": "supergroup", "title": "UN team"}


@dataclass(frozen=True)
class Expect:
    """What the event must say; None fields are not checked."""

    text: str | None = None
    payload: str | None = None
    media: str | None = None
    hint: str | None = None
    staff: tuple[str, str] | None = None
    callback: bool = False
    blocked: bool | None = None
    nothing: bool = False


def _cases() -> list[tuple[str, Any, Expect]]:
    fake = FakeTelegram()
    sent_keyboard = None
    cases: list[tuple[str, Any, Expect]] = [
        (
            "plain text",
            fake.text_update(LEYLA, "Kənddə su yoxdur"),
            Expect(text="Kənddə su yoxdur", hint="az"),
        ),
        ("/start", fake.text_update(LEYLA, "/start"), Expect(text="/start")),
        ("/start@bot", fake.text_update(LEYLA, "/start@fikir_bot"), Expect(text="/start")),
        ("deep link", fake.text_update(LEYLA, "/start campaign_42"), Expect(text="/start")),
        ("/polls", fake.text_update(OLEG, "/polls"), Expect(text="/polls", hint="ru-RU")),
        ("/forget", fake.text_update(OLEG, "/forget"), Expect(text="/forget")),
        (
            "/feedback with text",
            fake.text_update(LEYLA, "/feedback Yollar bərbaddır"),
            Expect(text="Yollar bərbaddır"),
        ),
        ("unknown command", fake.text_update(LEYLA, "/settings_xyz"), Expect(text="/help")),
        ("not a command", fake.text_update(LEYLA, "/ salam"), Expect(text="/ salam")),
        (
            "/staff in private",
            fake.text_update(LEYLA, "/staff AbC-123_x"),
            Expect(staff=("staff", "AbC-123_x")),
        ),
        ("/digest@bot", fake.text_update(LEYLA, "/digest@fikir_bot"), Expect(staff=("digest", ""))),
        (
            "group chatter",
            fake.text_update(LEYLA, "salam hamıya", chat=GROUP),
            Expect(nothing=True),
        ),
        ("group /start", fake.text_update(LEYLA, "/start", chat=GROUP), Expect(nothing=True)),
        (
            "group /staff",
            fake.text_update(LEYLA, "/staff CODE1", chat=GROUP),
            Expect(staff=("staff", "CODE1")),
        ),
        (
            "group /digest",
            fake.text_update(LEYLA, "/digest", chat=GROUP),
            Expect(staff=("digest", "")),
        ),
        (
            "press",
            fake.callback_update(LEYLA, sent_keyboard, "lang:ru"),
            Expect(payload="lang:ru", callback=True),
        ),
        (
            "numbered press",
            fake.callback_update(LEYLA, sent_keyboard, "#3"),
            Expect(text="3", callback=True),
        ),
        ("blocked", fake.member_update(LEYLA, "kicked"), Expect(blocked=True)),
        ("unblocked", fake.member_update(LEYLA, "member"), Expect(blocked=False)),
    ]
    for kind in ("voice", "photo", "sticker", "video", "document", "location", "contact"):
        cases.append((kind, fake.media_update(OLEG, kind), Expect(media=kind)))
    bot_message = fake.text_update(LEYLA, "echo")
    bot_message["message"]["from"]["is_bot"] = True
    cases.append(("from a bot", bot_message, Expect(nothing=True)))
    service = fake.text_update(LEYLA, "x")
    del service["message"]["text"]
    service["message"]["new_chat_title"] = "renamed"
    cases.append(("service message", service, Expect(nothing=True)))
    cases.append(
        (
            "edited message",
            {"update_id": 1, "edited_message": bot_message["message"]},
            Expect(nothing=True),
        )
    )
    return cases


@pytest.mark.parametrize(("name", "raw", "expect"), _cases(), ids=[c[0] for c in _cases()])
def test_update_becomes_the_right_event(name: str, raw: dict[str, Any], expect: Expect) -> None:
    event = to_event(Update.model_validate(raw))
    if expect.nothing:
        assert event is None
        return
    assert isinstance(event, Event)
    assert event.update_id == raw["update_id"]
    if expect.staff is not None:
        assert event.staff is not None and event.inbound is None
        assert (event.staff.name, event.staff.argument) == expect.staff
        return
    if expect.blocked is not None:
        assert event.blocked is expect.blocked and event.inbound is None
        return
    inbound = event.inbound
    assert inbound is not None
    assert inbound.channel == "telegram"
    assert inbound.external_id == str(raw["update_id"])
    assert inbound.address == event.chat_key
    assert (inbound.text, inbound.payload, inbound.media) == (
        expect.text,
        expect.payload,
        expect.media,
    )
    if expect.hint is not None:
        assert inbound.language_hint == expect.hint
    assert (event.callback is not None) is expect.callback


def test_events_carry_no_name_username_phone_or_place() -> None:
    """Only the chat id (as the address) leaves the adapter; it is pseudonymised by the engine."""
    for _name, raw, _expect in _cases():
        event = to_event(Update.model_validate(raw))
        text = repr(event)
        for secret in ("Leyla", "Məmmədova", "leyla_baku_91", "Олег", "Петренко", "oleg_p"):
            assert secret not in text
        assert "994501112233" not in text and "40.409" not in text and "49.867" not in text


def test_a_press_in_a_group_is_answered_but_goes_no_further() -> None:
    fake = FakeTelegram()
    raw = fake.callback_update(LEYLA, None, "menu:polls")
    raw["callback_query"]["message"]["chat"] = GROUP
    event = to_event(Update.model_validate(raw))
    assert event is not None and event.inbound is None
    assert event.callback == Callback(raw["callback_query"]["id"], GROUP_ID, 999_999)


def test_staff_code_never_reaches_the_engine() -> None:
    fake = FakeTelegram()
    event = to_event(Update.model_validate(fake.text_update(LEYLA, "/staff s3cr3t-code")))
    assert event is not None and event.inbound is None
    assert event.staff == StaffCommand("staff", "s3cr3t-code", LEYLA.id, "az")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/help", "/help"),
        ("/HELP", "/help"),
        ("/language@fikir_bot", "/language"),
        ("/results now", "/results"),
        ("/feedback", "/feedback"),
        ("/x", "/help"),
        ("hello /start", "hello /start"),
    ],
)
def test_commands_are_normalised(text: str, expected: str) -> None:
    assert normalise_command(text) == expected
