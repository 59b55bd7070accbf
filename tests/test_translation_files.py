"""The translators' files on their own: what goes out reads back the same, and a file that is
not one (or carries an XML entity trick) is refused as unreadable, never half-read."""

from __future__ import annotations

import io
import zipfile

import pytest

from fikir.translations.exchange import (
    Entry,
    ExchangeError,
    Sheet,
    checked,
    read_upload,
    to_po,
    to_xlsx,
)

SENT = Sheet(
    "poll:3",
    "lez",
    "az",
    (Entry("question", 'Nə "{place}" üçün\nvacibdir?'), Entry("option 1", "Su \\ yol")),
)


def _filled(*texts: str) -> Sheet:
    entries = tuple(Entry(e.key, e.source, t) for e, t in zip(SENT.entries, texts, strict=True))
    return Sheet(SENT.item, SENT.language, SENT.source_language, entries)


@pytest.mark.parametrize("write", [to_po, to_xlsx])
def test_a_filled_file_reads_back_the_same(write: object) -> None:
    assert callable(write)
    texts = ('Вуч "{place}" патал\nважиб я?', "Яд \\ рехъ")
    back = read_upload("file", write(_filled(*texts)))
    assert (back.item, back.language) == ("poll:3", "lez")
    assert checked(back, SENT) == dict(zip(("question", "option 1"), texts, strict=True))


def _entity_workbook() -> bytes:
    """A real workbook whose sheet XML declares an entity (the "billion laughs" shape)."""
    source = zipfile.ZipFile(io.BytesIO(to_xlsx(SENT)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>' + data
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("t.xlsx", b"PK\x03\x04 broken zip"),
        ("t.po", b'msgid "a"\nmsgstr "b"\n'),  # no item: not a file fikir sent
        ("t.po", b"\xff\xfe not utf-8 \x00"),
        ("t.xlsx", b""),
        ("t.xlsx", _entity_workbook()),
    ],
)
def test_what_is_not_a_translation_file_is_unreadable(name: str, data: bytes) -> None:
    with pytest.raises(ExchangeError, match="could not be read"):
        read_upload(name, data)
