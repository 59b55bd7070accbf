"""The outbox's way out to Telegram: one queued message in, Sent / RetryLater / Failed back."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import FSInputFile, InlineKeyboardMarkup

from fikir.bot.pacing import Pacer
from fikir.bot.render import CAPTION_LIMIT, keyboard, split_text
from fikir.outbox.message import Failed, OutboundMessage, RetryLater, SendResult, Sent
from fikir.storage.models import OutboxMessage

log = logging.getLogger(__name__)

PHOTO_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp"})


@dataclass(frozen=True)
class Part:
    """One Bot API request of a message: a piece of text, or the attachment with its caption."""

    text: str
    attachment: Path | None = None
    attachment_name: str | None = None
    markup: InlineKeyboardMarkup | None = None


def plan(message: OutboundMessage, *, warn: bool = True) -> list[Part]:
    """The requests a message needs: long text is split; the keyboard goes on the last one."""
    attachment = Path(message.document) if message.document else None
    if attachment is not None and not attachment.is_file():
        if warn:
            log.warning("an outbox attachment is missing on disk; sending the text alone")
        attachment = None
    markup = keyboard(message.choices)
    text = message.text.strip()
    if attachment is None:
        parts = [Part(chunk) for chunk in split_text(text)]
    elif len(text) <= CAPTION_LIMIT:
        parts = [Part(text, attachment, message.document_name)]
    else:
        parts = [Part(chunk) for chunk in split_text(text)]
        parts.append(Part("", attachment, message.document_name))
    last = parts[-1]
    parts[-1] = Part(last.text, last.attachment, last.attachment_name, markup)
    return parts


class TelegramSender:
    """Implements the outbox's Sender for Telegram, within Telegram's limits."""

    channel = "telegram"

    def __init__(self, bot: Bot, pacer: Pacer) -> None:
        self._bot = bot
        self._pacer = pacer
        self._stopping = False

    def stop(self) -> None:
        """Shutting down: what has not started yet goes back to the queue for the next start."""
        self._stopping = True

    async def send(self, address: str, message: OutboundMessage, outbox_id: int) -> SendResult:
        try:
            chat_id = int(address)
        except ValueError:
            return Failed("not a Telegram chat")
        try:
            provider_id = None
            for number, part in enumerate(plan(message)):
                async with self._pacer.slot(chat_id, outbox_id):
                    if self._stopping and number == 0:
                        return RetryLater(seconds=1.0, reason="stopping")
                    provider_id = await self._request(chat_id, part)
            return Sent(provider_id=provider_id)
        except TelegramRetryAfter as exc:
            self._pacer.pause(float(exc.retry_after))
            return RetryLater(seconds=float(exc.retry_after), reason="rate_limited")
        except TelegramForbiddenError:
            return Failed("blocked by the user or removed from the chat", blocked=True)
        except TelegramMigrateToChat:
            return Failed("the group became a supergroup; link it again")
        except TelegramEntityTooLarge:
            return Failed("attachment too large")
        except TelegramBadRequest as exc:
            if "chat not found" in exc.message.lower():
                return Failed("chat not found", blocked=True)
            log.warning("Telegram refused outbox message %d as a bad request", outbox_id)
            return Failed("bad request")
        except TelegramNotFound:
            return Failed("not found")
        except TelegramUnauthorizedError:
            log.error("Telegram refused the bot token; check FIKIR_TELEGRAM_TOKEN")
            return RetryLater(seconds=60.0, reason="unauthorized")
        except TelegramAPIError as exc:  # network, server errors, restarts
            return RetryLater(seconds=5.0, reason=type(exc).__name__)

    async def _request(self, chat_id: int, part: Part) -> str:
        if part.attachment is None:
            sent = await self._bot.send_message(chat_id, part.text, reply_markup=part.markup)
        elif part.attachment.suffix.lower() in PHOTO_SUFFIXES:
            photo = FSInputFile(part.attachment, filename=part.attachment_name)
            sent = await self._bot.send_photo(
                chat_id, photo, caption=part.text or None, reply_markup=part.markup
            )
        else:
            document = FSInputFile(part.attachment, filename=part.attachment_name)
            sent = await self._bot.send_document(
                chat_id, document, caption=part.text or None, reply_markup=part.markup
            )
        return str(sent.message_id)

    async def was_sent(self, address: str, message: OutboundMessage, outbox_id: int) -> str | None:
        """Telegram cannot be asked whether it has a message: after a crash it is sent again."""
        return None

    def cost(self, row: OutboxMessage) -> float:
        """One unit per Bot API request the message needs."""
        try:
            return float(len(plan(OutboundMessage.from_json(row.payload), warn=False)))
        except (ValueError, KeyError, TypeError):
            return 1.0
