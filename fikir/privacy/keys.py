"""Purpose-bound keys derived from FIKIR_SECRET_KEY, so one leaked use does not expose another."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_SALT = b"fikir/v1"


def derive_key(secret: bytes, purpose: str, length: int = 32) -> bytes:
    """HKDF-SHA256 of the secret for one named purpose ("pseudonym", "vault", "spool", …)."""
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=_SALT, info=purpose.encode()).derive(
        secret
    )


def fernet_key(secret: bytes, purpose: str) -> bytes:
    """A Fernet key (url-safe base64 of 32 bytes) for one purpose."""
    return base64.urlsafe_b64encode(derive_key(secret, purpose))
