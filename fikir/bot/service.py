"""A running Telegram channel: the bot, its outbox worker, and polling or the webhook."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Update
from pydantic import ValidationError

from fikir.bot.client import make_bot
from fikir.bot.commands import register_commands
from fikir.bot.pacing import Pacer
from fikir.bot.polling import poll
from fikir.bot.processor import UpdateProcessor
from fikir.bot.sender import TelegramSender
from fikir.bot.updates import ALLOWED_UPDATES
from fikir.outbox.worker import OutboxWorker, WorkerConfig
from fikir.runtime import Runtime

log = logging.getLogger(__name__)

PER_CHAT_GAP = 1.0  # seconds between two messages to one chat (Telegram's limit)
STOP_GRACE = 10.0  # seconds a batch in progress may take to finish at shutdown


@dataclass
class TelegramChannel:
    """What the webhook route needs from a started channel."""

    processor: UpdateProcessor
    webhook_secret: str | None

    async def receive(self, body: bytes) -> int:
        try:
            update = Update.model_validate(json.loads(body))
        except (ValueError, ValidationError):
            log.warning("a Telegram webhook call carried no readable update")
            return 400
        if not await self.processor.process(update):
            return 500  # neither stored nor spooled: Telegram sends it again later
        return 200


@asynccontextmanager
async def running_channel(runtime: Runtime) -> AsyncIterator[TelegramChannel]:
    settings = runtime.settings
    bot = make_bot(settings)
    sender = TelegramSender(bot, Pacer(settings.telegram_rate, PER_CHAT_GAP))
    # About ten seconds of sending: a batch ends when its slowest chat has had its replies one
    # second apart, so a longer batch keeps that tail short against the whole; a shorter one
    # leaves less to resend after a crash (Telegram cannot say what it already has).
    batch = max(50, min(500, int(settings.telegram_rate * 10)))
    worker = OutboxWorker(
        runtime.sessions,
        runtime.services.vault,
        sender,
        # Telegram's limits are kept by the sender's pacer: any one-second window, one message
        # per chat per second, each chat's replies in queue order, counted from the end of each
        # request. The worker's own limiter is set wide so as not to fight it: its token bucket
        # admits rows in claim order, which bunches a chat's replies together (five replies to
        # one person would spend five of thirty places and then wait out their gaps), and its
        # per-recipient gap wakes a chat's held-back rows together in no fixed order. The
        # bucket still pauses the whole worker after a 429.
        WorkerConfig(
            rate=settings.telegram_rate * 10,
            per_recipient_gap=None,
            batch=batch,
            concurrency=batch,
        ),
        runtime.instance,
        runtime.metrics,
    )
    processor = UpdateProcessor(runtime, bot, worker.wake)
    webhook = bool(settings.telegram_webhook_url)
    secret = settings.telegram_webhook_secret
    channel = TelegramChannel(processor, secret.get_secret_value() if webhook and secret else None)
    runtime.channel_status["telegram"] = "on (webhook)" if webhook else "on (polling)"
    runtime.outbox_wakers.append(worker.wake)  # digests and broadcasts queued elsewhere
    stop = asyncio.Event()
    worker_task = asyncio.create_task(worker.run(stop), name="telegram-outbox")
    updates_task = asyncio.create_task(_receive(bot, processor, runtime, stop), name="telegram-in")
    try:
        yield channel
    finally:
        runtime.outbox_wakers.remove(worker.wake)
        stop.set()
        await _finish(updates_task)  # the batch of updates in hand is finished and acknowledged
        sender.stop()  # the worker's batch ends quickly, leaving unsent rows for the next start
        await _finish(worker_task)
        await bot.session.close()


async def _receive(
    bot: Bot, processor: UpdateProcessor, runtime: Runtime, stop: asyncio.Event
) -> None:
    """Introduce the bot to Telegram (retrying while it is unreachable), then poll if polling."""
    settings = runtime.settings
    delay = 1.0
    while not stop.is_set():
        try:
            await bot.get_me()
            await register_commands(bot)
            if settings.telegram_webhook_url:
                secret = settings.telegram_webhook_secret
                await bot.set_webhook(
                    settings.telegram_webhook_url,
                    secret_token=secret.get_secret_value() if secret else None,
                    allowed_updates=list(ALLOWED_UPDATES),
                )
            else:
                # getUpdates is refused while a webhook is set; pending updates are kept.
                await bot.delete_webhook(drop_pending_updates=False)
            break
        except TelegramAPIError as exc:
            log.warning(
                "Telegram is not answering (%s); retrying in %.0f s", type(exc).__name__, delay
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=delay)
            delay = min(60.0, delay * 2)
    else:
        return
    log.info(
        "Telegram bot connected (%s)", "webhook" if settings.telegram_webhook_url else "polling"
    )
    while not settings.telegram_webhook_url and not stop.is_set():
        try:
            await poll(bot, processor, stop)
        except Exception:
            log.exception("Telegram polling stopped on an unexpected error; restarting in 5 s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=5)


async def _finish(task: asyncio.Task[None]) -> None:
    try:
        await asyncio.wait_for(task, timeout=STOP_GRACE)
    except TimeoutError:
        log.warning("task %s did not stop within %.0f s; cancelled", task.get_name(), STOP_GRACE)
    except Exception:
        log.exception("task %s failed while stopping", task.get_name())
