"""gettext catalogues per language: compiled .mo when built, the .po itself in a fresh checkout."""

from __future__ import annotations

import gettext
import io
import threading
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from fikir.config.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "fikir"

_lock = threading.Lock()
_cache: dict[str, gettext.NullTranslations] = {}


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def _load(lang: str) -> gettext.NullTranslations:
    po, mo = po_path(lang), mo_path(lang)
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if po.exists():
        # A checkout that has not run `fikir i18n compile` still speaks every language.
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=None, domain=DOMAIN)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)
    return gettext.NullTranslations()


def translations(lang: str | None) -> gettext.NullTranslations:
    """The catalogue for `lang` (the default language for unknown codes), loaded once."""
    code = lang if lang in LANGUAGE_CODES else DEFAULT_LANGUAGE
    found = _cache.get(code)
    if found is None:
        with _lock:
            found = _cache.get(code)
            if found is None:
                found = _load(code)
                _cache[code] = found
    return found


def reload() -> None:
    """Forget loaded catalogues (after `fikir i18n compile` or in tests)."""
    with _lock:
        _cache.clear()


def translate(lang: str | None, message: str, /, **params: object) -> str:
    """The message in `lang`, with `{placeholders}` filled from params."""
    text = translations(lang).gettext(message)
    return text.format(**params) if params else text


def translate_plural(
    lang: str | None, singular: str, plural: str, n: int, /, **params: object
) -> str:
    """The plural form for `n` in `lang`; `{n}` is always available to the message."""
    text = translations(lang).ngettext(singular, plural, n)
    return text.format(n=n, **params)


def compile_catalogues() -> list[Path]:
    """Write a .mo next to every .po (run at install and by `make`)."""
    written = []
    for lang in LANGUAGE_CODES:
        po = po_path(lang)
        if not po.exists():
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=None, domain=DOMAIN)
        with mo_path(lang).open("wb") as handle:
            write_mo(handle, catalog)
        written.append(mo_path(lang))
    reload()
    return written
