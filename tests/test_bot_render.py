"""Replies as Telegram messages: keyboards within 64 bytes in every language, text within limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiogram.types import Update

from fikir.bot.render import TEXT_LIMIT, callback_data, keyboard, split_text
from fikir.bot.sender import plan
from fikir.bot.updates import to_event
from fikir.config.languages import LANGUAGE_CODES
from fikir.dialog import prompts as p
from fikir.dialog.messages import Choice
from fikir.outbox.message import OutboundMessage
from fikir.polls import match_option
from tests.fakes.telegram_server import FakeTelegram, FakeUser


def _every_choice_list(lang: str) -> list[tuple[tuple[str, str], ...]]:
    lists = [
        p.language_choices(),
        p.consent_choices(lang),
        p.region_choices(lang),
        p.age_choices(lang),
        p.gender_choices(lang),
        p.menu_choices(lang),
        p.settings_choices(lang),
        p.forget_choices(lang),
    ]
    polls = tuple(Choice(f"poll:{10**9 + i}:{i}", f"Variant {i} — çox uzun ad") for i in range(9))
    return [tuple((c.payload, c.label) for c in choices) for choices in [*lists, polls]]


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_every_keyboard_fits_telegram_in_every_language(lang: str) -> None:
    for choices in _every_choice_list(lang):
        markup = keyboard(choices)
        assert markup is not None
        buttons = [b for row in markup.inline_keyboard for b in row]
        assert [b.text for b in buttons] == [label for _, label in choices]
        for button, (payload, _label) in zip(buttons, choices, strict=True):
            assert button.callback_data is not None
            assert len(button.callback_data.encode()) <= 64
            assert button.callback_data == payload  # the engine's payloads are short codes
        assert all(len(row) <= 2 for row in markup.inline_keyboard)


def test_a_payload_too_long_for_telegram_becomes_its_number_and_still_answers() -> None:
    labels = ["Bakı", "Gəncə", "Sumqayıt"]
    choices = [(f"poll:1:{i}:" + "x" * 70, label) for i, label in enumerate(labels)]
    markup = keyboard(choices)
    assert markup is not None
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert data == ["#1", "#2", "#3"]
    fake = FakeTelegram()
    user = FakeUser(7311111111, "Aysel", language_code="az")
    event = to_event(Update.model_validate(fake.callback_update(user, None, "#2")))
    assert event is not None and event.inbound is not None
    assert event.inbound.payload is None and event.inbound.text == "2"
    assert match_option(event.inbound.text, labels, "az") == 1


def test_callback_data_keeps_short_payloads() -> None:
    assert callback_data("consent:yes", 1) == "consent:yes"
    assert callback_data("", 4) == "#4"


def test_no_keyboard_without_choices() -> None:
    assert keyboard(()) is None


def test_long_text_is_split_at_line_ends_and_loses_nothing() -> None:
    lines = [f"{i}: Məktəbdə müəllim çatışmır, yollar pisdir — ƏŞĞÇÖÜ ქართული" for i in range(400)]
    text = "\n".join(lines)
    parts = split_text(text)
    assert len(parts) > 1
    assert all(len(part) <= TEXT_LIMIT for part in parts)
    assert "\n".join(parts) == text
    one_word = "ა" * 9000
    assert "".join(split_text(one_word)) == one_word


def test_plan_puts_the_keyboard_on_the_last_part(tmp_path: Path) -> None:
    pdf = tmp_path / "fikir-digest-2026-10.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    choices = (("menu:polls", "Sorğular"),)
    short = plan(OutboundMessage("Xülasə", choices, "az", str(pdf), pdf.name))
    assert len(short) == 1 and short[0].attachment == pdf and short[0].text == "Xülasə"
    assert short[0].markup is not None
    long = plan(OutboundMessage("söz " * 600, choices, "az", str(pdf), pdf.name))
    assert [part.attachment for part in long] == [None, pdf]
    assert long[0].markup is None and long[-1].markup is not None
    missing = plan(OutboundMessage("Xülasə", (), "az", str(tmp_path / "gone.pdf"), "gone.pdf"))
    assert [part.attachment for part in missing] == [None]
