"""The gettext marker for strings translated later, kept at the bottom layer so data can use it."""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the gettext convention Babel's extractor looks for
    """Mark `message` for extraction into the catalogues without translating it now."""
    return message
