"""`fikir db upgrade`: the schema brought to this release, saying what was done."""

from __future__ import annotations

import typer

from fikir.cli.common import settings_or_exit, upgrade_schema

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration to FIKIR_DATABASE_URL."""
    settings = settings_or_exit()
    before, after = upgrade_schema(settings)
    from sqlalchemy.engine import make_url

    where = make_url(settings.effective_database_url).render_as_string(hide_password=True)
    if before is None:
        typer.echo(f"Created the database schema (revision {after}) in {where}.")
    elif before != after:
        typer.echo(f"Upgraded the database schema in {where} from revision {before} to {after}.")
    else:
        typer.echo(f"Database schema in {where} is up to date (revision {after}).")
