"""`fikir digest …`: build a month's digest into a folder, or send it to staff now."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from fikir.cli.common import settings_or_exit, with_runtime
from fikir.config.languages import STAFF_LANGUAGES
from fikir.config.settings import Settings

if TYPE_CHECKING:
    from fikir.runtime import Runtime

digest_app = typer.Typer(help="The monthly SDG priority digest.", no_args_is_help=True)

MonthOption = Annotated[
    str, typer.Option("--month", help="The month, YYYY-MM (default: last month).")
]


def _month(settings: Settings, text: str) -> str:
    from fikir.digest.period import Month, MonthError, last_complete_month

    if not text:
        return str(last_complete_month(datetime.now(UTC), settings.timezone))
    try:
        return str(Month.parse(text))
    except MonthError as exc:
        typer.echo(f"fikir: {exc}", err=True)
        raise typer.Exit(2) from exc


@digest_app.command("build")
def build_cmd(
    month: MonthOption = "",
    out: Annotated[Path, typer.Option("--out", help="Folder to write into.")] = Path("digest-out"),
    lang: Annotated[
        list[str] | None, typer.Option("--lang", help="en, az or ru; repeat for several.")
    ] = None,
) -> None:
    """Write digest.json, and the HTML, PDF and charts per language, into OUT."""
    settings = settings_or_exit(upgrade=True)
    chosen = _month(settings, month)
    languages = tuple(lang or STAFF_LANGUAGES)
    unknown = [code for code in languages if code not in STAFF_LANGUAGES]
    if unknown:
        typer.echo(f"fikir: the digest is written in {', '.join(STAFF_LANGUAGES)}", err=True)
        raise typer.Exit(2)
    from fikir.digest.build import build, render_files

    async def work(runtime: Runtime) -> list[Path]:
        doc = await build(runtime, chosen)
        rendered = await render_files(doc, out, languages)
        paths = [out / "digest.json"]
        for files in rendered.values():
            paths += [files.html, files.pdf]
            paths += [
                p for p in (files.charts.goals, files.charts.trend, files.charts.regions) if p
            ]
        return paths

    for path in with_runtime(settings, work):
        typer.echo(str(path))


@digest_app.command("send")
def send_cmd(month: MonthOption = "") -> None:
    """Send the month's digest to linked staff chats and FIKIR_DIGEST_EMAILS, once each."""
    settings = settings_or_exit(upgrade=True)
    chosen = _month(settings, month)
    from fikir.digest.delivery import send_digest

    report = with_runtime(settings, lambda runtime: send_digest(runtime, chosen))
    for line in report.lines():
        typer.echo(line)
    if report.queued:
        typer.echo("Telegram messages leave through the outbox of the running service.")
    if report.failed:
        raise typer.Exit(1)
