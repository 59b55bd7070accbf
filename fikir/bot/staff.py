"""Staff in Telegram: `/staff CODE` links a chat for the digest, `/digest` sends the latest one.

A staff chat is known by its own pseudonym (family "telegram-staff"), not the citizen one, so a
staff member who also gives feedback from the same chat and then erases it keeps the digest.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.bot.idempotency import claim_update
from fikir.bot.updates import CHANNEL, StaffCommand
from fikir.config.languages import is_supported
from fikir.config.markers import N_
from fikir.dialog.services import Services
from fikir.i18n import translate
from fikir.outbox.message import OutboundMessage
from fikir.outbox.queue import enqueue
from fikir.staff.accounts import redeem_code
from fikir.storage.models import AuditEvent, Contact, Digest, OutboxMessage, StaffUser

log = logging.getLogger(__name__)

STAFF_FAMILY = "telegram-staff"
# The outbox kind the digest's delivery uses for its Telegram messages (summary plus PDF).
DIGEST_KIND = "digest"
STAFF_LANGUAGE = "en"
_RUN = timedelta(days=1)

STAFF_LINKED = N_(
    "This chat is now linked to your fikir staff account. The monthly digest will arrive "
    "here; send /digest at any time for the latest one."
)
STAFF_CODE_REFUSED = N_(
    "This code is not valid: it may be mistyped, expired or already used. "
    "Ask an administrator for a new one."
)
DIGEST_NOT_LINKED = N_(
    "Only a linked staff chat receives the digest. Link this chat by sending /staff "
    "followed by your one-time code."
)
DIGEST_NONE = N_("No digest has been built yet.")
DIGEST_ON_DASHBOARD = N_("The digest for {month} is ready on the staff dashboard.")


def staff_pseudonym(services: Services, chat_id: int) -> str:
    return services.pseudonymizer.pseudonym(STAFF_FAMILY, str(chat_id))


async def handle_staff(
    session: AsyncSession,
    services: Services,
    command: StaffCommand,
    update_id: int,
    now: datetime,
) -> bool:
    """Apply the command and queue its answer, in the caller's transaction; False if a repeat."""
    if not await claim_update(session, update_id):
        return False
    pseudonym = staff_pseudonym(services, command.chat_id)
    hint = command.language_hint.split("-")[0].lower() if command.language_hint else None
    lang = hint if hint is not None and is_supported(hint) else STAFF_LANGUAGE
    message: OutboundMessage | None
    if command.name == "staff":
        message = await _link(session, services, command, pseudonym, lang, now)
    else:
        message = await _digest(session, pseudonym, lang)
        if message is None and not command.private:
            return True  # a group that is not a staff chat is not answered at all
    message = message or OutboundMessage(translate(lang, DIGEST_NOT_LINKED), language=lang)
    await enqueue(
        session,
        pseudonym=pseudonym,
        channel=CHANNEL,
        kind="staff",
        message=message,
        dedupe_key=f"staff:{CHANNEL}:{update_id}",
        now=now,
        address_enc=services.vault.seal(str(command.chat_id)),
    )
    return True


async def _link(
    session: AsyncSession,
    services: Services,
    command: StaffCommand,
    pseudonym: str,
    lang: str,
    now: datetime,
) -> OutboundMessage:
    user = await redeem_code(session, command.argument, now) if command.argument else None
    if user is None:
        log.info("a /staff code was refused")
        return OutboundMessage(translate(lang, STAFF_CODE_REFUSED), language=lang)
    user.telegram_pseudonym = pseudonym
    session.add(user)
    sealed = services.vault.seal(str(command.chat_id))
    contact = (await session.exec(select(Contact).where(Contact.pseudonym == pseudonym))).first()
    if contact is None:
        session.add(
            Contact(pseudonym=pseudonym, channel=CHANNEL, address_enc=sealed, created_at=now)
        )
    else:
        contact.address_enc = sealed
        session.add(contact)
    session.add(
        AuditEvent(
            at=now,
            staff_user_id=user.id,
            action="telegram_linked",
            object_type="staff_user",
            object_id=str(user.id),
        )
    )
    log.info("a staff account linked a Telegram chat for the digest")
    return OutboundMessage(translate(user.language, STAFF_LINKED), language=user.language)


async def _digest(session: AsyncSession, pseudonym: str, lang: str) -> OutboundMessage | None:
    """The latest digest for a linked staff chat; None when this chat is not one."""
    user = (
        await session.exec(
            select(StaffUser).where(
                StaffUser.telegram_pseudonym == pseudonym, col(StaffUser.active).is_(True)
            )
        )
    ).first()
    if user is None:
        return None
    found = await latest_digest(session, user.language)
    return found or OutboundMessage(translate(user.language, DIGEST_NONE), language=user.language)


async def latest_digest(session: AsyncSession, language: str) -> OutboundMessage | None:
    """The latest digest as it went to Telegram (preferring `language`), else a pointer to it."""
    rows = (
        await session.exec(
            select(OutboxMessage)
            .where(
                OutboxMessage.kind == DIGEST_KIND,
                OutboxMessage.channel == CHANNEL,
                OutboxMessage.status == "sent",
            )
            .order_by(col(OutboxMessage.created_at).desc(), col(OutboxMessage.id).desc())
            .limit(30)
        )
    ).all()
    if rows:
        # One delivery run queues the same digest in each staff language within minutes.
        newest = rows[0]
        for row in rows:
            message = OutboundMessage.from_json(row.payload)
            if message.language == language and newest.created_at - row.created_at < _RUN:
                return message
        return OutboundMessage.from_json(newest.payload)
    digest = (
        await session.exec(select(Digest).order_by(col(Digest.month).desc()).limit(1))
    ).first()
    if digest is None:
        return None
    text = translate(language, DIGEST_ON_DASHBOARD, month=digest.month)
    return OutboundMessage(text, language=language)
