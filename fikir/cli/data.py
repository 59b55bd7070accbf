"""`fikir export` and `fikir forget`: data leaving fikir (suppressed, audited) and a person's erasure."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from fikir.cli.common import settings_or_exit, with_runtime
from fikir.web.admin.audit import audit_cli

if TYPE_CHECKING:
    from fikir.runtime import Runtime


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
    settings = settings_or_exit(upgrade=True)
    from fikir.web.admin.export_data import feedback_table, polls_table, to_csv, to_xlsx
    from fikir.web.admin.months import Month

    chosen = Month.parse_or_none(month) if month else None
    if month and chosen is None:
        typer.echo("fikir: --month looks like 2026-10", err=True)
        raise typer.Exit(2)

    async def work(runtime: Runtime) -> int:
        async with runtime.sessions() as session, session.begin():
            k = settings.k_anonymity
            if what == "feedback":
                table = await feedback_table(session, chosen, settings.timezone, k)
            else:
                table = await polls_table(session, k, lang)
            audit_cli(
                session, "export", what, "", f"{len(table.rows)} rows, month {chosen or 'all'}"
            )
        out.write_bytes(to_csv(table) if out.suffix == ".csv" else to_xlsx(table))
        return len(table.rows)

    rows = with_runtime(settings, work)
    typer.echo(f"Wrote {rows} rows to {out} (small groups suppressed; recorded in the audit log).")


def forget(
    code: Annotated[str, typer.Option("--code", help="A reference code the person was given.")],
) -> None:
    """Erase everything held about the person who received this reference code."""
    settings = settings_or_exit()
    from fikir.privacy.erasure import erase_by_reference

    async def work(runtime: Runtime) -> bool:
        async with runtime.sessions() as session, session.begin():
            erased = await erase_by_reference(session, code)
            # Neither the code nor anything about the person: only that an erasure was asked.
            audit_cli(session, "forget", "respondent", "", "erased" if erased else "no match")
            return erased

    if not with_runtime(settings, work):
        typer.echo("No feedback has this reference code; nothing was erased.", err=True)
        raise typer.Exit(1)
    typer.echo("Erased: every message, answer and contact of that person is gone.")
