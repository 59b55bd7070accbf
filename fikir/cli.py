"""The `fikir` command: the service, the console chat, the demo and the operators' tools."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated

import typer

from fikir.config.settings import Settings, SettingsError, load_settings

app = typer.Typer(
    help="fikir: anonymous feedback and polls, tagged with the SDGs.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
i18n_app = typer.Typer(help="Translation catalogues.", no_args_is_help=True)
app.add_typer(db_app, name="db")
staff_app = typer.Typer(help="Staff accounts.", no_args_is_help=True)
app.add_typer(i18n_app, name="i18n")
app.add_typer(staff_app, name="staff")


def _register_subcommands() -> None:
    from fikir.cli_digest import digest_app
    from fikir.cli_polls import poll_app
    from fikir.sms.cli import app as sms_app

    app.add_typer(poll_app, name="poll")
    app.add_typer(digest_app, name="digest")
    app.add_typer(sms_app, name="sms")


_register_subcommands()


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
            await console_chat(
                runtime, user=user, language=language, channel="simulator-sms" if sms else "console"
            )
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
    explain: Annotated[
        bool, typer.Option(help="Show which words led to each goal and safety category.")
    ] = False,
    retag_all: Annotated[
        bool, typer.Option("--retag-all", help="Re-tag every stored message with this tagger.")
    ] = False,
    export_corrections: Annotated[
        bool,
        typer.Option(
            "--export-corrections",
            help="Write staff and respondent tags as JSON lines (training data).",
        ),
    ] = False,
) -> None:
    """Tag JSON lines {"id","text","lang"?} from stdin with SDGs (DESIGN.md contract)."""
    if not (retag_all or export_corrections):
        from fikir.tagging import run_jsonl

        run_jsonl(sys.stdin, sys.stdout, explain=explain)
        return
    settings = _settings()
    _upgrade(settings)
    from rich.progress import Progress

    from fikir.retag import count_taggable
    from fikir.retag import export_corrections as export
    from fikir.retag import retag_all as retag
    from fikir.runtime import build_runtime

    async def main() -> int:
        runtime = build_runtime(settings)
        try:
            if export_corrections:
                return await export(runtime, sys.stdout)
            total = await count_taggable(runtime)
            with Progress(transient=False) as bar:
                task = bar.add_task("re-tagging", total=total)
                return await retag(runtime, lambda n: bar.advance(task, n))
        finally:
            await runtime.close()

    count = asyncio.run(main())
    what = "exported" if export_corrections else "re-tagged"
    typer.echo(f"{count} messages {what}.", err=True)


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


def _upgrade(settings: Settings) -> tuple[str | None, str | None]:
    from fikir.storage.migrate import upgrade

    return upgrade(settings.effective_database_url)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration to FIKIR_DATABASE_URL."""
    settings = _settings()
    before, after = _upgrade(settings)
    from sqlalchemy.engine import make_url

    where = make_url(settings.effective_database_url).render_as_string(hide_password=True)
    if before is None:
        typer.echo(f"Created the database schema (revision {after}) in {where}.")
    elif before != after:
        typer.echo(f"Upgraded the database schema in {where} from revision {before} to {after}.")
    else:
        typer.echo(f"Database schema in {where} is up to date (revision {after}).")


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


