"""E-mailing the digest over SMTP (FIKIR_SMTP_URL) with aiosmtplib: the summary and the PDF."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

SMTP_TIMEOUT = 60.0


class SmtpUrlError(ValueError):
    """FIKIR_SMTP_URL is not a usable smtp:// or smtps:// URL."""


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to hand mail over; parsed from smtp://user:pass@host:port?from=…"""

    host: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool
    start_tls: bool | None
    sender: str

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        """smtp:// (STARTTLS when offered; ?starttls=required|no) or smtps:// (TLS from the start)."""
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise SmtpUrlError(
                "FIKIR_SMTP_URL must look like smtp://user:password@host:587?from=fikir@example.org"
            )
        query = parse_qs(parts.query)
        starttls = (query.get("starttls") or ["auto"])[0].lower()
        username = unquote(parts.username) if parts.username else None
        sender = (query.get("from") or [""])[0] or (
            username if username and "@" in username else f"fikir@{parts.hostname}"
        )
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if parts.scheme == "smtps" else 25),
            username=username,
            password=unquote(parts.password) if parts.password else None,
            use_tls=parts.scheme == "smtps",
            start_tls=None
            if parts.scheme == "smtps" or starttls == "auto"
            else starttls in {"required", "yes", "true", "1"},
            sender=sender,
        )


def digest_email(
    server: SmtpServer, to: str, subject: str, body: str, pdf: bytes, filename: str, month: str
) -> EmailMessage:
    """A plain-text message with the PDF attached; its Message-ID is stable per month and address."""
    message = EmailMessage()
    message["From"] = server.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    token = hashlib.sha256(f"{month}\x1f{to.lower()}".encode()).hexdigest()[:24]
    domain = server.sender.rpartition("@")[2] or "fikir"
    message["Message-ID"] = f"<digest-{month}-{token}@{domain}>"
    message.set_content(body)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return message


async def send_email(server: SmtpServer, message: EmailMessage) -> None:
    """Hand one message to the SMTP server; raises aiosmtplib.SMTPException or OSError."""
    await aiosmtplib.send(
        message,
        hostname=server.host,
        port=server.port,
        username=server.username,
        password=server.password,
        use_tls=server.use_tls,
        start_tls=server.start_tls,
        timeout=SMTP_TIMEOUT,
    )


async def read_file(path: Path) -> bytes:
    return await asyncio.to_thread(path.read_bytes)
