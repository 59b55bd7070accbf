"""The outbox's e-mail channel, for duty alerts: each queued row is one plain-text e-mail whose
first line is its subject, handed to FIKIR_SMTP_URL with the digest's SMTP helper."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate
from typing import TYPE_CHECKING

import aiosmtplib

from fikir.digest.mail import SmtpServer, SmtpUrlError, send_email
from fikir.outbox.message import Failed, OutboundMessage, RetryLater, SendResult, Sent
from fikir.outbox.running import running
from fikir.outbox.worker import OutboxWorker, WorkerConfig
from fikir.safety.duty import EMAIL_CHANNEL
from fikir.storage.models import OutboxMessage

if TYPE_CHECKING:
    from fikir.runtime import Runtime

log = logging.getLogger(__name__)


def alert_email(
    server: SmtpServer, to: str, message: OutboundMessage, outbox_id: int
) -> EmailMessage:
    subject, _, body = message.text.partition("\n")
    mail = EmailMessage()
    mail["From"] = server.sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = formatdate(localtime=False)
    domain = server.sender.rpartition("@")[2] or "fikir"
    mail["Message-ID"] = f"<duty-{outbox_id}@{domain}>"  # a resend after a crash is one thread
    mail.set_content(body)
    return mail


class EmailSender:
    """Sends outbox rows of the "email" channel; the worker paces and retries them."""

    channel = EMAIL_CHANNEL

    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def send(self, address: str, message: OutboundMessage, outbox_id: int) -> SendResult:
        try:
            await send_email(self.server, alert_email(self.server, address, message, outbox_id))
        except aiosmtplib.SMTPRecipientsRefused:
            return Failed("refused")
        except (aiosmtplib.SMTPException, OSError) as exc:
            return RetryLater(30.0, type(exc).__name__)
        return Sent()

    async def was_sent(self, address: str, message: OutboundMessage, outbox_id: int) -> str | None:
        return None  # SMTP cannot say; the same Message-ID lets mail clients fold a repeat

    def cost(self, row: OutboxMessage) -> float:
        return 1.0


@asynccontextmanager
async def running_email(runtime: Runtime) -> AsyncIterator[OutboxWorker | None]:
    """Send queued e-mails while the service runs; nothing starts without FIKIR_SMTP_URL."""
    if not runtime.settings.smtp_url:
        yield None
        return
    try:
        server = SmtpServer.from_url(runtime.settings.smtp_url)
    except SmtpUrlError:
        log.error("FIKIR_SMTP_URL is unusable; duty alerts are not e-mailed")
        yield None
        return
    worker = OutboxWorker(
        runtime.sessions,
        runtime.services.vault,
        EmailSender(server),
        WorkerConfig(rate=5.0, batch=20, concurrency=4, lease=timedelta(minutes=5), idle_poll=0.5),
        runtime.instance,
        runtime.metrics,
    )
    async with running(worker, runtime.outbox_wakers, "email", grace=30.0):
        yield worker
