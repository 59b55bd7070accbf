"""Every user-facing string, in every language fikir ships, and the language of a text."""

from fikir.config.markers import N_
from fikir.i18n.catalog import translate, translate_plural

__all__ = ["N_", "NP_", "translate", "translate_plural", "detect_language"]


def NP_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - gettext convention
    """Mark a plural pair for extraction; translate it later with translate_plural."""
    return singular, plural


def detect_language(text: str) -> str | None:
    """The language code of `text`, or None when it is too short or unclear (DESIGN.md)."""
    from fikir.i18n.detect import detect_language as _detect

    return _detect(text)
