"""The contact vault's cipher: addresses are kept only encrypted, for proactive messages."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from fikir.privacy.keys import fernet_key


class VaultError(RuntimeError):
    """An address could not be decrypted (wrong key, or a damaged row)."""


class Vault:
    """Fernet (AES-128-CBC + HMAC) with a key derived from the secret for this purpose only."""

    def __init__(self, secret: bytes) -> None:
        self._fernet = Fernet(fernet_key(secret, "vault"))

    def seal(self, address: str) -> bytes:
        return self._fernet.encrypt(address.encode())

    def open(self, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode()
        except InvalidToken as exc:
            raise VaultError("a vault entry could not be decrypted with this key") from exc
