"""An SMS conversation is spelled one way from the first message to the last: plain GSM-7
letters throughout with FIKIR_SMS_TRANSLITERATE=auto, every letter throughout with never."""

from __future__ import annotations

import pytest

from fikir.dialog.messages import Reply
from fikir.outbox.message import OutboundMessage
from fikir.runtime import Runtime
from fikir.sms.provider import outbound_text, sms_text
from fikir.sms.twilio_channel import twiml
from tests.harness import Conversation

AZ_LETTERS = set("əşğıçƏŞĞÇİ")
STEPS = (
    "QOŞUL",
    "1",
    "xyz",
    "Bakı",
    "1",
    "0",
    "Kənddə su yoxdur, yol da çox pisdir, uşaqlar məktəbə gedə bilmir",
    "KÖMƏK",
    "SORĞU",
    "NƏTİCƏ",
    "UNUT",
)


def _bodies(replies: list[Reply], mode: str) -> list[str]:
    """Each reply as the TwiML answer carries it and as a queued outbox message is sent."""
    out = []
    for reply in replies:
        out.append(sms_text(reply, mode))
        queued = OutboundMessage(
            reply.text, tuple((c.payload, c.label) for c in reply.choices), reply.language
        )
        out.append(outbound_text(queued, mode))
    out.append(twiml(replies, mode).body.decode())
    return out


@pytest.mark.parametrize("mode", ["auto", "never"])
async def test_one_spelling_per_conversation(sqlite_runtime: Runtime, mode: str) -> None:
    talk = Conversation(sqlite_runtime.engine, channel="sms", address=f"+99450111{len(mode):04d}")
    plain: list[str] = []
    full: list[str] = []
    for text in STEPS:
        replies = await talk.send(text)
        assert replies, text
        assert all(r.language == "az" for r in replies), text
        for body in _bodies(replies, mode):
            (full if AZ_LETTERS & set(body) else plain).append(body)
    if mode == "auto":
        assert full == [], f"full letters among plain messages: {full[:3]}"
    else:
        # Messages with no Azerbaijani-only letter at all may exist; none was made plain.
        assert len(full) > len(plain), plain[:3]
        assert not any("Razisiniz" in body or "tanimadiq" in body for body in plain)
