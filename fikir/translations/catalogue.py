"""A language's catalogue strings that still need a translator (drafts, borrowed wording,
untranslated or fuzzy ones) as the same XLSX or PO a poll's texts go out in, and a filled file
written back into the catalogue once it passes the placeholder rules of `fikir i18n check`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

from fikir.config.languages import LANGUAGE_CODES
from fikir.i18n.catalog import DOMAIN, po_path, reload
from fikir.i18n.check import placeholder_mismatch, placeholders
from fikir.translations.exchange import (
    EMPTY,
    PLACEHOLDERS,
    UNKNOWN_KEY,
    WRONG_ITEM,
    WRONG_LANGUAGE,
    Entry,
    ExchangeError,
    Sheet,
)

ITEM = "catalogue"
# Words of the notes that mark a string as a draft or as another language's wording.
PENDING_NOTES = ("draft", "review", "wording", "please check")


def _ids(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, (list, tuple)) else (str(message.id),)


def _strings(message: Message) -> tuple[str, ...]:
    if isinstance(message.string, (list, tuple)):
        return tuple(message.string)
    return (message.string or "",)


def _keys(message: Message, forms: int) -> list[tuple[str, str, str]]:
    """(key, English, translation) per form: the msgid, or "msgid [i]" for plural forms."""
    ids, strings = _ids(message), _strings(message)
    if not message.pluralizable:
        return [(ids[0], ids[0], strings[0])]
    padded = (*strings, *("",) * forms)[:forms]
    return [(f"{ids[0]} [{i}]", ids[0] if i == 0 else ids[1], padded[i]) for i in range(forms)]


def pending(message: Message) -> bool:
    """True when a translator should look at this string."""
    notes = " ".join((*message.user_comments, *message.auto_comments)).lower()
    return (
        message.fuzzy
        or any(not s.strip() for s in _strings(message))
        or any(word in notes for word in PENDING_NOTES)
    )


def pending_counts() -> dict[str, int]:
    """Per language, how many strings need a translator (the languages page shows it)."""
    return {lang: len(catalogue_sheet(lang).entries) for lang in LANGUAGE_CODES}


def load(lang: str, path: Path | None = None) -> Catalog:
    with (path or po_path(lang)).open("rb") as handle:
        return read_po(handle, domain=DOMAIN)


def catalogue_sheet(lang: str, path: Path | None = None) -> Sheet:
    """The strings of `lang` that need a translator, English beside the current wording."""
    catalog = load(lang, path)
    entries = tuple(
        Entry(key, english, text)
        for message in catalog
        if message.id and pending(message)
        for key, english, text in _keys(message, catalog.num_plurals)
    )
    return Sheet(f"{ITEM}:{lang}", lang, "en", entries)


def apply_upload(lang: str, upload: Sheet, now: datetime, path: Path | None = None) -> int:
    """Check every filled string (non-empty, the placeholders of its message) and write them
    into the catalogue, their draft notes replaced by the upload's date; ExchangeError on the
    first problem, nothing written. Returns how many strings changed."""
    if lang not in LANGUAGE_CODES or upload.item != f"{ITEM}:{lang}":
        raise ExchangeError(WRONG_ITEM, found=upload.item or "?", expected=f"{ITEM}:{lang}")
    if upload.language != lang:
        raise ExchangeError(WRONG_LANGUAGE, found=upload.language or "?", expected=lang)
    target = path or po_path(lang)
    catalog = load(lang, target)
    forms = catalog.num_plurals
    by_key = {
        key: (message, index)
        for message in catalog
        if message.id
        for index, (key, _, _) in enumerate(_keys(message, forms))
    }
    changed: dict[int, tuple[Message, list[str]]] = {}
    for entry in upload.entries:
        if entry.key not in by_key:
            raise ExchangeError(UNKNOWN_KEY, key=entry.key[:80])
        text = entry.text.strip()
        if not text:
            raise ExchangeError(EMPTY, key=entry.key[:80])
        message, index = by_key[entry.key]
        missing, extra = placeholder_mismatch(_ids(message), message.pluralizable, text)
        if missing or extra:
            wanted = ", ".join("{" + name + "}" for name in sorted(placeholders(_ids(message)[0])))
            raise ExchangeError(PLACEHOLDERS, key=entry.key[:80], expected=wanted or "-")
        _, strings = changed.setdefault(id(message), (message, list(_keys_strings(message, forms))))
        strings[index] = text
    for message, strings in changed.values():
        message.string = tuple(strings) if message.pluralizable else strings[0]
        message.flags.discard("fuzzy")
        message.user_comments = [
            c for c in message.user_comments if not any(w in c.lower() for w in PENDING_NOTES)
        ] + [f"community translation uploaded {now:%Y-%m-%d}"]
    with target.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=False)
    reload()
    return len(changed)


def _keys_strings(message: Message, forms: int) -> list[str]:
    return [text for _, _, text in _keys(message, forms)]
