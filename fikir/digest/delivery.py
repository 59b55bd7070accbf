"""Delivering a month's digest once to each recipient: linked staff Telegram chats and e-mail.

A recipient's `digest_delivery` row is claimed before anything is sent; its unique
(month, recipient) constraint is what keeps a restart or a second instance from sending twice.
Telegram messages are claimed and queued in one transaction (the outbox then sends each exactly
once); an e-mail's claim is given back when the SMTP server refuses it, so a later run retries.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import TELEGRAM
from fikir.config.languages import STAFF_LANGUAGES
from fikir.config.markers import N_
from fikir.config.settings import Settings
from fikir.digest.build import build, render_files
from fikir.digest.document import DigestDocument
from fikir.digest.labels import Words
from fikir.digest.mail import SmtpServer, SmtpUrlError, digest_email, read_file, send_email
from fikir.digest.period import Month
from fikir.digest.render import Rendered
from fikir.outbox.message import OutboundMessage
from fikir.outbox.queue import enqueue
from fikir.storage.models import DigestDelivery, StaffUser

if TYPE_CHECKING:
    from fikir.runtime import Runtime

log = logging.getLogger(__name__)

# An e-mail claim older than this, still "sending", belonged to an instance that stopped
# mid-send; it is taken over so the digest is not lost.
EMAIL_LEASE = timedelta(minutes=30)


@dataclass(frozen=True)
class Recipient:
    """Someone the digest goes to, in their language; `key` is unique per person and channel."""

    key: str
    channel: str  # the Telegram channel's name, or "email"
    language: str
    pseudonym: str | None = None
    address: str | None = None


@dataclass
class DeliveryReport:
    """What one run did, by recipient key."""

    month: str
    queued: list[str] = field(default_factory=list)
    emailed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"digest {self.month}: {len(self.queued)} queued for Telegram, "
            f"{len(self.emailed)} e-mailed, {len(self.skipped)} already delivered, "
            f"{len(self.failed)} failed",
            *(f"  failed: {key}" for key in self.failed),
        ]


def email_key(address: str) -> str:
    key = f"email:{address.strip().lower()}"
    if len(key) <= 80:
        return key
    return "email:#" + hashlib.sha256(key.encode()).hexdigest()[:40]


async def recipients(session: AsyncSession, settings: Settings) -> list[Recipient]:
    """Active staff with a linked Telegram chat, then every address in FIKIR_DIGEST_EMAILS."""
    staff = (
        await session.exec(
            select(StaffUser)
            .where(col(StaffUser.active).is_(True), col(StaffUser.telegram_pseudonym).is_not(None))
            .order_by(col(StaffUser.id))
        )
    ).all()
    found = [
        Recipient(
            key=f"staff:{user.id}:{TELEGRAM.name}",
            channel=TELEGRAM.name,
            language=user.language if user.language in STAFF_LANGUAGES else "en",
            pseudonym=user.telegram_pseudonym,
        )
        for user in staff
    ]
    # An address that is also a staff member's name gets the digest in their language.
    by_name = {
        user.name.lower(): user.language
        for user in (await session.exec(select(StaffUser))).all()
        if user.language in STAFF_LANGUAGES
    }
    seen: set[str] = set()
    for address in settings.digest_email_list:
        key = email_key(address)
        if key in seen:
            continue
        seen.add(key)
        language = by_name.get(address.lower(), "en")
        found.append(Recipient(key=key, channel="email", language=language, address=address))
    return found


async def delivered_keys(session: AsyncSession, month: str) -> set[str]:
    rows = await session.exec(
        select(DigestDelivery.recipient).where(
            DigestDelivery.month == month, col(DigestDelivery.status) != "sending"
        )
    )
    return set(rows.all())


def _document_name(month: str, lang: str) -> str:
    return f"fikir-digest-{month}-{lang}.pdf"


async def queue_telegram(
    runtime: Runtime, month: str, recipient: Recipient, rendered: Rendered, now: datetime
) -> bool:
    """Claim and queue in one transaction; False when this recipient already had this month."""
    assert recipient.pseudonym is not None  # noqa: S101 - telegram recipients carry one
    message = OutboundMessage(
        text=rendered.summary,
        language=rendered.lang,
        document=str(rendered.pdf.resolve()),
        document_name=_document_name(month, rendered.lang),
    )
    try:
        async with runtime.sessions() as session, session.begin():
            session.add(
                DigestDelivery(
                    month=month, recipient=recipient.key, channel=TELEGRAM.name,
                    status="queued", delivered_at=now, created_at=now,
                )
            )  # fmt: skip
            await session.flush()
            await enqueue(
                session,
                pseudonym=recipient.pseudonym,
                channel=TELEGRAM.name,
                kind="digest",
                message=message,
                dedupe_key=f"digest:{month}:{recipient.key}",
                now=now,
            )
    except IntegrityError:
        return False
    return True


async def _claim_email(runtime: Runtime, month: str, key: str, now: datetime) -> bool:
    try:
        async with runtime.sessions() as session, session.begin():
            session.add(
                DigestDelivery(
                    month=month, recipient=key, channel="email", status="sending", created_at=now
                )
            )
        return True
    except IntegrityError:
        pass
    # Take over a claim left "sending" by an instance that stopped mid-send, if it is stale.
    async with runtime.sessions() as session, session.begin():
        result = await session.exec(
            update(DigestDelivery)
            .where(
                col(DigestDelivery.month) == month,
                col(DigestDelivery.recipient) == key,
                col(DigestDelivery.status) == "sending",
                col(DigestDelivery.created_at) < now - EMAIL_LEASE,
            )
            .values(created_at=now)
        )
        return bool(result.rowcount)


async def _settle_email(runtime: Runtime, month: str, key: str, sent: bool) -> None:
    async with runtime.sessions() as session, session.begin():
        where = (col(DigestDelivery.month) == month, col(DigestDelivery.recipient) == key)
        if sent:
            await session.exec(
                update(DigestDelivery)
                .where(*where)
                .values(status="sent", delivered_at=datetime.now(UTC))
            )
        else:
            await session.exec(delete(DigestDelivery).where(*where))


async def send_email_to(
    runtime: Runtime,
    server: SmtpServer,
    month: str,
    recipient: Recipient,
    rendered: Rendered,
    now: datetime,
) -> str:
    """ "emailed", "skipped" (someone else has it) or "failed" (claim given back)."""
    assert recipient.address is not None  # noqa: S101 - e-mail recipients carry one
    if not await _claim_email(runtime, month, recipient.key, now):
        return "skipped"
    words = Words(rendered.lang, runtime.settings.timezone)
    try:
        pdf = await read_file(rendered.pdf)
        message = digest_email(
            server,
            recipient.address,
            words(N_("fikir digest for {month}"), month=words.month(month)),
            rendered.summary,
            pdf,
            _document_name(month, rendered.lang),
            month,
        )
        await send_email(server, message)
    except Exception:
        log.exception("the digest for %s could not be e-mailed to one recipient", month)
        await _settle_email(runtime, month, recipient.key, sent=False)
        return "failed"
    await _settle_email(runtime, month, recipient.key, sent=True)
    return "emailed"


def digest_dir(settings: Settings, month: str) -> Path:
    """Where the files that are sent live (the outbox reads the PDF from here later)."""
    return (settings.data_dir / "digests" / month).resolve()


async def deliver(
    runtime: Runtime,
    doc: DigestDocument,
    people: list[Recipient],
    rendered: dict[str, Rendered],
    now: datetime,
) -> DeliveryReport:
    """Send `doc` to each recipient that has not had this month yet."""
    report = DeliveryReport(doc.month)
    server: SmtpServer | None = None
    if runtime.settings.smtp_url:
        try:
            server = SmtpServer.from_url(runtime.settings.smtp_url)
        except SmtpUrlError:
            log.exception("FIKIR_SMTP_URL is unusable; no digest e-mails are sent")
    for person in people:
        files = rendered[person.language]
        if person.channel == TELEGRAM.name:
            queued = await queue_telegram(runtime, doc.month, person, files, now)
            (report.queued if queued else report.skipped).append(person.key)
        elif server is None:
            log.warning("FIKIR_DIGEST_EMAILS is set but FIKIR_SMTP_URL is not; e-mail skipped")
            report.failed.append(person.key)
        else:
            outcome = await send_email_to(runtime, server, doc.month, person, files, now)
            if outcome == "emailed":
                report.emailed.append(person.key)
            elif outcome == "skipped":
                report.skipped.append(person.key)
            else:
                report.failed.append(person.key)
    if report.queued:
        runtime.wake_outbox()
    return report


async def send_digest(
    runtime: Runtime, month: str | Month, now: datetime | None = None
) -> DeliveryReport:
    """Build the month, render it in the languages still needed, and deliver it."""
    moment = now or datetime.now(UTC)
    doc = await build(runtime, month, moment)
    async with runtime.sessions() as session:
        everyone = await recipients(session, runtime.settings)
        done = await delivered_keys(session, doc.month)
    pending = [person for person in everyone if person.key not in done]
    report = DeliveryReport(doc.month, skipped=[p.key for p in everyone if p.key in done])
    if not pending:
        return report
    languages = tuple(sorted({person.language for person in pending}))
    rendered = await render_files(doc, digest_dir(runtime.settings, doc.month), languages)
    sent = await deliver(runtime, doc, pending, rendered, moment)
    sent.skipped[:0] = report.skipped
    return sent
