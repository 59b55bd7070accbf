"""A poll written in Azerbaijani alone reaches Talysh, Lezgian and Georgian speakers on Telegram
and by SMS (through the loopback Bot API and Twilio) in their fallback language, the SMS cost
counts the text each of them really gets, and their answers count, in their own number words."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio
from sqlmodel import select

from fikir.config.fallbacks import DEFAULT_FALLBACKS, FallbackError, parse_chain
from fikir.dialog import prompts as p
from fikir.dialog.outreach import open_poll
from fikir.outbox.segments import count_segments
from fikir.polls.broadcast import plan_broadcast, sms_poll_text
from fikir.polls.manage import PollError, PollSpec, create_poll
from fikir.polls.service import load_view
from fikir.runtime import Runtime, build_runtime
from fikir.storage.language_tables import LanguageFallback, load_fallbacks
from fikir.storage.models import PollAnswer, Respondent
from tests.conftest import make_settings
from tests.fakes.telegram_server import FakeTelegram
from tests.fakes.twilio_server import FakeTwilio
from tests.harness import Conversation
from tests.test_polls_lifecycle import onboard
from tests.test_updates import deliver

AZ_ONLY = {
    "slug": "az-only",
    "question": {"az": "Kəndinizdə ən vacib nədir?"},
    "options": [{"az": "Su"}, {"az": "Yollar"}, {"az": "Məktəblər"}],
}
# (channel, language, address, reply, option it picks): replies in the reader's own words.
PEOPLE = [
    ("sms", "tly", "+994505550101", "dı", 1),  # Talysh "two"
    ("sms", "lez", "+994505550102", "кьвед", 1),  # Lezgian "two"
    ("sms", "ka", "+994505550103", "ორი", 1),  # Georgian "two"
    ("sms", "az", "+994505550104", "yollar", 1),  # the option's own word
    ("telegram", "tly", "7100000201", "se", 2),  # Talysh "three"
    ("telegram", "lez", "7100000202", "пуд", 2),  # Lezgian "three"
    ("telegram", "ka", "7100000203", "მესამე", 2),  # Georgian "third"
    ("sms", "ka", "+994505550105", "წყალი", 0),  # Georgian "water": an everyday word
    ("telegram", "tly", "7100000204", "ov", 0),  # Talysh "water"
]


@pytest_asyncio.fixture
async def wired(
    tmp_path: Path, db_url: str
) -> AsyncIterator[tuple[Runtime, FakeTelegram, FakeTwilio]]:
    telegram = FakeTelegram()
    await telegram.start()
    async with FakeTwilio() as twilio:
        settings = make_settings(
            tmp_path, db_url, telegram_token=telegram.token, telegram_api_url=telegram.url,
            twilio_account_sid=twilio.account_sid, twilio_auth_token=twilio.auth_token,
            twilio_from="FIKIR", twilio_api_url=twilio.url, sms_segment_cost=0.1,
        )  # fmt: skip
        runtime = build_runtime(settings)
        try:
            yield runtime, telegram, twilio
        finally:
            await runtime.close()
            await telegram.stop()


async def test_an_az_only_poll_reaches_and_counts_every_fallback_reader(
    wired: tuple[Runtime, FakeTelegram, FakeTwilio],
) -> None:
    runtime, telegram, twilio = wired
    talks: list[tuple[Conversation, str, str, str, str, int]] = []
    for channel, lang, address, reply, option in PEOPLE:
        talk = await onboard(runtime, channel, address, lang, "baku")
        talks.append((talk, channel, lang, address, reply, option))
    async with runtime.sessions() as session, session.begin():
        await create_poll(session, PollSpec.from_dict(AZ_ONLY))
    async with runtime.sessions() as session:
        view = await load_view(session, 1)
        assert view is not None
        plan = await plan_broadcast(session, view, runtime.settings)
    az_sms = sms_poll_text(view, "az", "auto")
    # The cost counts the Azerbaijani text every SMS reader gets (plain letters: GSM-7).
    for lang in ("tly", "lez", "ka", "az"):
        preview = plan.previews[("sms", lang)]
        assert (preview.gets, preview.text, preview.encoding) == ("az", az_sms, "GSM-7"), lang
    assert plan.total_segments == 5 * count_segments(az_sms).segments
    assert plan.estimated_cost == pytest.approx(plan.total_segments * 0.1)
    assert "  sms/ka (falls back to az): 2 × 1 GSM-7 segment(s)" in plan.lines()

    async with runtime.sessions() as session, session.begin():
        await open_poll(session, "az-only", runtime.settings, datetime.now(UTC))
    await deliver(runtime)
    for _talk, channel, lang, address, _reply, _option in talks:
        if channel == "sms":
            assert [m.body for m in twilio.to(address)] == [az_sms], lang
            assert "Kendinizde en vacib nedir?" in az_sms and "2 Yollar" in az_sms
        else:
            [message] = telegram.to_chat(int(address))
            assert message.text == "Kəndinizdə ən vacib nədir?", lang
            assert "Məktəblər" in str(message.buttons), lang

    for talk, _channel, lang, _address, reply, _option in talks:
        await talk.send(reply)
        assert talk.said(lang, p.POLL_THANKS), (lang, reply, talk.text())
    async with runtime.sessions() as session:
        rows = (
            await session.exec(
                select(Respondent.language, Respondent.channel, PollAnswer.position).join(
                    PollAnswer, PollAnswer.respondent_id == Respondent.id
                )
            )
        ).all()
    got = sorted((channel, lang, position) for lang, channel, position in rows)
    assert got == sorted((c, lang, option) for c, lang, _a, _r, option in PEOPLE)


async def test_admins_chains_decide_which_text_a_reader_gets(runtime: Runtime) -> None:
    spec = {
        "slug": "two-langs",
        "question": {"az": "Nə vacibdir?", "ru": "Что важнее?"},
        "options": [{"az": "Su", "ru": "Вода"}, {"az": "Yol", "ru": "Дороги"}],
    }
    async with runtime.sessions() as session, session.begin():
        await create_poll(session, PollSpec.from_dict(spec))
    async with runtime.sessions() as session:
        view = await load_view(session, 1)
    assert view is not None
    # The registry: Georgian readers get Azerbaijani first, Ukrainian readers Russian.
    assert view.question_in("ka") == "Nə vacibdir?" and view.question_in("uk") == "Что важнее?"
    async with runtime.sessions() as session, session.begin():
        session.add(LanguageFallback(code="ka", chain=",".join(parse_chain("ka", "ru → az"))))
    async with runtime.sessions() as session:
        view = await load_view(session, 1)
        chains = await load_fallbacks(session)
    assert view is not None and view.question_in("ka") == "Что важнее?"
    assert view.labels_in("ka") == ["Вода", "Дороги"]
    assert chains.order("ka")[:3] == ("ka", "ru", "az")
    # With no text along the chain, any text there is: a poll in English alone reaches everyone.
    assert DEFAULT_FALLBACKS.resolve(["en"], "lez") == "en"
    assert DEFAULT_FALLBACKS.resolve([], "lez") is None
    for bad in ("xx", "ka", "az, az"):
        with pytest.raises(FallbackError):
            parse_chain("ka", bad)


@pytest.mark.parametrize(
    ("question", "options", "problem"),
    [
        ({}, [{"az": "Su"}, {"az": "Yol"}], "at least one language"),
        ({"az": "Nə?"}, [{"az": "Su"}, {"ru": "Дороги"}], "option 2: missing translation for az"),
        ({"az": "Nə?"}, [{"az": "Su", "ru": "Вода"}, {"az": "Yol"}], "has no ru text"),
        ({"xx": "?"}, [{"xx": "a"}, {"xx": "b"}], "unknown language"),
    ],
)
async def test_a_language_is_written_whole_or_not_at_all(
    runtime: Runtime, question: dict[str, str], options: list[dict[str, str]], problem: str
) -> None:
    spec = PollSpec.from_dict({"slug": "gappy", "question": question, "options": options})
    async with runtime.sessions() as session:
        with pytest.raises(PollError, match=problem):
            await create_poll(session, spec)


def test_cli_creates_an_az_only_poll_and_refuses_a_half_written_language(tmp_path: Path) -> None:
    import yaml
    from typer.testing import CliRunner

    from fikir.cli import app
    from tests.conftest import TEST_SECRET

    env = {
        "FIKIR_DATA_DIR": str(tmp_path / "var"),
        "FIKIR_SECRET_KEY": TEST_SECRET,
        "FIKIR_ENV": "test",
    }
    assert CliRunner().invoke(app, ["db", "upgrade"], env=env).exit_code == 0
    spec = tmp_path / "poll.yaml"
    spec.write_text(yaml.safe_dump(AZ_ONLY, allow_unicode=True), encoding="utf-8")
    created = CliRunner().invoke(app, ["poll", "create", "--file", str(spec)], env=env)
    assert created.exit_code == 0 and "Created poll az-only" in created.output, created.output
    shown = CliRunner().invoke(app, ["poll", "results", "az-only", "--lang", "lez"], env=env)
    assert shown.output.startswith("Kəndinizdə ən vacib nədir?"), shown.output
    half = {**AZ_ONLY, "slug": "half", "question": {"az": "Nə?", "ru": "Что?"}}
    spec.write_text(yaml.safe_dump(half, allow_unicode=True), encoding="utf-8")
    refused = CliRunner().invoke(app, ["poll", "create", "--file", str(spec)], env=env)
    assert refused.exit_code == 2 and "option 1: missing translation for ru" in refused.output


async def test_updates_follow_the_same_chains(runtime: Runtime) -> None:
    from fikir.updates.manage import create_update, load_update
    from fikir.updates.model import UpdateSpec

    spec = UpdateSpec(
        title={"az": "Su xətti", "ru": "Водопровод"},
        body={"az": "Su çəkildi.", "ru": "Воду провели."},
        goals=(6,),
    )
    async with runtime.sessions() as session, session.begin():
        await create_update(session, spec, None, datetime.now(UTC))
    async with runtime.sessions() as session:
        loaded = await load_update(session, 1)
    assert loaded is not None
    assert [loaded.title_in(lang) for lang in ("tly", "lez", "ka", "uk", "jdt")] == [
        "Su xətti", "Su xətti", "Su xətti", "Водопровод", "Водопровод"
    ]  # fmt: skip
    async with runtime.sessions() as session, session.begin():
        session.add(LanguageFallback(code="lez", chain="ru,az"))
    async with runtime.sessions() as session:
        loaded = await load_update(session, 1)
    assert loaded is not None and loaded.body_in("lez") == "Воду провели."
