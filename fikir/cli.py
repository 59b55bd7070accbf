"""The `fikir` command: the service, the console chat, the demo and the operators' tools."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated

import typer

from fikir.config.settings import Settings, SettingsError, load_settings

app = typer.Typer(help="fikir: anonymous feedback and polls, tagged with the SDGs.",
                  no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
i18n_app = typer.Typer(help="Translation catalogues.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(i18n_app, name="i18n")


def _settings(**overrides: object) -> Settings:
    from fikir.privacy import logfilter

    try:
        settings = load_settings(**overrides)
    except SettingsError as exc:
        typer.echo(f"fikir: {exc}", err=True)
        raise typer.Exit(2) from exc
    logfilter.install(settings.log_level)
    return settings


@app.command()
def run(
    host: Annotated[str | None, typer.Option(help="Address to listen on (FIKIR_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (FIKIR_PORT).")] = None,
) -> None:
    """Start the service: webhooks, dashboard, simulator, scheduler and configured channels."""
    overrides: dict[str, object] = {}
    if host:
        overrides["host"] = host
    if port:
        overrides["port"] = port
    settings = _settings(**overrides)
    from fikir.web.server import serve

    serve(settings)


@app.command()
def chat(
    language: Annotated[str | None, typer.Option("--lang", help="Language hint, e.g. az.")] = None,
    user: Annotated[str | None, typer.Option(help="Keep talking as the same person.")] = None,
    sms: Annotated[bool, typer.Option(help="Behave like the SMS channel.")] = False,
) -> None:
    """Talk to fikir in this terminal, exactly as a Telegram or SMS user would."""
    settings = _settings()
    _upgrade(settings)
    from fikir.console import chat as console_chat
    from fikir.runtime import build_runtime

    async def main() -> None:
        runtime = build_runtime(settings)
        try:
            await console_chat(runtime, user=user, language=language,
                               channel="simulator-sms" if sms else "console")
        finally:
            await runtime.close()

    asyncio.run(main())


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Where to write what happened.")] = Path("demo-out"),
) -> None:
    """Walk simulated respondents through the whole pipeline, offline, and show the result."""
    settings = _settings()
    from fikir.demo import run_demo

    asyncio.run(run_demo(settings, out))


@app.command()
def tag(
    explain: Annotated[bool, typer.Option(help="Show which words led to each goal.")] = False,
) -> None:
    """Tag JSON lines {"id","text","lang"?} from stdin with SDGs (DESIGN.md contract)."""
    from fikir.tagging import run_jsonl

    run_jsonl(sys.stdin, sys.stdout, explain=explain)


@app.command()
def redact() -> None:
    """Redact personal data from JSON lines {"id","text"} on stdin."""
    from fikir.privacy.redact import run_jsonl

    run_jsonl(sys.stdin, sys.stdout)


@app.command()
def forget(
    code: Annotated[str, typer.Option("--code", help="A reference code the person was given.")],
) -> None:
    """Erase everything held about the person who received this reference code."""
    settings = _settings()
    from fikir.privacy.erasure import erase_by_reference
    from fikir.runtime import build_runtime

    async def main() -> bool:
        runtime = build_runtime(settings)
        try:
            async with runtime.sessions() as session, session.begin():
                return await erase_by_reference(session, code)
        finally:
            await runtime.close()

    if not asyncio.run(main()):
        typer.echo("No feedback has this reference code; nothing was erased.", err=True)
        raise typer.Exit(1)
    typer.echo("Erased: every message, answer and contact of that person is gone.")


def _upgrade(settings: Settings) -> None:
    from fikir.storage.migrate import upgrade

    upgrade(settings.effective_database_url)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration to FIKIR_DATABASE_URL."""
    settings = _settings()
    _upgrade(settings)
    typer.echo("Database schema is up to date.")


@i18n_app.command("check")
def i18n_check() -> None:
    """Fail when a catalogue lacks a message, keeps a stale one or breaks a placeholder."""
    from fikir.i18n.check import check_catalogues

    problems = check_catalogues()
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s) in the catalogues.", err=True)
        raise typer.Exit(1)
    typer.echo("All catalogues are complete.")


@i18n_app.command("compile")
def i18n_compile() -> None:
    """Compile every .po catalogue into its .mo."""
    from fikir.i18n.catalog import compile_catalogues

    for path in compile_catalogues():
        typer.echo(f"compiled {path}")


@i18n_app.command("extract")
def i18n_extract() -> None:
    """Bring every catalogue in line with the code: add new messages, drop stale ones."""
    from fikir.i18n.check import update_catalogues

    for line in update_catalogues():
        typer.echo(line)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
