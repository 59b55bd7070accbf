"""Holding back abuse of /say without knowing who anyone is: no IP address is ever stored.

A client is counted under a keyed hash of its network address (the address, or its /64 for
IPv6) whose key is derived from FIKIR_SECRET_KEY and the current UTC day, so yesterday's counts
cannot be matched with today's and none of it outlives the process. Up to the soft limit per
ten minutes nothing is asked; above it each message needs a small proof of work (a page script
finds it in a fraction of a second; without JavaScript the person is asked to wait); above the
hard limit messages are refused until the window ends. docs/privacy.md ("The web channel")
explains the choice.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

from fikir.privacy.keys import derive_key
from fikir.staff.throttle import network

WINDOW_SECONDS = 600
# Leading zero bits of SHA-256(challenge ":" nonce): about 65,000 tries, well under a second
# for a script on a cheap phone, a real cost for anyone sending thousands of messages.
WORK_BITS = 16
CHALLENGE_SECONDS = 900
MAX_CLIENTS = 100_000  # beyond this many clients in one window, newcomers must work too

_SESSION = re.compile(r"[A-Za-z0-9_-]{32}")
_SUBMISSION = re.compile(r"[0-9a-f]{32}")


def new_session() -> str:
    """A browser's conversation id: random, never derived from anything about the browser."""
    return secrets.token_urlsafe(24)


def valid_session(value: str) -> bool:
    return bool(_SESSION.fullmatch(value))


def new_submission() -> str:
    """One form's id: sending the same form twice is one message (the engine's event key)."""
    return secrets.token_hex(16)


def valid_submission(value: str) -> bool:
    return bool(_SUBMISSION.fullmatch(value))


def valid_payload_shape(value: str) -> bool:
    """A button's payload as our forms carry it (the engine still decides whether it is ours)."""
    return 0 < len(value) <= 64 and value.isascii() and value.isprintable()


def csrf_token(secret: bytes, session: str) -> str:
    """The form token bound to the conversation's cookie, so another site cannot post for it."""
    key = derive_key(secret, "say-csrf")
    return hmac.new(key, session.encode(), hashlib.sha256).hexdigest()[:32]


def csrf_ok(secret: bytes, session: str, given: str) -> bool:
    return hmac.compare_digest(csrf_token(secret, session).encode(), given.encode()[:64])


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def work_done(challenge: str, nonce: str, bits: int = WORK_BITS) -> bool:
    """Whether SHA-256 of "challenge:nonce" starts with `bits` zero bits."""
    digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
    return leading_zero_bits(digest) >= bits


@dataclass
class _Count:
    window: int
    messages: int = 0


@dataclass
class Verdict:
    """What one message from one client may do: go, go with work done, or wait."""

    allowed: bool
    needs_work: bool
    retry_after: int = 0


@dataclass
class Guard:
    """Per-client counts and spent challenges for one process, keyed by daily-salted hashes."""

    secret: bytes
    soft: int
    hard: int
    _day: str = ""
    _day_key: bytes = b""
    _counts: dict[str, _Count] = field(default_factory=dict)
    _spent: dict[str, float] = field(default_factory=dict)

    def client(self, address: str, now: datetime) -> str:
        """The client's keyed hash for today; the address itself goes no further than here."""
        day = now.astimezone(UTC).date().isoformat()
        if day != self._day:
            # A new day: a new key, and yesterday's counts and challenges are dropped.
            self._day = day
            self._day_key = hmac.new(
                derive_key(self.secret, "say-client"), day.encode(), hashlib.sha256
            ).digest()
            self._counts.clear()
            self._spent.clear()
        return hmac.new(self._day_key, network(address).encode(), hashlib.sha256).hexdigest()[:32]

    def _window(self, now: datetime) -> int:
        return int(now.timestamp()) // WINDOW_SECONDS

    def _seen(self, client: str, now: datetime) -> int:
        found = self._counts.get(client)
        return found.messages if found is not None and found.window == self._window(now) else 0

    def busy(self, client: str, now: datetime) -> bool:
        """Whether this client's next message will need a proof of work (shown in the form)."""
        return self._seen(client, now) >= self.soft or self._full(client)

    def _full(self, client: str) -> bool:
        return client not in self._counts and len(self._counts) >= MAX_CLIENTS

    def admit(self, client: str, now: datetime, challenge: str, nonce: str) -> Verdict:
        """Count one message and decide on it."""
        window = self._window(now)
        retry = (window + 1) * WINDOW_SECONDS - int(now.timestamp())
        if self._full(client):
            self._prune(window, now)
        crowded = self._full(client)
        count = self._counts.get(client)
        if count is None or count.window != window:
            count = _Count(window)
            if not crowded:
                self._counts[client] = count
        count.messages += 1
        if count.messages > self.hard:
            return Verdict(False, False, retry)
        if count.messages > self.soft or crowded:
            if self.redeem(client, now, challenge, nonce):
                return Verdict(True, True)
            return Verdict(False, True, retry)
        return Verdict(True, False)

    def _prune(self, window: int, now: datetime) -> None:
        for key in [key for key, count in self._counts.items() if count.window != window]:
            del self._counts[key]
        limit = now.timestamp()
        for key in [key for key, until in self._spent.items() if until < limit]:
            del self._spent[key]

    def challenge(self, client: str, now: datetime) -> str:
        """A challenge bound to this client and time, checked without keeping it anywhere."""
        stamp = f"{int(now.timestamp())}.{secrets.token_hex(8)}"
        return f"{stamp}.{self._mac(stamp, client)}"

    def _mac(self, stamp: str, client: str) -> str:
        key = derive_key(self.secret, "say-work")
        return hmac.new(key, f"{stamp}\x1f{client}".encode(), hashlib.sha256).hexdigest()[:16]

    def redeem(self, client: str, now: datetime, challenge: str, nonce: str) -> bool:
        """A valid, fresh, solved challenge of this client, used once."""
        parts = challenge.split(".")
        if len(parts) != 3 or not parts[0].isascii() or not parts[0].isdigit() or len(nonce) > 32:
            return False
        stamp = f"{parts[0]}.{parts[1]}"
        # As bytes: compare_digest refuses str with non-ASCII characters (a forged form's).
        if not hmac.compare_digest(self._mac(stamp, client).encode(), parts[2].encode()):
            return False
        issued = int(parts[0])
        if not 0 <= now.timestamp() - issued <= CHALLENGE_SECONDS or challenge in self._spent:
            return False
        if not work_done(challenge, nonce):
            return False
        if len(self._spent) >= MAX_CLIENTS * 4:
            self._prune(self._window(now), now)
            if len(self._spent) >= MAX_CLIENTS * 4:
                return False  # a flood of solved challenges: wait for the old ones to expire
        self._spent[challenge] = issued + CHALLENGE_SECONDS
        return True
