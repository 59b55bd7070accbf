"""The aiogram Bot for fikir's settings, pointed at whichever Bot API server they name."""

from __future__ import annotations

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from fikir.config.settings import Settings

REQUEST_TIMEOUT = 30  # seconds, for everything but long polling (which asks for its own)


def make_bot(settings: Settings) -> Bot:
    """A Bot that sends plain text (no parse mode: what people wrote can never turn into markup)."""
    if settings.telegram_token is None:
        raise ValueError("FIKIR_TELEGRAM_TOKEN is not set")
    session = AiohttpSession(
        api=TelegramAPIServer.from_base(settings.telegram_api_url), timeout=REQUEST_TIMEOUT
    )
    return Bot(
        token=settings.telegram_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=None, link_preview_is_disabled=True),
    )
