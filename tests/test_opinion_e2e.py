"""Acceptance: voting on the opinion map through the real `fikir run`, over SMS (the loopback
Twilio, signed webhooks) and Telegram (the loopback Bot API): a round reaches subscribers, a
bare number or a word in any language votes, one's own statement is redacted and held."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio
from sqlmodel import select

from fikir.dialog.opinion_outreach import send_round
from fikir.opinion import texts as o
from fikir.opinion.service import TopicSpec, create_topic
from fikir.sms.audit import POLL_LIMIT
from fikir.sms.segments import to_gsm7_azerbaijani
from fikir.storage.engine import create_async_db_engine, make_sessionmaker
from fikir.storage.opinion_tables import OpinionStatement, OpinionVote
from tests.conftest import make_settings
from tests.fakes.fikir_process import FikirProcess, settle, table_rows
from tests.fakes.telegram_server import FakeTelegram, FakeUser
from tests.harness import spoken
from tests.test_opinion_dialog import TOPIC
from tests.test_sms_service import Stack, says, stack  # noqa: F401 - the fixture

pytestmark = pytest.mark.asyncio(loop_scope="module")

LEYLA = FakeUser(7645678901, "Leyla", "Məmmədova", "leyla_m", "ru")


async def _round(url: str, tmp: Path, *, create: bool) -> int:
    """Staff seed the topic (once) and send a round, as `fikir opinion send` does."""
    db = create_async_db_engine(url)
    try:
        async with make_sessionmaker(db)() as session, session.begin():
            if create:
                await create_topic(session, TopicSpec.from_dict(TOPIC))
            settings = make_settings(tmp, url)
            _, sent = await send_round(
                session, "youth-centre", settings, datetime.now(UTC), confirmed=lambda _: True
            )
            assert sent is not None
            return sent
    finally:
        await db.dispose()


async def _sent_to(service: Stack, number: str, count: int) -> list[str]:
    deadline = time.monotonic() + 15
    while len(service.twilio.to(number)) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    return [m.body for m in service.twilio.to(number)]


async def test_sms_votes_by_number_and_word_and_adds_a_statement(
    stack: Stack,  # noqa: F811 - the imported fixture
    tmp_path: Path,
) -> None:
    number = "+994505557701"
    await stack.twilio_sms(number, "Salam")
    await stack.twilio_sms(number, "1")  # consent
    url = f"sqlite:///{stack.db_files[0]}"
    assert await _round(url, tmp_path, create=True) >= 1
    [statement] = (await _sent_to(stack, number, 1))[-1:]
    assert to_gsm7_azerbaijani("Mərkəz axşamlar açıq olmalıdır.") in statement
    assert "1 Raziyam  2 Razi deyilem  3 Bilmirem" in statement

    bodies = await stack.twilio_sms(number, "1", POLL_LIMIT)  # agree
    assert any(to_gsm7_azerbaijani("İdman kompüterdən vacibdir.") in b for b in bodies), bodies
    bodies = await stack.twilio_sms(number, "razı deyiləm", POLL_LIMIT)  # disagree, in words
    assert any("«" in b or '"' in b for b in bodies), bodies
    bodies = await stack.twilio_sms(number, "pass")  # the English word too; one part
    assert says(bodies, "az", o.SMS_ADD_ASK), bodies
    bodies = await stack.twilio_sms(
        number, "Mərkəzdə kitabxana lazımdır, mənə +994 50 765 43 21 nömrəsinə yazın"
    )
    assert says(bodies, "az", o.ADDED), bodies

    async with stack.sessions() as session:
        votes = (await session.exec(select(OpinionVote).order_by(OpinionVote.id))).all()
        [own] = (
            await session.exec(select(OpinionStatement).where(OpinionStatement.status == "pending"))
        ).all()
    assert [v.vote for v in votes] == [1, -1, 0]
    assert "765 43 21" not in own.texts and "kitabxana" in own.texts


# Telegram -------------------------------------------------------------------------------------
@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[tuple[FakeTelegram, FikirProcess]]:
    fake = FakeTelegram()
    await fake.start()
    process = FikirProcess(
        tmp_path_factory.mktemp("opinion-telegram"),
        {"FIKIR_TELEGRAM_TOKEN": fake.token, "FIKIR_TELEGRAM_API_URL": fake.url},
    )
    try:
        await process.start()
        await fake.wait_for(lambda: bool(fake.calls_to("getUpdates")), 20, "polling")
        yield fake, process
    finally:
        await process.stop()
        await fake.stop()


async def test_telegram_votes_by_button_and_by_typed_word(
    bot: tuple[FakeTelegram, FikirProcess], tmp_path: Path
) -> None:
    fake, process = bot
    database = process.data_dir / "fikir.db"

    async def press(data: str, expect: int = 1) -> list[str]:
        before = len(fake.to_chat(LEYLA.id))
        fake.queue(fake.callback_update(LEYLA, None, data))
        return [m.text for m in (await fake.replies(LEYLA.id, before + expect, 20))[before:]]

    fake.say(LEYLA, "/start")
    await fake.replies(LEYLA.id, 1, 20)
    await press("lang:ru")
    await press("consent:yes", expect=2)
    for data in ("region:baku", "age:skip", "gender:skip"):
        await press(data)
    await settle(fake, database)
    before = len(fake.to_chat(LEYLA.id))
    assert await _round(process.database_url, tmp_path, create=True) == 1
    [sent] = (await fake.replies(LEYLA.id, before + 1, 20))[before:]
    assert sent.text == spoken("ru", o.ASK, statement="Центр должен работать по вечерам.")
    assert [label for label, _ in sent.choices()] == ["Согласен", "Не согласен", "Не знаю"]

    [second] = await press(sent.data_for("Согласен"))
    assert "İdman" in second  # no Russian text: the fallback chain's language
    before = len(fake.to_chat(LEYLA.id))
    fake.say(LEYLA, "не согласен")  # typed, not pressed
    [third] = (await fake.replies(LEYLA.id, before + 1, 20))[before:]
    assert "Нужен отдельный зал для девушек." in third.text
    [offer] = await press(third.data_for("Не знаю"))
    assert offer == spoken("ru", o.ADD_ASK)
    await settle(fake, database)
    votes = [(row["statement_id"], row["vote"]) for row in table_rows(database, "opinion_vote")]
    assert votes == [(1, 1), (2, -1), (3, 0)]
    assert all(json.dumps(LEYLA.id) not in str(row) for row in table_rows(database, "opinion_vote"))
