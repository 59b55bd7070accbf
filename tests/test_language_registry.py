"""The language registry: one entry per language, its fallback chain, and what a language lacks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from fikir.config.languages import (
    LANGUAGE_CODES,
    LANGUAGES,
    SMS_COMMANDS,
    LanguageFileError,
    fallback_chain,
    get_language,
    load_languages,
    parse_language,
)
from fikir.dialog import prompts as p
from fikir.dialog.keywords import keyword, keyword_language
from fikir.i18n.coverage import language_problems
from fikir.runtime import Runtime
from tests.harness import Conversation


def test_eight_languages_in_menu_order() -> None:
    assert LANGUAGE_CODES == ("az", "ru", "en", "tly", "lez", "ka", "uk", "jdt")
    assert get_language("jdt").script == "Cyrl" and get_language("jdt").needs_native_review


def test_fallback_chains() -> None:
    assert fallback_chain("tly") == ("tly", "az")
    assert fallback_chain("lez") == ("lez", "az", "ru")
    assert fallback_chain("jdt") == ("jdt", "ru", "az")
    assert fallback_chain("az") == ("az",)
    assert fallback_chain("xx") == ("az",) and fallback_chain(None) == ("az",)


def test_every_shipped_language_is_complete() -> None:
    assert language_problems() == []


def test_the_check_names_what_a_new_language_lacks(tmp_path: Path) -> None:
    _, bare = parse_language(
        {"code": "hy", "position": 9, "english_name": "Armenian", "endonym": "Հայերեն",
         "babel_locale": "hy_AM", "script": "Armn"},
        "hy.yaml",
    )  # fmt: skip
    problems = "\n".join(language_problems([bare], tmp_path))
    for lack in ("'Armenian' is no catalogue message", "sms.label", "sdg_names has 0",
                 "tagging lexicon", "detection cue words", "number words one to ten"):  # fmt: skip
        assert lack in problems, lack
    for command in SMS_COMMANDS:
        assert f"no SMS keyword for {command.upper()}" in problems
    # A language that has everything but one keyword is told exactly that.
    jdt = get_language("jdt")
    keywords = tuple((c, w) for c, w in jdt.keywords if c != "forget")
    assert language_problems([replace(jdt, keywords=keywords)]) == [
        "jdt: no SMS keyword for FORGET (keywords.forget)"
    ]


def test_a_broken_language_file_is_refused(tmp_path: Path) -> None:
    good = (Path(__file__).parent.parent / "fikir/config/languages/jdt.yaml").read_text("utf-8")
    (tmp_path / "jdt.yaml").write_text(good.replace("  stop:", "  halt:"), "utf-8")
    with pytest.raises(LanguageFileError, match="unknown command"):
        load_languages(tmp_path)
    (tmp_path / "jdt.yaml").write_text(good.replace('["ru", "az"]  # languages its', '["xx"]  #'))
    with pytest.raises(LanguageFileError, match="unknown language"):
        load_languages(tmp_path)


# Words everyone types, whatever their language: they name no language.
UNIVERSAL = {"stop", "help", "join", "subscribe", "cancel", "стоп"}


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_keywords_in_every_language(lang: str) -> None:
    language = get_language(lang)
    others = {
        w for other in LANGUAGES if other.code != lang for _, ws in other.keywords for w in ws
    }
    for command in SMS_COMMANDS:
        words = language.keywords_for(command)
        assert words, (lang, command)
        for word in words:
            assert keyword(word) == command, (lang, word)
            if word.isascii() or not set(word) & set("abcdefghijklmnopqrstuvwxyz"):
                assert keyword(word.upper()) == command, (lang, word)
            if word not in others and word not in UNIVERSAL:
                assert keyword_language(word) == lang, (lang, word)


async def test_juhuri_is_reachable_from_the_telegram_language_menu(
    sqlite_runtime: Runtime,
) -> None:
    talk = Conversation(sqlite_runtime.engine, channel="telegram", address="7001")
    await talk.send("/start")
    assert "lang:jdt" in {c.payload for c in talk.choices()}
    await talk.press("lang:jdt")
    assert talk.said("jdt", p.CONSENT)
    await talk.press("consent:yes")
    assert talk.said("jdt", p.PROFILE_INTRO)


async def test_juhuri_is_reachable_from_the_sms_language_menu(sqlite_runtime: Runtime) -> None:
    talk = Conversation(sqlite_runtime.engine, channel="sms", address="+994501239876")
    await talk.send("12345")  # no language to be read in it: the menu is offered
    labels = [c.label for c in talk.choices()]
    assert "Juhuri" in labels
    await talk.send(str(labels.index("Juhuri") + 1))
    assert talk.said("jdt", p.CONSENT)