@app.command()
def export(
    what: Annotated[str, typer.Argument(help="feedback or polls")],
    out: Annotated[Path, typer.Option(help="File to write (.csv or .xlsx).")],
    month: Annotated[str | None, typer.Option(help="Only this month, e.g. 2026-10.")] = None,
    lang: Annotated[str, typer.Option(help="Language of poll texts: en, az or ru.")] = "en",
) -> None:
    """Export redacted feedback or suppressed poll results; the export is audited."""
    if what not in {"feedback", "polls"}:
        typer.echo("fikir: export feedback or polls", err=True)
        raise typer.Exit(2)
    if out.suffix not in {".csv", ".xlsx"}:
        typer.echo("fikir: --out must end in .csv or .xlsx", err=True)
        raise typer.Exit(2)
    settings = _settings()
    _upgrade(settings)
    from fikir.runtime import build_runtime
    from fikir.storage.models import AuditEvent
    from fikir.web.admin.export_data import feedback_table, polls_table, to_csv, to_xlsx
    from fikir.web.admin.months import Month

    chosen = Month.parse_or_none(month) if month else None
    if month and chosen is None:
        typer.echo("fikir: --month looks like 2026-10", err=True)
        raise typer.Exit(2)

    async def main() -> int:
        runtime = build_runtime(settings)
        try:
            async with runtime.sessions() as session, session.begin():
                k = settings.k_anonymity
                if what == "feedback":
                    table = await feedback_table(session, chosen, settings.timezone, k)
                else:
                    table = await polls_table(session, k, lang)
                session.add(
                    AuditEvent(
                        action="export",
                        object_type=what,
                        detail=f"command line export, {len(table.rows)} rows, "
                        f"month {chosen or 'all'}",
                    )
                )
            out.write_bytes(to_csv(table) if out.suffix == ".csv" else to_xlsx(table))
            return len(table.rows)
        finally:
            await runtime.close()

    rows = asyncio.run(main())
    typer.echo(f"Wrote {rows} rows to {out} (small groups suppressed; recorded in the audit log).")


def _staff_instructions(settings: Settings, code: str) -> str:
    base = settings.public_url or f"http://{settings.host}:{settings.port}"
    return (
        f"One-time code: {code} (valid 7 days, usable once)\n"
        f"  Set a password: {base}/admin/setup?code={code}\n"
        f"  Or link a Telegram chat for digests: send  /staff {code}  to the bot."
    )


@staff_app.command("add")
def staff_add(
    name: Annotated[str, typer.Argument(help="The staff member's name or e-mail.")],
    role: Annotated[str, typer.Option(help="admin, analyst or viewer.")] = "viewer",
    lang: Annotated[str, typer.Option(help="Language of their digest: en, az or ru.")] = "en",
) -> None:
    """Add a staff member and print their one-time code."""
    settings = _settings()
    _upgrade(settings)
    from datetime import UTC, datetime

    from fikir.runtime import build_runtime
    from fikir.staff.accounts import StaffError, add_staff

    async def main() -> str:
        runtime = build_runtime(settings)
        try:
            async with runtime.sessions() as session, session.begin():
                _, code = await add_staff(session, name, role, lang, datetime.now(UTC))
                return code
        finally:
            await runtime.close()

    try:
        code = asyncio.run(main())
    except StaffError as exc:
        typer.echo(f"fikir: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"Added {name} ({role}).")
    typer.echo(_staff_instructions(settings, code))


@staff_app.command("code")
def staff_code(name: Annotated[str, typer.Argument(help="An existing staff member.")]) -> None:
    """Issue a fresh one-time code (the old one stops working)."""
    settings = _settings()
    from datetime import UTC, datetime

    from sqlmodel import select

    from fikir.runtime import build_runtime
    from fikir.staff.accounts import issue_code
    from fikir.storage.models import StaffUser

    async def main() -> str | None:
        runtime = build_runtime(settings)
        try:
            async with runtime.sessions() as session, session.begin():
                user = (await session.exec(select(StaffUser).where(StaffUser.name == name))).first()
                if user is None:
                    return None
                code = issue_code(user, datetime.now(UTC))
                session.add(user)
                return code
        finally:
            await runtime.close()

    code = asyncio.run(main())
    if code is None:
        typer.echo(f"fikir: no staff member is called {name!r}", err=True)
        raise typer.Exit(1)
    typer.echo(_staff_instructions(settings, code))


@staff_app.command("list")
def staff_list() -> None:
    """List staff members, their roles and whether a Telegram chat is linked."""
    settings = _settings()
    from sqlmodel import select

    from fikir.runtime import build_runtime
    from fikir.storage.models import StaffUser

    async def main() -> list[StaffUser]:
        runtime = build_runtime(settings)
        try:
            async with runtime.sessions() as session:
                return list((await session.exec(select(StaffUser))).all())
        finally:
            await runtime.close()

    for user in asyncio.run(main()):
        linked = "telegram linked" if user.telegram_pseudonym else "no telegram"
        state = "active" if user.active else "disabled"
        typer.echo(f"{user.name}\t{user.role}\t{user.language}\t{linked}\t{state}")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
