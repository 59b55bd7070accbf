"""Every digest chart states its figures in text (alt text, or the table under it), in the
reader's language, and a figure withheld under the k rule is said to be withheld."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from fikir.digest.alt_text import trend_series
from fikir.digest.labels import Words
from fikir.i18n.catalog import translate
from tests.test_digest_render import Built, built  # noqa: F401 - the module's fixture


class _Page(HTMLParser):
    """Chart images' alt texts, and the rows of the tables with an id."""

    def __init__(self) -> None:
        super().__init__()
        self.alts: dict[str, str] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "img" and found.get("class") == "chart":
            name = re.sub(r"-\w+\.png$", "", (found.get("src") or "").rsplit("/", 1)[-1])
            self.alts[name] = found.get("alt") or ""
        elif tag == "table" and found.get("id"):
            self._table = found["id"]
            self.tables[self._table or ""] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._table and self._cell is not None:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _read(built: Built, lang: str) -> _Page:  # noqa: F811
    page = _Page()
    page.feed(built.files[lang].html.read_text(encoding="utf-8"))
    return page


def test_chart_alt_texts_state_the_figures(built: Built) -> None:  # noqa: F811
    doc = built.doc
    for lang in ("en", "az", "ru"):
        words = Words(lang, doc.timezone)
        page = _read(built, lang)
        goals = page.alts["goals"]
        assert goals.startswith(translate(lang, "Goals ranked by share") + ":"), goals
        for g in doc.goals:
            assert f"{words.sdg(g.goal)} {words.goal(g.goal)} {words.percent(g.share)}" in goals
        regions = page.alts["regions"]
        breakdown = doc.breakdown("region")
        for cell in breakdown.cells:
            assert f"{words.value('region', cell.key)} {words.number(cell.respondents)}" in regions
        if breakdown.other_respondents is not None:
            assert words.number(breakdown.other_respondents) in regions.rsplit(";", 1)[-1]


def test_the_trend_chart_has_its_table_with_withheld_months_said(built: Built) -> None:  # noqa: F811
    doc = built.doc
    lines = trend_series(doc)
    assert lines and any(None in line.shares for line in lines), "the seed has a gap to show"
    for lang in ("en", "az", "ru"):
        words = Words(lang, doc.timezone)
        withheld = translate(lang, "fewer than {k}", k=doc.k)
        rows = _read(built, lang).tables["trend-table"]
        assert rows[0][1:] == [words.short_month(month) for month in doc.trend_months]
        assert len(rows) == 1 + len(lines)
        for row, line in zip(rows[1:], lines, strict=True):
            assert row[0] == f"{words.sdg(line.goal)} · {words.goal(line.goal)}"
            expected = [withheld if s is None else words.percent(s) for s in line.shares]
            assert row[1:] == expected


def test_the_cartogram_table_says_which_regions_are_withheld(built: Built) -> None:  # noqa: F811
    doc = built.doc
    assert any(r.respondents is None for r in doc.regions), "the seed has a small region"
    for lang in ("en", "az", "ru"):
        rows = _read(built, lang).tables["regions-table"][1:]
        withheld = translate(lang, "fewer than {k}", k=doc.k)
        for row, region in zip(rows, doc.regions, strict=True):
            if region.respondents is None:
                assert row[1] == withheld, row
            else:
                assert row[1] == Words(lang, doc.timezone).number(region.respondents)
