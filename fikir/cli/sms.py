"""`fikir sms …`: what every SMS prompt costs in segments, and what the queued SMS will cost."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from pydantic import ValidationError

from fikir.config.settings import Settings
from fikir.sms.audit import SegmentLine, poll_lines, prompt_lines

sms_app = typer.Typer(help="SMS: segments and costs.", no_args_is_help=True)


def _settings() -> Settings:
    # Plain Settings, not load_settings: counting segments must not create a secret key file.
    try:
        return Settings()
    except ValidationError as exc:
        typer.echo(f"fikir: invalid configuration: {exc}", err=True)
        raise typer.Exit(2) from exc


async def _poll_lines(settings: Settings) -> list[SegmentLine]:
    from sqlmodel import col, select

    from fikir.polls.service import load_view
    from fikir.storage.engine import create_async_db_engine, make_sessionmaker
    from fikir.storage.models import Poll

    db = create_async_db_engine(settings.effective_database_url)
    try:
        async with make_sessionmaker(db)() as session:
            ids = (
                await session.exec(
                    select(Poll.id)
                    .where(col(Poll.status).in_(("draft", "scheduled", "held", "open")))
                    .order_by(col(Poll.id))
                )
            ).all()
            views = [await load_view(session, poll_id or 0) for poll_id in ids]
        return poll_lines([v for v in views if v is not None], settings.sms_transliterate)
    finally:
        await db.dispose()


@sms_app.command()
def segments(
    polls: Annotated[
        bool, typer.Option(help="Also check the polls in FIKIR_DATABASE_URL (not yet closed).")
    ] = False,
    only_problems: Annotated[bool, typer.Option(help="Print only what is too long.")] = False,
) -> None:
    """Print the segments of every SMS prompt in every language; fail if any is too long."""
    settings = _settings()
    lines = prompt_lines(settings.sms_transliterate, settings.organisation)
    if polls:
        lines += asyncio.run(_poll_lines(settings))
    too_long = [line for line in lines if not line.fits]
    for line in too_long if only_problems else lines:
        typer.echo(line.describe())
    typer.echo(
        f"{len(lines)} messages checked; {len(too_long)} too long "
        "(a reply may take 1 segment, the consent and a poll question 2)."
    )
    if too_long:
        raise typer.Exit(1)


@sms_app.command()
def queued(
    kind: Annotated[str | None, typer.Option(help="Only this kind, e.g. poll or reply.")] = None,
) -> None:
    """Show how many SMS wait in the outbox, their segments and their estimated cost."""
    from fikir.sms.estimate import estimate_queued
    from fikir.storage.engine import create_async_db_engine, make_sessionmaker

    settings = _settings()

    async def main() -> str:
        db = create_async_db_engine(settings.effective_database_url)
        try:
            async with make_sessionmaker(db)() as session:
                found = await estimate_queued(
                    session, settings.sms_segment_cost, settings.sms_transliterate, kind
                )
            return found.describe()
        finally:
            await db.dispose()

    typer.echo(asyncio.run(main()))
