"""A logging filter that keeps message text and addresses out of every log record."""

from __future__ import annotations

import logging
import re
from typing import Any

# Keys in `extra=` that may carry personal data are dropped, not masked: nothing to re-identify.
SENSITIVE_KEYS = frozenset(
    {
        "text",
        "body",
        "address",
        "phone",
        "chat_id",
        "username",
        "first_name",
        "last_name",
        "from",
        "to",
        "user_name",
        "payload",
        "contact",
        "email",
    }
)
# Attributes every LogRecord has; only what a caller added through `extra=` is inspected.
_STANDARD = frozenset(vars(logging.LogRecord("x", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}
# A run of 9+ digits with phone punctuation; not part of an IP address, a time or a decimal.
_PHONE = re.compile(r"(?<![\w.:])\+?\d[\d\s()-]{7,}\d(?![\w.:])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_USER = re.compile(r"(?<![\w@])@[A-Za-z][\w]{3,}")
_LONG_DIGITS = re.compile(r"(?<![\d.:])\d{7,}(?![\d.:])")


def _phone(match: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in match.group(0))
    return "[number]" if digits >= 9 else match.group(0)


def scrub(text: str) -> str:
    """Mask phone numbers, e-mails, @usernames and long digit runs (chat ids) in a log line."""
    text = _EMAIL.sub("[email]", text)
    text = _PHONE.sub(_phone, text)
    text = _LONG_DIGITS.sub("[number]", text)
    return _USER.sub("[username]", text)


class PersonalDataFilter(logging.Filter):
    """Rewrites each record so that what reaches a handler is free of personal data."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format must not leak its args either
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = None
        for key in list(vars(record)):
            if key not in _STANDARD and key.lower() in SENSITIVE_KEYS:
                setattr(record, key, "[removed]")
        if record.exc_info and record.exc_info[1] is not None:
            # Exception messages can quote input; keep the type and the traceback lines only.
            exc = record.exc_info[1]
            record.exc_text = None
            record.msg = f"{record.msg} ({type(exc).__name__})"
            record.exc_info = (record.exc_info[0], _Scrubbed(exc), record.exc_info[2])
        return True


class _Scrubbed(Exception):
    def __init__(self, original: BaseException) -> None:
        super().__init__(scrub(str(original)))


def install(level: str = "INFO", fmt: str | None = None) -> None:
    """Configure root logging once with the filter on every handler."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter(fmt or "%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(PersonalDataFilter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    # Libraries that log request bodies, URLs with chat ids, or chatter an operator cannot use.
    for noisy in (
        "aiogram.event",
        "httpx",
        "twilio.http_client",
        "uvicorn.access",
        "apscheduler",
        "alembic",
        "aiosqlite",
        "sqlalchemy.engine",
    ):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def attach(logger: logging.Logger) -> None:
    """Add the filter to an extra logger's handlers (uvicorn installs its own)."""
    for handler in logger.handlers:
        handler.addFilter(PersonalDataFilter())


def extra(**fields: Any) -> dict[str, Any]:
    """Structured fields for a log call, with the sensitive keys refused early."""
    bad = SENSITIVE_KEYS.intersection(k.lower() for k in fields)
    if bad:
        raise ValueError(f"log fields {sorted(bad)} may carry personal data")
    return fields
