"""The token that binds a confirmation to the very preview a staff member saw (a poll's opening,
a round of the opinion map): an HMAC of what is sent, the plan's fingerprint, the staff member
and the time, so a changed audience or text, another person or an old page needs a new preview."""

from __future__ import annotations

import hashlib
import hmac

from fikir.config.settings import Settings
from fikir.privacy.keys import derive_key

TOKEN_FIELD = "plan_token"  # noqa: S105 - a form field name, not a secret
TOKEN_MAX_AGE = 30 * 60  # seconds: a preview older than this is shown again


def issue(
    settings: Settings, purpose: str, subject: str, user_id: int, fingerprint: str, at: int
) -> str:
    """The token for one preview of `subject` (a poll id, a topic slug) for one `purpose`."""
    key = derive_key(settings.secret, purpose)
    message = f"{subject}:{user_id}:{fingerprint}:{at}".encode()
    return f"{at}.{hmac.new(key, message, hashlib.sha256).hexdigest()}"


def matches(
    settings: Settings,
    purpose: str,
    subject: str,
    user_id: int,
    fingerprint: str,
    token: str,
    now: int,
) -> bool:
    """True when `token` confirms this very plan and is recent."""
    issued, _, _ = token.partition(".")
    if not issued.isascii() or not issued.isdigit() or len(issued) > 12:
        return False
    at = int(issued)
    if not 0 <= now - at <= TOKEN_MAX_AGE:
        return False
    expected = issue(settings, purpose, subject, user_id, fingerprint, at)
    return hmac.compare_digest(expected.encode(), token.encode("utf-8", "replace"))
