"""Read the people counts a rendered digest shows, so the property test can hold the HTML and
text digests to the k rule as well as digest.json (they are rendered from it, but rendering could
add or un-hide a figure)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Columns and key figures that count people (answers are people: one answer each).
PEOPLE_HEADERS = ("People", "Answers", "People who wrote")
_NUMBER = re.compile(r"^\d[\d,]*$")


class _Tables(HTMLParser):
    """Every table as rows of cell texts, and the key-figure boxes as (label, value)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.keys: list[tuple[str, str]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._key: list[str] | None = None
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "style":
            self._in_style = True
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
            self.tables[-1].append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "div" and ("class", "key") in attrs:
            self._key = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr":
            self._row = None
        elif tag == "div" and self._key is not None:
            self._key = None

    def handle_data(self, data: str) -> None:
        if self._in_style:
            return
        if self._cell is not None:
            self._cell.append(data)
        if self._key is not None:
            self._key.append(data)
            text = " ".join("".join(self._key).split())
            for label in PEOPLE_HEADERS:
                if text.endswith(label):
                    self.keys.append((label, text[: -len(label)].strip()))


def people_figures_in_html(html: str) -> list[tuple[str, int]]:
    """(where, number) for every people count the page prints as a plain number."""
    page = _Tables()
    page.feed(html)
    found: list[tuple[str, int]] = []
    for table in page.tables:
        if not table:
            continue
        header = table[0]
        columns = [i for i, name in enumerate(header) if name in PEOPLE_HEADERS]
        for row in table[1:]:
            for i in columns:
                if i < len(row) and _NUMBER.match(row[i]):
                    found.append((f"{header[i]} · {row[0]}", int(row[i].replace(",", ""))))
    for label, value in page.keys:
        if _NUMBER.match(value):
            found.append((label, int(value.replace(",", ""))))
    return found


def people_figures_in_text(text: str) -> list[int]:
    """Every "N people" the English text digest says."""
    return [int(n.replace(",", "")) for n in re.findall(r"(\d[\d,]*) (?:people|person)\b", text)]
