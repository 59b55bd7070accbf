"""The engine's replies to one web form, read back for the page the browser is sent to next.

The engine puts the replies in the outbox in the same transaction as the message (as for
Telegram), keyed by the form's id; the POST marks them delivered and redirects, and the GET
shows them to the cookie's own conversation only. A reload shows the same replies and changes
nothing; a form sent twice is one message with one set of replies.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.dialog.engine import reply_key_prefix
from fikir.dialog.messages import Choice, Reply
from fikir.outbox.message import OutboundMessage
from fikir.storage.models import OutboxMessage

SHOWN_FOR = timedelta(hours=2)  # as long as the conversation's cookie lives


def _theirs(channel: str, pseudonym: str, submission: str) -> ColumnElement[bool]:
    return and_(
        col(OutboxMessage.pseudonym) == pseudonym,
        col(OutboxMessage.dedupe_key).startswith(reply_key_prefix(channel, submission)),
    )


async def replies_to(
    session: AsyncSession, channel: str, pseudonym: str, submission: str, now: datetime
) -> list[Reply]:
    """The replies to this conversation's form `submission`, in order; none once they are old."""
    rows = await session.exec(
        select(OutboxMessage.payload)
        .where(_theirs(channel, pseudonym, submission))
        .where(col(OutboxMessage.created_at) >= now - SHOWN_FOR)
        .order_by(col(OutboxMessage.id))
    )
    found = []
    for payload in rows.all():
        message = OutboundMessage.from_json(payload)
        choices = tuple(Choice(value, label) for value, label in message.choices)
        found.append(Reply(message.text, choices, message.language))
    return found


async def delivered(
    session: AsyncSession, channel: str, pseudonym: str, submission: str, now: datetime
) -> None:
    """The replies leave with the redirect: no outbox worker waits for them (the caller commits)."""
    await session.exec(
        update(OutboxMessage)
        .where(_theirs(channel, pseudonym, submission))
        .where(col(OutboxMessage.status) == "pending")
        .values(status="sent", sent_at=now, address_enc=None)
    )
