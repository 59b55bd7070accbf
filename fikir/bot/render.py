"""Replies as Telegram messages: inline keyboards for choices, text cut to Telegram's limits."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from fikir.bot.updates import NUMBERED_PREFIX
from fikir.outbox.message import ChoiceTuple

CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit for callback_data
TEXT_LIMIT = 4000  # Telegram allows 4096 UTF-16 units; the margin covers astral characters
CAPTION_LIMIT = 1000  # of 1024
SHORT_LABEL = 16  # labels this short sit two to a row


def callback_data(payload: str, position: int) -> str:
    """The payload itself when it fits Telegram's 64 bytes, else the choice's number."""
    if payload and len(payload.encode()) <= CALLBACK_DATA_LIMIT:
        return payload
    return f"{NUMBERED_PREFIX}{position}"


def keyboard(choices: Sequence[ChoiceTuple]) -> InlineKeyboardMarkup | None:
    """One button per choice; short labels (languages, yes/no) share a row to save scrolling."""
    if not choices:
        return None
    buttons = [
        InlineKeyboardButton(text=label[:120] or "…", callback_data=callback_data(payload, i))
        for i, (payload, label) in enumerate(choices, start=1)
    ]
    width = 2 if all(len(label) <= SHORT_LABEL for _, label in choices) else 1
    rows = [buttons[i : i + width] for i in range(0, len(buttons), width)]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Parts of at most `limit` characters, cut at line ends or spaces where possible."""
    text = text.strip() or "…"
    parts: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = text.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    parts.append(text)
    return [part for part in parts if part]
