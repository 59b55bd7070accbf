"""The digest as people read it: PDF, HTML, charts, summary and digest.json, in en, az and ru."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fikir.cli.digest import digest_app
from fikir.config.sdgs import goal_name
from fikir.digest import charts
from fikir.digest.build import build, render_files
from fikir.digest.document import DigestDocument
from fikir.digest.render import (
    SUMMARY_LIMIT,
    Rendered,
    render_html,
    render_language,
    summary_text,
)
from fikir.runtime import build_runtime
from fikir.storage.migrate import upgrade
from tests.conftest import TEST_SECRET, make_settings
from tests.pdf import pdf_text
from tests.test_digest_seed import MONTH, make_seed, store_seed

PNG = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Built:
    doc: DigestDocument
    out: Path
    files: dict[str, Rendered]
    url: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("digest")
    url = f"sqlite:///{root / 'fikir.db'}"
    upgrade(url)

    async def main() -> Built:
        runtime = build_runtime(make_settings(root, url))
        try:
            async with runtime.sessions() as session, session.begin():
                await store_seed(session, make_seed())
            doc = await build(runtime, MONTH, datetime(2026, 11, 1, 5, tzinfo=UTC))
            files = await render_files(doc, root / "out")
        finally:
            await runtime.close()
        return Built(doc, root / "out", files, url)

    return asyncio.run(main())


def test_every_language_has_html_pdf_and_charts(built: Built) -> None:
    assert set(built.files) == {"en", "az", "ru"}
    for lang, files in built.files.items():
        assert files.pdf.read_bytes()[:5] == b"%PDF-"
        html = files.html.read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in html
        for chart in (files.charts.goals, files.charts.trend, files.charts.regions):
            assert chart is not None and chart.read_bytes()[:8] == PNG
            assert f'src="charts/{chart.name}"' in html


@pytest.mark.parametrize(
    ("lang", "heading", "people"),
    [
        ("en", "Goals ranked", "People who wrote"),
        ("az", "Məqsədlərin sıralaması", "Yazanlar"),
        ("ru", "Рейтинг целей", "Авторы сообщений"),
    ],
)
def test_pdf_reads_in_the_staff_members_language(
    built: Built, lang: str, heading: str, people: str
) -> None:
    files = built.files[lang]
    text = " ".join(pdf_text(files.pdf).split())
    assert heading in text and people in text
    leader = built.doc.goals[0]
    # Goal names come out in the reader's language, with their letters intact (ə, ş, ğ, ы …).
    assert goal_name(leader.goal, lang) in text
    assert str(built.doc.totals.messages) in text
    # Quotes stay in the language they were written in, whatever the reader's language.
    quote = built.doc.quotes[0].text
    assert " ".join(quote.split())[:30] in text


def test_html_escapes_what_people_wrote(built: Built) -> None:
    html = built.files["en"].html.read_text(encoding="utf-8")
    for quote in built.doc.quotes:
        assert quote.text.replace("'", "&#39;").replace('"', "&#34;") in html


def test_summary_is_short_and_says_the_leading_goals(built: Built) -> None:
    for lang, files in built.files.items():
        assert files.summary == summary_text(built.doc, lang)
        assert len(files.summary) <= SUMMARY_LIMIT
        for figure in built.doc.goals[:3]:
            assert goal_name(figure.goal, lang) in files.summary
    assert built.files["az"].summary.startswith("fikir icmalı: Oktyabr 2026")
    assert built.files["ru"].summary.startswith("Дайджест fikir: Октябрь 2026")
    assert f"Сообщений: {built.doc.totals.messages}, авторов: " in built.files["ru"].summary


def test_json_file_is_the_document(built: Built) -> None:
    data = json.loads((built.out / "digest.json").read_text(encoding="utf-8"))
    assert data == json.loads(built.doc.to_json())
    assert data["month"] == MONTH and data["period"]["timezone"] == "Asia/Baku"
    assert {g["goal"]: g["colour"] for g in data["goals"]}[6] == "#26BDE2"


def test_cli_build_writes_the_folder(built: Built, tmp_path: Path) -> None:
    out = tmp_path / "digest-cli"
    env = {
        "FIKIR_DATABASE_URL": built.url,
        "FIKIR_SECRET_KEY": TEST_SECRET,
        "FIKIR_DATA_DIR": str(tmp_path / "var"),
        "FIKIR_ENV": "test",
    }
    result = CliRunner().invoke(
        digest_app, ["build", "--month", MONTH, "--out", str(out), "--lang", "ru"], env=env
    )
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.rglob("*") if p.is_file()}
    assert {"digest.json", f"fikir-digest-{MONTH}-ru.pdf", f"fikir-digest-{MONTH}-ru.html"} <= names
    assert {"goals-ru.png", "trend-ru.png", "regions-ru.png"} <= names
    bad = CliRunner().invoke(digest_app, ["build", "--month", "10-2026"], env=env)
    assert bad.exit_code == 2 and "YYYY-MM" in bad.output


def test_the_same_figures_are_not_typeset_twice(built: Built, tmp_path: Path) -> None:
    out = tmp_path / "copy"
    shutil.copytree(built.out, out)
    pdf = out / f"fikir-digest-{MONTH}-en.pdf"
    before = pdf.stat().st_mtime_ns
    later = dataclasses.replace(built.doc, generated_at=datetime(2026, 11, 2, tzinfo=UTC))
    again = render_language(later, "en", out)
    assert again.pdf == pdf and pdf.stat().st_mtime_ns == before
    assert again.charts.goals == out / "charts" / "goals-en.png"
    changed = dataclasses.replace(built.doc, k=6)
    render_language(changed, "en", out)
    assert pdf.stat().st_mtime_ns != before


def test_an_older_framework_is_said_to_be_one(built: Built) -> None:
    """October 2026 is counted under 2021–2025 areas until staff enter 2026–2030's: say so."""
    assert built.doc.framework.period == (2021, 2025)
    english = built.files["en"].html.read_text(encoding="utf-8")
    assert "framework in force in 2026 have not been entered yet" in english
    assert "2026 ildə qüvvədə olan" in built.files["az"].html.read_text(encoding="utf-8")
    assert "действующей в 2026 году" in built.files["ru"].html.read_text(encoding="utf-8")
    current = dataclasses.replace(
        built.doc, framework=dataclasses.replace(built.doc.framework, period=(2026, 2030))
    )
    html = render_html(current, "en", built.files["en"].charts, built.out)
    assert "have not been entered yet" not in html


def test_missing_fonts_do_not_flood_the_log(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A machine without the intended fonts renders with what it has and says nothing per label."""
    monkeypatch.setattr(charts, "WANTED_FONTS", ("No Such Sans", "DejaVu Sans"))
    charts.chart_fonts.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            files = render_language(built.doc, "az", tmp_path / "fontless")
    finally:
        charts.chart_fonts.cache_clear()
    assert files.pdf.read_bytes()[:5] == b"%PDF-"
    assert files.charts.goals is not None and files.charts.goals.read_bytes()[:8] == PNG
    noise = [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith(("matplotlib", "fontTools", "weasyprint"))
    ]
    assert noise == []
