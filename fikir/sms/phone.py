"""Phone numbers in one form (E.164), so the same phone has one pseudonym on every provider."""

from __future__ import annotations

import re

import phonenumbers

DEFAULT_REGION = "AZ"
# "whatsapp:", "messenger:", "viber:" … : an address on another network, not an SMS phone.
_SCHEME = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.-]*:")


def to_e164(raw: str | None, region: str = DEFAULT_REGION) -> str | None:
    """`+994501234567` for "050 123 45 67", "994501234567" or "+994 50 123-45-67"; else None.

    None means the sender is not a phone that can be answered by SMS (an alphanumeric sender id
    such as an operator's notice, a short code, garbage, or an address on another network such as
    "whatsapp:+994…", which is its own identity and must never merge into the phone's SMS one).
    """
    if not raw:
        return None
    text = raw.strip()
    if not text or not any(ch.isdigit() for ch in text) or _SCHEME.match(text):
        return None
    digits = "".join(ch for ch in text if ch.isdigit())
    if not text.startswith("+") and (
        text.startswith("00") or (text.startswith("994") and len(digits) == 12)
    ):
        # Gateways often drop the "+": 994501234567 and 00994501234567 are international.
        text = "+" + digits.removeprefix("00")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
