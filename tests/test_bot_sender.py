"""The Telegram sender against the loopback Bot API: what goes out, and what each error means."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiogram import Bot

from fikir.bot.client import make_bot
from fikir.bot.pacing import Pacer
from fikir.bot.sender import TelegramSender
from fikir.config.settings import Settings
from fikir.outbox.message import Failed, OutboundMessage, RetryLater, Sent
from tests.fakes.telegram_server import FakeTelegram, max_in_window

CHAT = 7305550001


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    settings = Settings(telegram_token=fake.token, telegram_api_url=fake.url)
    client = make_bot(settings)
    try:
        yield client
    finally:
        await client.session.close()


async def test_text_with_choices_goes_as_one_message_with_its_keyboard(
    fake: FakeTelegram, bot: Bot
) -> None:
    sender = TelegramSender(bot, Pacer(30))
    message = OutboundMessage("Razısınız?", (("consent:yes", "Bəli"), ("consent:no", "Xeyr")), "az")
    result = await sender.send(str(CHAT), message, 1)
    assert isinstance(result, Sent) and result.provider_id is not None
    [sent] = fake.to_chat(CHAT)
    assert sent.text == "Razısınız?"
    assert sent.choices() == [("Bəli", "consent:yes"), ("Xeyr", "consent:no")]
    assert str(sent.message_id) == result.provider_id
    assert "parse_mode" not in fake.calls_to("sendMessage")[0].params


async def test_429_means_retry_after_and_nothing_leaves_meanwhile(
    fake: FakeTelegram, bot: Bot
) -> None:
    sender = TelegramSender(bot, Pacer(30))
    fake.fail_next("sendMessage", retry_after=1)
    result = await sender.send(str(CHAT), OutboundMessage("salam"), 1)
    assert result == RetryLater(seconds=1.0, reason="rate_limited")
    refused_at = fake.send_attempts[-1][0]
    assert isinstance(await sender.send(str(CHAT + 1), OutboundMessage("salam"), 2), Sent)
    assert fake.send_attempts[-1][0] - refused_at >= 0.95  # the pause covers every chat


@pytest.mark.parametrize(
    ("status", "description", "expected"),
    [
        (403, "Forbidden: bot was blocked by the user", Failed("", blocked=True)),
        (403, "Forbidden: user is deactivated", Failed("", blocked=True)),
        (400, "Bad Request: chat not found", Failed("", blocked=True)),
        (400, "Bad Request: can't parse entities", Failed("", blocked=False)),
        (500, "Internal Server Error", RetryLater(5.0)),
        (502, "Bad Gateway", RetryLater(5.0)),
        (401, "Unauthorized", RetryLater(60.0)),
    ],
)
async def test_errors_map_to_outbox_results(
    fake: FakeTelegram, bot: Bot, status: int, description: str, expected: object
) -> None:
    sender = TelegramSender(bot, Pacer(30))
    fake.fail_next("sendMessage", status=status, description=description)
    result = await sender.send(str(CHAT), OutboundMessage("salam"), 7)
    assert type(result) is type(expected)
    if isinstance(expected, Failed):
        assert isinstance(result, Failed) and result.blocked is expected.blocked
        assert str(CHAT) not in result.reason
    else:
        assert isinstance(result, RetryLater) and isinstance(expected, RetryLater)
        assert result.seconds == expected.seconds


async def test_a_blocked_chat_is_not_a_crash(fake: FakeTelegram, bot: Bot) -> None:
    fake.blocked.add(CHAT)
    result = await TelegramSender(bot, Pacer(30)).send(str(CHAT), OutboundMessage("x"), 1)
    assert isinstance(result, Failed) and result.blocked


async def test_not_a_chat_id_fails_without_a_request(fake: FakeTelegram, bot: Bot) -> None:
    result = await TelegramSender(bot, Pacer(30)).send("+994501234567x", OutboundMessage("x"), 1)
    assert isinstance(result, Failed) and not result.blocked
    assert fake.calls == []


async def test_documents_and_charts_are_uploaded(
    fake: FakeTelegram, bot: Bot, tmp_path: Path
) -> None:
    sender = TelegramSender(bot, Pacer(30))
    pdf = tmp_path / "digest.pdf"
    pdf.write_bytes(b"%PDF-1.4 fikir digest")
    png = tmp_path / "goals.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\nchart")
    doc = OutboundMessage("Oktyabr xülasəsi", (), "az", str(pdf), "fikir-digest-2026-10.pdf")
    assert isinstance(await sender.send(str(CHAT), doc, 1), Sent)
    chart = OutboundMessage("Məqsədlər", (), "az", str(png), "goals.png")
    assert isinstance(await sender.send(str(CHAT + 1), chart, 2), Sent)
    long = OutboundMessage("sətir\n" * 400, (), "az", str(pdf), "d.pdf")
    assert isinstance(await sender.send(str(CHAT + 2), long, 3), Sent)
    [document] = fake.to_chat(CHAT)
    assert document.kind == "document" and document.text == "Oktyabr xülasəsi"
    assert document.file_name == "fikir-digest-2026-10.pdf"
    assert document.file_bytes == pdf.read_bytes()
    [photo] = fake.to_chat(CHAT + 1)
    assert photo.kind == "photo" and photo.file_bytes == png.read_bytes()
    parts = fake.to_chat(CHAT + 2)
    assert [m.kind for m in parts] == ["text", "document"]
    assert parts[1].at - parts[0].at >= 1.0  # one chat, one message a second


async def test_pacing_holds_both_limits_and_each_chats_order(fake: FakeTelegram, bot: Bot) -> None:
    """A scaled-down Telegram (20/s, 0.25 s per chat) refuses anything faster with 429."""
    fake.rate, fake.chat_gap = 20, 0.25
    sender = TelegramSender(bot, Pacer(20, gap=0.25))
    chats = [CHAT + i for i in range(12)]
    started = time.monotonic()
    results = await asyncio.gather(
        *(sender.send(str(chat), OutboundMessage(f"{n}"), n) for n in range(5) for chat in chats)
    )
    elapsed = time.monotonic() - started
    assert all(isinstance(r, Sent) for r in results), results
    assert fake.violations == []
    assert fake.max_rate() <= 20
    for chat in chats:
        received = fake.to_chat(chat)
        assert [m.text for m in received] == ["0", "1", "2", "3", "4"]
        assert max_in_window([m.at for m in received], 0.25) == 1
    assert elapsed >= 2.0  # 60 messages at 20/s cannot be quicker


def test_max_in_window_counts_sliding_windows() -> None:
    assert max_in_window([]) == 0
    assert max_in_window([0.0, 0.5, 0.99, 1.0, 1.5]) == 3
    assert max_in_window([0.0, 1.0, 2.0]) == 1


async def test_after_stop_nothing_new_leaves_and_it_is_kept_for_later(
    fake: FakeTelegram, bot: Bot
) -> None:
    sender = TelegramSender(bot, Pacer(30))
    sender.stop()
    result = await sender.send(str(CHAT), OutboundMessage("salam"), 1)
    assert isinstance(result, RetryLater) and result.reason == "stopping"
    assert fake.calls == []
