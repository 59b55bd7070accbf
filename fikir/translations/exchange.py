"""The files a community translator fills in (XLSX or PO), written and read back here, so that
what comes back is checked against what was sent: the same item, language and placeholders."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from itertools import islice

from babel.messages.pofile import PoFileError, read_po
from openpyxl import Workbook, load_workbook

from fikir.config.markers import N_
from fikir.i18n.check import placeholder_mismatch, placeholders

MARK = "fikir translation"
MAX_UPLOAD = 512 * 1024  # bytes: a poll's or an update's texts fit many times over
MAX_ROWS = 5000  # a catalogue has about 600 strings and plural forms
FORMATS = ("xlsx", "po")
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "po": "text/x-gettext-translation; charset=utf-8",
}

UNREADABLE = N_("The file could not be read: upload the XLSX or PO file downloaded from this page.")
WRONG_ITEM = N_("This file is for {found}, not for this page ({expected}).")
WRONG_LANGUAGE = N_("This file holds texts in {found}, not in {expected}.")
EMPTY = N_("{key}: the translation is empty.")
PLACEHOLDERS = N_("{key}: the placeholders differ from the original ({expected}).")
UNKNOWN_KEY = N_("{key}: this text is not part of this page.")


class ExchangeError(ValueError):
    """An uploaded file that cannot be used; `msgid` and `params` say why, in any language."""

    def __init__(self, msgid: str, **params: str) -> None:
        super().__init__(msgid.format(**params))
        self.msgid = msgid
        self.params = params


@dataclass(frozen=True)
class Entry:
    """One text: its key ("question", "option 2", "title"), the original, the translation."""

    key: str
    source: str
    text: str = ""


@dataclass(frozen=True)
class Sheet:
    """The texts of one item ("poll:12", "update:3") to put into `language` from `source_language`."""

    item: str
    language: str
    source_language: str
    entries: tuple[Entry, ...]

    def texts(self) -> dict[str, str]:
        return {entry.key: entry.text for entry in self.entries}


def to_xlsx(sheet: Sheet) -> bytes:
    """A workbook: where it belongs in the first row, then one row per text to translate."""
    book = Workbook()
    page = book.active
    assert page is not None  # noqa: S101 - a new workbook has a sheet
    page.title = "translation"
    page.append([MARK, sheet.item, sheet.language, sheet.source_language])
    page.append(["key", sheet.source_language, sheet.language])
    for entry in sheet.entries:
        page.append([entry.key, entry.source, entry.text])
    page.column_dimensions["B"].width = page.column_dimensions["C"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return '"' + escaped.replace("\n", "\\n") + '"'


def to_po(sheet: Sheet) -> bytes:
    """A PO file: the target language in its header, each text's item and key as its context."""
    lines = [
        "# " + MARK,
        f"# {sheet.source_language} → {sheet.language}",
        'msgid ""',
        'msgstr ""',
        _quote(f"Language: {sheet.language}\n"),
        _quote("Content-Type: text/plain; charset=UTF-8\n"),
        _quote(f"X-Source-Language: {sheet.source_language}\n"),
        "",
    ]
    for entry in sheet.entries:
        lines += [
            f"msgctxt {_quote(f'{sheet.item}|{entry.key}')}",
            f"msgid {_quote(entry.source)}",
            f"msgstr {_quote(entry.text)}",
            "",
        ]
    return "\n".join(lines).encode("utf-8")


def _from_xlsx(data: bytes) -> Sheet:
    # defusedxml (a dependency) makes openpyxl refuse entity tricks; rows are read lazily, so
    # the whole reading is guarded, and a sheet far longer than any catalogue is cut.
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        page = book.active
        if page is None:
            raise ExchangeError(UNREADABLE)
        rows = [
            tuple("" if cell is None else str(cell) for cell in row[:4])
            for row in islice(page.iter_rows(values_only=True), MAX_ROWS)
        ]
        book.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError, TypeError) as error:
        raise ExchangeError(UNREADABLE) from error
    head = (rows[0] + ("",) * 4)[:4] if rows else ()
    if len(rows) < 2 or head[0] != MARK:
        raise ExchangeError(UNREADABLE)
    entries = tuple(
        Entry(row[0].strip(), row[1] if len(row) > 1 else "", row[2] if len(row) > 2 else "")
        for row in rows[2:]
        if row and row[0].strip()
    )
    return Sheet(head[1], head[2], head[3], entries)


def _from_po(data: bytes) -> Sheet:
    try:
        catalog = read_po(io.BytesIO(data), charset="utf-8", abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as error:
        raise ExchangeError(UNREADABLE) from error
    headers = dict(catalog.mime_headers)
    items, entries = set(), []
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or not message.context:
            continue
        item, _, key = message.context.partition("|")
        items.add(item)
        text = message.string if isinstance(message.string, str) else ""
        entries.append(Entry(key, message.id, text))
    if len(items) != 1 or not entries:
        raise ExchangeError(UNREADABLE)
    source = str(headers.get("X-Source-Language", ""))
    return Sheet(items.pop(), str(headers.get("Language", "")), source, tuple(entries))


def read_upload(filename: str, data: bytes) -> Sheet:
    """The sheet in an uploaded XLSX or PO file; ExchangeError when it is neither."""
    if not data or len(data) > MAX_UPLOAD:
        raise ExchangeError(UNREADABLE)
    if data[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        return _from_xlsx(data)
    return _from_po(data)


def checked(upload: Sheet, expected: Sheet) -> dict[str, str]:
    """The uploaded translations by key, once they match what was sent; ExchangeError on the
    first problem (another item or language, an unknown or empty text, changed placeholders)."""
    if upload.item != expected.item:
        raise ExchangeError(WRONG_ITEM, found=upload.item or "?", expected=expected.item)
    if upload.language != expected.language:
        raise ExchangeError(
            WRONG_LANGUAGE, found=upload.language or "?", expected=expected.language
        )
    sources = {entry.key: entry.source for entry in expected.entries}
    given = upload.texts()
    for key in given:
        if key not in sources:
            raise ExchangeError(UNKNOWN_KEY, key=key)
    for key, source in sources.items():
        text = given.get(key, "").strip()
        if not text:
            raise ExchangeError(EMPTY, key=key)
        if any(placeholder_mismatch((source,), False, text)):
            wanted = ", ".join("{" + name + "}" for name in sorted(placeholders(source)))
            raise ExchangeError(PLACEHOLDERS, key=key, expected=wanted or "-")
    return {key: given[key].strip() for key in sources}
