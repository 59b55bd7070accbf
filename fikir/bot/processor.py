"""Applying updates: exactly once, each chat's in order, every pressed button answered.

The dialog engine records the update_id and queues its replies in one transaction; an update
is acknowledged to Telegram (polling offset, webhook 200) only after that has committed or the
update is in the local spool. One that neither the database nor the spool could keep is not
acknowledged, so Telegram offers it again. An update that fails for any other reason is logged
by number, never by content, and set aside with an apology queued for the person, so it never
holds up the ones after it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Container, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Update
from sqlmodel import select

from fikir.bot.idempotency import was_recorded
from fikir.bot.staff import handle_staff
from fikir.bot.updates import CHANNEL, Callback, Event, to_event
from fikir.dialog.engine import STORE_ERRORS
from fikir.dialog.messages import Inbound, Outcome, Reply
from fikir.outbox.message import OutboundMessage
from fikir.outbox.queue import enqueue
from fikir.runtime import Runtime
from fikir.spool import NotKept, handle_or_spool
from fikir.storage.models import Respondent

log = logging.getLogger(__name__)

CHATS_AT_ONCE = 8  # chats processed concurrently within one batch of updates


class ChatLocks:
    """One lock per chat while anyone holds or waits for it, so webhook calls stay in order."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


class UpdateProcessor:
    """Turns updates into engine calls and staff commands; shared by polling and the webhook."""

    def __init__(
        self,
        runtime: Runtime,
        bot: Bot,
        wake: Callable[[], None],
        concurrency: int = CHATS_AT_ONCE,
    ) -> None:
        self._runtime = runtime
        self._bot = bot
        self._wake = wake
        self._concurrency = concurrency
        self._locks = ChatLocks()
        self.processed = 0
        self.set_aside = 0
        self.not_kept = 0

    async def process_batch(
        self, updates: Sequence[Update], kept: Container[int] = frozenset()
    ) -> list[int]:
        """Process a getUpdates batch: chats side by side, each chat's updates in order.

        Returns the ids of the updates that were not kept (nor any after them in their chat):
        they must not be acknowledged. Updates in `kept` were kept by an earlier call.
        """
        by_chat: dict[str, list[tuple[Update, Event | None]]] = {}
        for update in updates:
            if update.update_id in kept:
                continue
            event = self._read(update)
            key = event.chat_key if event is not None else ""
            by_chat.setdefault(key, []).append((update, event))
        gate = asyncio.Semaphore(self._concurrency)
        not_kept: list[int] = []

        async def run(items: list[tuple[Update, Event | None]]) -> None:
            async with gate:
                for index, (_update, event) in enumerate(items):
                    if event is not None and not await self.apply(event):
                        # The chat's later updates wait too, so that they stay in order.
                        not_kept.extend(update.update_id for update, _ in items[index:])
                        return

        await asyncio.gather(*(run(items) for items in by_chat.values()))
        return sorted(not_kept)

    async def process(self, update: Update) -> bool:
        """Process one update (a webhook call); True once its effects are committed or spooled."""
        event = self._read(update)
        return event is None or await self.apply(event)

    def _read(self, update: Update) -> Event | None:
        try:
            return to_event(update)
        except Exception:
            log.exception("Telegram update %d could not be read; set aside", update.update_id)
            self.set_aside += 1
            return None

    async def apply(self, event: Event) -> bool:
        """Apply one event; False when neither the database nor the spool could keep it."""
        async with self._locks.hold(event.chat_key):
            log.debug("applying Telegram update %d", event.update_id)
            try:
                await self._apply(event)
                self.processed += 1
            except (NotKept, *STORE_ERRORS) as exc:
                # Not acknowledged: Telegram offers it again, and the button keeps spinning.
                log.error(
                    "Telegram update %d could not be kept (%s); left for Telegram to resend",
                    event.update_id,
                    type(exc).__name__,
                )
                self.not_kept += 1
                return False
            except Exception:
                log.exception("Telegram update %d failed; set aside", event.update_id)
                self.set_aside += 1
        if event.callback is not None:
            await self._close(event.callback)
        self._wake()
        return True

    async def _apply(self, event: Event) -> None:
        runtime = self._runtime
        now = datetime.now(UTC)
        if event.staff is not None:
            async with runtime.sessions() as session, session.begin():
                await handle_staff(session, runtime.services, event.staff, event.update_id, now)
        elif event.inbound is not None:
            handled = await handle_or_spool(runtime, event.inbound, queue_replies=True)
            # Spooled: the replay loop hands it to the engine when the store is back.
            if handled.outcome is Outcome.APOLOGISED:
                async with runtime.sessions() as session:
                    recorded = await was_recorded(session, event.update_id)
                if not recorded:
                    await self._apologise(event.update_id, event.inbound, handled.replies[0])
        elif event.blocked is not None:
            await self._mark_blocked(event.chat_key, event.blocked)

    async def _apologise(self, update_id: int, inbound: Inbound, reply: Reply) -> None:
        """The engine could not record the update: queue its apology so nobody is left waiting."""
        log.error("Telegram update %d failed in the dialog engine; set aside", update_id)
        self.set_aside += 1
        services = self._runtime.services
        async with self._runtime.sessions() as session, session.begin():
            await enqueue(
                session,
                pseudonym=services.pseudonymizer.pseudonym(CHANNEL, inbound.address),
                channel=CHANNEL,
                kind="reply",
                message=OutboundMessage(reply.text, language=reply.language),
                dedupe_key=f"reply:{CHANNEL}:{update_id}:failed",
                address_enc=services.vault.seal(inbound.address),
            )

    async def _mark_blocked(self, chat_key: str, blocked: bool) -> None:
        """A person blocked (or unblocked) the bot: broadcasts skip them until they return."""
        pseudonym = self._runtime.services.pseudonymizer.pseudonym(CHANNEL, chat_key)
        async with self._runtime.sessions() as session, session.begin():
            respondent = (
                await session.exec(select(Respondent).where(Respondent.pseudonym == pseudonym))
            ).first()
            if respondent is None:
                return
            respondent.blocked = blocked
            respondent.subscribed = (
                not blocked and respondent.consent_at is not None and not respondent.opted_out
            )
            session.add(respondent)

    async def _close(self, callback: Callback) -> None:
        """Stop the button's spinner and take the used keyboard away (both best effort)."""
        try:
            await self._bot.answer_callback_query(callback.query_id)
        except TelegramAPIError as exc:
            log.debug("answerCallbackQuery failed: %s", type(exc).__name__)
        if callback.chat_id is None or callback.message_id is None:
            return
        try:
            await self._bot.edit_message_reply_markup(
                chat_id=callback.chat_id, message_id=callback.message_id
            )
        except TelegramAPIError as exc:
            # "message is not modified" after a redelivery, or a message too old to edit.
            log.debug("editMessageReplyMarkup failed: %s", type(exc).__name__)
