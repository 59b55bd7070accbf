"""Whatever a channel hands the engine, a person gets a translated answer and no exception."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fikir.dialog import prompts as p
from fikir.dialog.messages import Inbound, Outcome
from fikir.i18n import translate
from fikir.runtime import Runtime, build_runtime
from tests.conftest import make_settings
from tests.harness import Conversation

_counter = itertools.count()

# Text as channels may deliver it: any code point, lone surrogates from broken UTF-8 included.
nasty_text = st.one_of(
    st.text(max_size=300),
    st.text(
        alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF), max_size=200
    ),
    st.binary(max_size=200).map(lambda b: b.decode("utf-8", "surrogateescape")),
    st.sampled_from(
        [
            "",
            " ",
            "\x00\x01\x02",
            "😀😀😀",
            "🇦🇿",
            "1" * 10_000,
            "a" * 10_000,
            "\u202e\u200b",
            "Salam мир ნინო",
            "<script>alert(1)</script>",
            "'; DROP TABLE respondent; --",
        ]
    ),
)
payloads = st.one_of(
    st.none(),
    st.text(max_size=80),
    st.sampled_from(
        [
            "poll:999:0",
            "poll:x:y",
            "lang:xx",
            "region:../../etc",
            "forget:yes",
            "consent:yes",
            "menu:nothing",
            "age:",
            "gender:" + "x" * 60,
        ]
    ),
)


@pytest.fixture
async def engine_runtime(tmp_path: Path, sqlite_url: str) -> Runtime:
    return build_runtime(make_settings(tmp_path, sqlite_url))


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=nasty_text, payload=payloads, stage=st.integers(min_value=0, max_value=4))
async def test_any_input_gets_an_answer(
    engine_runtime: Runtime, text: str, payload: str | None, stage: int
) -> None:
    talk = Conversation(engine_runtime.engine, address=f"fuzz-{next(_counter)}")
    steps = [
        ("send", "/start"),
        ("press", "lang:ru"),
        ("press", "consent:yes"),
        ("press", "region:skip"),
    ][:stage]
    for kind, value in steps:
        await (talk.send(value) if kind == "send" else talk.press(value))
    handled = await engine_runtime.engine.handle(
        Inbound(
            channel="console",
            address=talk.address,
            text=text,
            payload=payload,
            external_id=f"fuzz-{next(_counter)}",
        )
    )
    replies = handled.replies
    assert replies, "every inbound message is answered"
    assert handled.outcome is not Outcome.APOLOGISED, "no internal error for user input"
    error = translate("ru", p.ERROR)
    assert all(reply.text.strip() for reply in replies)
    assert all(reply.text != error for reply in replies), "no internal error for user input"


@pytest.mark.parametrize("lang", ["az", "ru", "en"])
async def test_bad_input_answers_are_translated(sqlite_runtime: Runtime, lang: str) -> None:
    talk = Conversation(sqlite_runtime.engine, address=f"bad-{lang}")
    await talk.send("/start")
    await talk.press(f"lang:{lang}")
    await talk.press("consent:yes")
    await talk.press("region:baku")
    await talk.press("age:skip")
    await talk.press("gender:skip")

    await talk.send("")
    assert talk.said(lang, p.EMPTY)
    await talk.send("😀🙏🔥")
    assert talk.said(lang, p.NOT_WORDS)
    await talk.send(None, media="voice")
    assert talk.said(lang, p.MEDIA)
    await talk.send("\x00\x07\x1b\u200b")
    assert talk.said(lang, p.EMPTY)
    await talk.press("poll:12345:0")
    assert talk.last and all(r.text for r in talk.last)
    await talk.send("/forget")
    await talk.send("7")  # not one of the two choices
    assert talk.said(lang, p.PICK_ONE)
    await talk.send("2")
    assert talk.said(lang, p.FORGET_KEPT)

    long_text = "Yollar çox pisdir. " * 1200  # about 23,000 characters
    await talk.send(long_text)
    assert talk.said(lang, p.THANKS_TRUNCATED, limit="", code="")
