"""Pseudonyms: the only name fikir has for a respondent, unlinkable to the address without the key."""

from __future__ import annotations

import hashlib
import hmac

from fikir.config.channels import channel_of
from fikir.privacy.keys import derive_key


class Pseudonymizer:
    """HMAC-SHA256 over channel and normalised address with a key derived from the secret."""

    def __init__(self, secret: bytes) -> None:
        self._key = derive_key(secret, "pseudonym")

    def pseudonym(self, channel: str, address: str) -> str:
        """A stable 64-hex pseudonym for this address on this channel family.

        SMS over Twilio and over the Android gateway reach the same phone: one pseudonym; a
        WhatsApp address is a family of its own, never the same phone's SMS identity.
        """
        message = f"{channel_of(channel).family}\x1f{address.strip()}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def keyed_hash(self, purpose: str, value: str) -> str:
        """A keyed hash for other identifiers that must be matched but never stored (dedupe keys)."""
        message = f"{purpose}\x1f{value}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()
