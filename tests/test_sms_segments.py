"""`fikir sms segments`: every SMS prompt in every language, counted as it will be billed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fikir.config.languages import LANGUAGE_CODES
from fikir.outbox.message import OutboundMessage
from fikir.polls.manage import PollSpec, create_poll, set_status
from fikir.sms.audit import SMS_PROMPTS, poll_lines, prompt_lines
from fikir.sms.cli import app
from fikir.sms.estimate import estimate
from fikir.sms.segments import count_segments
from fikir.storage.engine import create_async_db_engine, make_sessionmaker

runner = CliRunner()


def test_the_command_prints_every_prompt_in_every_language() -> None:
    result = runner.invoke(app, ["segments"])
    lines = result.output.splitlines()
    for prompt in SMS_PROMPTS:
        for lang in LANGUAGE_CODES:
            assert any(
                line.split()[:2] == [prompt.name, lang] and "segment(s)" in line for line in lines
            ), (prompt.name, lang)
    total = len(SMS_PROMPTS) * len(LANGUAGE_CODES)
    assert f"{total} messages checked" in lines[-1]
    too_long = [line for line in lines if "TOO LONG" in line]
    assert result.exit_code == (1 if too_long else 0)
    assert f"; {len(too_long)} too long" in lines[-1]


def test_counts_are_those_of_the_text_as_sent() -> None:
    for line in prompt_lines():
        assert line.info == count_segments(line.text)
        if line.language in {"ru", "uk", "lez", "ka"}:
            assert line.info.encoding == "UCS-2", (line.name, line.language)
        assert "\n" in line.text or not line.text.count("1 ") > 1  # choices on their own line


def test_every_sms_reply_fits_one_segment() -> None:
    """The issue's rule: each reply fits 1 segment in every language (prompts.py is the lead's)."""
    too_long = [line.describe() for line in prompt_lines() if not line.fits]
    assert not too_long, "SMS replies over one segment:\n" + "\n".join(too_long)


def test_polls_are_checked_against_two_segments(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    short = dict.fromkeys(LANGUAGE_CODES, "Su?")
    long = dict.fromkeys(LANGUAGE_CODES, "Bu sualın mətni çox uzundur və SMS-ə sığmır. " * 8)
    options = (dict.fromkeys(LANGUAGE_CODES, "Bəli"), dict.fromkeys(LANGUAGE_CODES, "Xeyr"))

    async def seed() -> None:
        db = create_async_db_engine(sqlite_url)
        async with make_sessionmaker(db)() as session, session.begin():
            await create_poll(session, PollSpec("short-one", short, options))
            await create_poll(session, PollSpec("long-one", long, options))
            await set_status(session, "short-one", "open", datetime.now(UTC))
        await db.dispose()

    asyncio.run(seed())  # the command runs its own event loop, so this test has none

    monkeypatch.setenv("FIKIR_DATABASE_URL", sqlite_url)
    result = runner.invoke(app, ["segments", "--polls", "--only-problems"])
    flagged = [line for line in result.output.splitlines() if line.startswith("poll ")]
    assert result.exit_code == 1
    assert flagged and all("long-one" in line and "limit 2" in line for line in flagged)
    assert len(flagged) == len(LANGUAGE_CODES)


def test_poll_lines_number_the_options() -> None:
    from fikir.polls.model import view
    from fikir.storage.models import Poll, PollOption

    poll = Poll(id=7, slug="p", question='{"az": "Yol?", "ru": "Дорога?"}')
    options = [
        PollOption(poll_id=7, position=0, labels='{"az": "Bəli", "ru": "Да"}'),
        PollOption(poll_id=7, position=1, labels='{"az": "Xeyr", "ru": "Нет"}'),
    ]
    lines = {line.language: line for line in poll_lines([view(poll, options)])}
    assert lines["ru"].text == "Дорога?\n1 Да  2 Нет"
    assert lines["az"].fits and lines["az"].limit == 2


def test_broadcast_estimate_counts_segments_and_cost() -> None:
    az = OutboundMessage("Yeni sorğu: kəndinizdə ən böyük problem nədir?", language="az")
    ru = OutboundMessage("Новый опрос: какая главная проблема в вашем селе? " * 2, language="ru")
    found = estimate([(az, 1000), (ru, 500)], cost_per_segment=0.05)
    assert found.messages == 1500
    assert found.by_language == {"az": (1000, 1000), "ru": (500, 1000)}  # az goes as GSM-7
    assert found.segments == 2000 and found.cost == pytest.approx(100.0)
    assert "1,500 SMS, 2,000 segments, about $100.00" in found.describe()
