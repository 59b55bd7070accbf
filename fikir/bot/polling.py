"""Long polling: fetch a batch, apply it, and only then acknowledge it with the next offset."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramConflictError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import Update

from fikir.bot.processor import UpdateProcessor
from fikir.bot.updates import ALLOWED_UPDATES

log = logging.getLogger(__name__)

POLL_TIMEOUT = 25  # seconds Telegram holds a getUpdates call open when there is nothing new
MAX_BACKOFF = 30.0


async def poll(
    bot: Bot, processor: UpdateProcessor, stop: asyncio.Event, timeout: int = POLL_TIMEOUT
) -> None:
    """Run until `stop` is set; a batch being processed is finished first, never cut short."""
    offset: int | None = None
    backoff = 1.0
    kept: set[int] = set()  # kept (committed or spooled) but behind one that was not
    retry = 1.0  # grows while updates cannot be kept
    while not stop.is_set():
        updates = await _fetch(bot, offset, timeout, stop)
        if updates is None:
            break
        if isinstance(updates, float):
            backoff = max(backoff, updates)
            log.warning("Telegram getUpdates failed; trying again in %.0f s", backoff)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=backoff)
            backoff = min(MAX_BACKOFF, backoff * 2)
            continue
        backoff = 1.0
        if not updates:
            continue
        not_kept = await processor.process_batch(updates, kept)
        if not not_kept:
            # Telegram forgets updates below the next call's offset: they are kept by now.
            offset = updates[-1].update_id + 1
            kept.clear()
            retry = 1.0
            continue
        # Neither the database nor the spool could keep one: acknowledge only what came before
        # it, remember what was kept after it (so it is not spooled twice), and ask again later.
        offset = not_kept[0]
        fetched = {u.update_id for u in updates}
        kept = {k for k in kept | fetched if k > offset and k not in not_kept}
        log.warning("Telegram updates not kept; fetching them again in %.0f s", retry)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=retry)
        retry = min(MAX_BACKOFF, retry * 2)
    if offset is not None:
        # Acknowledge the last batch now, so a restart does not fetch it again.
        with contextlib.suppress(TelegramAPIError, TimeoutError):
            await bot.get_updates(offset=offset, limit=1, timeout=0, request_timeout=5)


async def _fetch(
    bot: Bot, offset: int | None, timeout: int, stop: asyncio.Event
) -> list[Update] | float | None:
    """The next batch; a delay in seconds after a failure; None when asked to stop."""
    fetch = asyncio.ensure_future(
        bot.get_updates(
            offset=offset,
            timeout=timeout,
            allowed_updates=list(ALLOWED_UPDATES),
            request_timeout=timeout + 10,
        )
    )
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if not fetch.done():
        fetch.cancel()
        with contextlib.suppress(asyncio.CancelledError, TelegramAPIError):
            await fetch
        return None
    try:
        return fetch.result()
    except TelegramRetryAfter as exc:
        return float(exc.retry_after)
    except TelegramConflictError:
        log.warning("getUpdates conflicts with a webhook or another poller of this bot")
        return 5.0
    except TelegramUnauthorizedError:
        log.error("Telegram refused the bot token; check FIKIR_TELEGRAM_TOKEN")
        return MAX_BACKOFF
    except TelegramAPIError as exc:
        log.warning("getUpdates failed: %s", type(exc).__name__)
        return 1.0
