"""Every prompt of every flow, rendered in every language: translated, never English elsewhere."""

from __future__ import annotations

import re

import pytest

from fikir.config.languages import LANGUAGE_CODES
from fikir.i18n import translate
from fikir.i18n.catalog import po_path
from fikir.i18n.check import check_catalogues, template
from fikir.runtime import Runtime
from tests.harness import Conversation

# Strings that read the same in every language: numbers, brand names, format-only messages.
NEUTRAL = re.compile(r"^[\W\d_]*$|^\{[a-z]+\}|Telegram|SMS|fikir|PDF|CSV|XLSX|HTML|JSON|UTC")


def _english_fallbacks(lang: str) -> list[str]:
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as handle:
        catalog = read_po(handle)
    found = []
    for message in catalog:
        if not message.id or message.pluralizable:
            continue
        if message.string == message.id and not NEUTRAL.search(message.id):
            found.append(message.id)
    return found


def test_catalogues_are_complete() -> None:
    assert check_catalogues() == []
    assert len(list(template())) > 100


@pytest.mark.parametrize("lang", [code for code in LANGUAGE_CODES if code != "en"])
def test_no_english_left_in_a_catalogue(lang: str) -> None:
    # A handful of loanwords are legitimately identical (e.g. "Internet"); English sentences are not.
    leftovers = [msgid for msgid in _english_fallbacks(lang) if len(msgid.split()) > 1]
    assert leftovers == [], f"{lang} still has English: {leftovers[:10]}"


FLOW = (
    ("send", "/start"),
    ("press_lang", ""),
    ("send", "7"),  # not a consent choice
    ("press", "consent:yes"),
    ("send", "xyz"),  # not a region
    ("press", "region:baku"),
    ("press", "age:skip"),
    ("press", "gender:skip"),
    ("send", "Kənddə su yoxdur, yol da çox pisdir, uşaqlar məktəbə gedə bilmir"),
    ("press", "menu:back"),
    ("send", "😀😀"),
    ("send", ""),
    ("media", "voice"),
    ("send", "/polls"),
    ("send", "/results"),
    ("press", "menu:settings"),
    ("press", "settings:age"),
    ("press", "age:25_34"),
    ("send", "/help"),
    ("send", "/forget"),
    ("press", "forget:no"),
    ("send", "/forget"),
    ("press", "forget:yes"),
)


@pytest.mark.parametrize("channel", ["telegram", "sms"])
async def test_every_prompt_of_every_flow_in_every_language(
    sqlite_runtime: Runtime, channel: str
) -> None:
    english: list[list[str]] = []
    for lang in ["en", *[c for c in LANGUAGE_CODES if c != "en"]]:
        talk = Conversation(sqlite_runtime.engine, channel=channel, address=f"{channel}-{lang}")
        texts: list[str] = []
        for kind, value in FLOW:
            if channel == "sms" and value == "menu:back":
                texts.append("")  # SMS has no menu to go back to: nothing is sent
                continue
            if kind == "send":
                replies = await talk.send(value)
            elif kind == "media":
                replies = await talk.send(None, media=value)
            elif kind == "press_lang":
                replies = await talk.press(f"lang:{lang}")
            else:
                replies = await talk.press(value)
            assert replies, f"{lang}: no answer to {value!r}"
            texts.append("\n".join(r.text for r in replies))
        if lang == "en":
            english = [[t] for t in texts]
            continue
        # The first reply (the language menu) is shown before a language is known.
        for step, (text, (en_text,)) in enumerate(zip(texts[1:], english[1:], strict=True), 1):
            if not en_text:
                continue
            assert text != en_text, f"{lang} step {step} {FLOW[step]} answered in English: {text!r}"
            for line in text.splitlines():
                assert (
                    not line.strip() or line not in en_text.splitlines() or NEUTRAL.search(line)
                ), f"{lang} step {step}: English line {line!r}"


def test_plural_forms_are_right() -> None:
    forms = ("{n} person answered.", "{n} people answered.")
    from fikir.i18n import translate_plural

    assert translate_plural("ru", *forms, 1).startswith("Ответил 1")
    assert "человека" in translate_plural("ru", *forms, 3)
    assert "человек." in translate_plural("ru", *forms, 5)
    assert translate_plural("en", *forms, 1) == "1 person answered."
    assert translate("az", "Yes") == "Bəli"
