"""Telegram updates turned into typed events, so that Telegram's quirks stay in this adapter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from aiogram.types import CallbackQuery, ChatMemberUpdated, Message, Update

from fikir.dialog.keywords import keyword
from fikir.dialog.messages import Inbound

CHANNEL = "telegram"
# What fikir asks Telegram for; edits, channel posts and inline queries are never needed.
ALLOWED_UPDATES = ("message", "callback_query", "my_chat_member")
# A button whose payload is too long for Telegram's 64 bytes carries "#<number>" instead,
# which reaches the engine as the typed number of that choice.
NUMBERED_PREFIX = "#"

# Content a person sends that is not text: answered with what the bot can take, never stored.
MEDIA_TYPES = frozenset(
    {
        "audio",
        "animation",
        "document",
        "photo",
        "live_photo",
        "paid_media",
        "sticker",
        "video",
        "video_note",
        "voice",
        "contact",
        "venue",
        "location",
        "poll",
        "dice",
        "game",
        "story",
        "checklist",
    }
)
StaffCommandName = Literal["staff", "digest"]


@dataclass(frozen=True)
class Callback:
    """A pressed button: it is answered, and its keyboard removed, whatever the engine says."""

    query_id: str
    chat_id: int | None
    message_id: int | None


@dataclass(frozen=True)
class StaffCommand:
    """`/staff CODE` (link this chat to a staff account) or `/digest` (send the latest one)."""

    name: StaffCommandName
    argument: str
    chat_id: int
    language_hint: str | None
    private: bool = True


@dataclass(frozen=True)
class Event:
    """What one update asks of fikir; `chat_key` keeps each chat's updates in order."""

    update_id: int
    chat_key: str
    inbound: Inbound | None = None
    staff: StaffCommand | None = None
    callback: Callback | None = None
    blocked: bool | None = None  # a private chat's "kicked"/"member" status for the bot


def to_event(update: Update) -> Event | None:
    """The event an update carries, or None when fikir has nothing to do with it."""
    if update.message is not None:
        return _from_message(update.update_id, update.message)
    if update.callback_query is not None:
        return _from_callback(update.update_id, update.callback_query)
    if update.my_chat_member is not None:
        return _from_member(update.update_id, update.my_chat_member)
    return None


def _from_message(update_id: int, message: Message) -> Event | None:
    chat = message.chat
    user = message.from_user
    hint = user.language_code if user is not None else None
    if user is not None and user.is_bot:
        return None
    staff = _staff_command(message.text, chat.id, hint, chat.type == "private")
    if staff is not None:
        return Event(update_id, str(chat.id), staff=staff)
    if chat.type != "private":
        # Citizens speak in private chats only; groups hear nothing but staff commands.
        return None
    # The time of receipt, not Telegram's whole-second message.date: the outbox orders a chat's
    # replies by it, and a button press (which has no date) must not overtake a typed message.
    received = datetime.now(UTC)

    def inbound(text: str | None = None, media: str | None = None) -> Inbound:
        return Inbound(
            channel=CHANNEL,
            address=str(chat.id),
            text=text,
            external_id=str(update_id),
            received_at=received,
            language_hint=hint,
            media=media,
        )

    if message.text is not None:
        return Event(update_id, str(chat.id), inbound=inbound(normalise_command(message.text)))
    kind = _value(message.content_type)
    if kind in MEDIA_TYPES:
        # Only the kind is passed on: a shared contact or location never leaves this function.
        return Event(update_id, str(chat.id), inbound=inbound(media=kind))
    return None  # service messages: pinned, chat title changed, members joined…


def _from_callback(update_id: int, query: CallbackQuery) -> Event:
    message = query.message
    chat_id = message.chat.id if message is not None else None
    message_id = message.message_id if message is not None else None
    callback = Callback(query.id, chat_id, message_id)
    if message is None or message.chat.type != "private" or not query.data:
        return Event(update_id, str(chat_id or ""), callback=callback)
    data = query.data
    text: str | None = None
    payload: str | None = data
    if data.startswith(NUMBERED_PREFIX) and data[1:].isdigit():
        text, payload = data[1:], None
    inbound = Inbound(
        channel=CHANNEL,
        address=str(message.chat.id),
        text=text,
        payload=payload,
        external_id=str(update_id),
        received_at=datetime.now(UTC),
        language_hint=query.from_user.language_code,
    )
    return Event(update_id, str(message.chat.id), inbound=inbound, callback=callback)


def _from_member(update_id: int, change: ChatMemberUpdated) -> Event | None:
    if change.chat.type != "private":
        return None
    status = _value(change.new_chat_member.status)
    if status == "kicked":
        return Event(update_id, str(change.chat.id), blocked=True)
    if status == "member":
        return Event(update_id, str(change.chat.id), blocked=False)
    return None


def _value(member: object) -> str:
    """aiogram's string enums as their plain value ("voice", "kicked")."""
    return str(getattr(member, "value", member))


def _command(text: str | None) -> tuple[str, str] | None:
    """("/name", "rest") for a slash command, without Telegram's "@botname" suffix."""
    if not text or not text.startswith("/"):
        return None
    head, _, rest = text.strip().partition(" ")
    name = head.split("@", 1)[0].lower()
    if len(name) < 2:
        return None
    return name, rest.strip()


def _staff_command(
    text: str | None, chat_id: int, hint: str | None, private: bool
) -> StaffCommand | None:
    command = _command(text)
    if command is None:
        return None
    name, rest = command
    if name == "/staff":
        return StaffCommand("staff", rest.split(" ", 1)[0][:200], chat_id, hint, private)
    if name == "/digest":
        return StaffCommand("digest", "", chat_id, hint, private)
    return None


def normalise_command(text: str) -> str:
    """Slash commands as the engine knows them; an unknown one asks for help, never feedback.

    "/start abc" (a deep link) is /start; "/feedback the road is broken" is the feedback itself.
    """
    command = _command(text)
    if command is None:
        return text
    name, rest = command
    known = keyword(name)
    if known is None:
        return "/help"
    if known == "feedback" and rest:
        return rest
    return name
