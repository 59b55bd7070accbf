"""WhatsApp addresses ("whatsapp:+994…"): a phone on another network, so an identity of its own."""

from __future__ import annotations

from fikir.config.channels import WHATSAPP
from fikir.sms.phone import to_e164

CHANNEL = WHATSAPP.name
PREFIX = "whatsapp:"


def is_whatsapp(raw: str | None) -> bool:
    """Whether a Twilio `From`/`To` names a WhatsApp user rather than a phone."""
    return bool(raw) and str(raw).strip().lower().startswith(PREFIX)


def to_whatsapp(raw: str | None) -> str | None:
    """`whatsapp:+994501234567` for any spelling of a WhatsApp sender; None for anything else."""
    if not is_whatsapp(raw):
        return None
    number = to_e164(str(raw).strip()[len(PREFIX) :])
    return None if number is None else PREFIX + number


def sender_address(configured: str) -> str:
    """FIKIR_WHATSAPP_FROM with its prefix (a bare number is accepted, a Messaging Service too)."""
    value = configured.strip()
    if value.startswith("MG") or is_whatsapp(value):
        return value
    return PREFIX + value
