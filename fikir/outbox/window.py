"""How a proactive message may leave on a channel with a window (WhatsApp: 24 hours).

Inside the window (the person wrote less than `channel.window` ago) it goes as free text;
outside it only as the approved template for the person's language; with no template it waits
for the person to write again, and is skipped once it has waited too long.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import Channel
from fikir.config.languages import DEFAULT_LANGUAGE
from fikir.storage.models import OutboxMessage

# The error a message waiting for its window carries while it waits.
OUTSIDE_WINDOW = "outside_window"


class Route(StrEnum):
    """The way one proactive message may go now."""

    FREE = "in_window"
    TEMPLATE = "template"
    WAIT = "waits"


def route(
    channel: Channel,
    last_inbound: datetime | None,
    now: datetime,
    templates: Mapping[str, str],
    language: str | None,
) -> Route:
    """Free text inside the window (or on a channel without one), else template, else wait."""
    if channel.window is None:
        return Route.FREE
    if last_inbound is not None and now - last_inbound < channel.window:
        return Route.FREE
    if (language or DEFAULT_LANGUAGE) in templates:
        return Route.TEMPLATE
    return Route.WAIT


async def release_waiting(
    session: AsyncSession, channel: str, pseudonym: str, now: datetime
) -> int:
    """The person wrote: their messages that waited for the window are due now; the caller commits."""
    result = await session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.channel) == channel,
            col(OutboxMessage.pseudonym) == pseudonym,
            col(OutboxMessage.status) == "pending",
            col(OutboxMessage.error) == OUTSIDE_WINDOW,
        )
        .values(next_attempt_at=now)
    )
    return int(result.rowcount or 0)
