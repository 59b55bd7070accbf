"""An Inbound as spool bytes and back: every field the engine reads, nothing else."""

from __future__ import annotations

import json
from datetime import datetime

from fikir.dialog.messages import Inbound

VERSION = 1


class EntryError(ValueError):
    """The record is not a spooled Inbound this version understands."""


def encode(inbound: Inbound) -> bytes:
    """JSON of the Inbound (encrypted by the spool, never written as is)."""
    record = {
        "v": VERSION,
        "channel": inbound.channel,
        "address": inbound.address,
        "text": inbound.text,
        "payload": inbound.payload,
        "external_id": inbound.external_id,
        "received_at": inbound.received_at.isoformat(),
        "language_hint": inbound.language_hint,
        "media": inbound.media,
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()


def decode(record: bytes) -> Inbound:
    """The Inbound that was spooled, with its original arrival time."""
    try:
        data = json.loads(record)
        if not isinstance(data, dict) or data.get("v") != VERSION:
            raise EntryError("unknown spool entry version")
        received_at = datetime.fromisoformat(_text(data, "received_at") or "")
        if received_at.tzinfo is None:
            raise EntryError("spooled arrival time has no time zone")
        return Inbound(
            channel=_text(data, "channel") or "",
            address=_text(data, "address") or "",
            text=_text(data, "text"),
            payload=_text(data, "payload"),
            external_id=_text(data, "external_id"),
            received_at=received_at,
            language_hint=_text(data, "language_hint"),
            media=_text(data, "media"),
        )
    except EntryError:
        raise
    except (ValueError, TypeError) as exc:
        raise EntryError(f"not a spooled inbound message: {type(exc).__name__}") from exc


def _text(data: dict[str, object], key: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise EntryError(f"spool field {key} is not text")
