"""`fikir opinion …`: seed a topic from YAML, send a round, moderate statements, see the map."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
import yaml
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.cli.common import settings_or_exit, with_runtime
from fikir.opinion.service import (
    OpinionError,
    TopicSpec,
    create_topic,
    moderate,
    set_topic_status,
    statements_of,
    topic_by_slug,
    topics,
)
from fikir.web.admin.audit import audit_cli

if TYPE_CHECKING:
    from fikir.runtime import Runtime

opinion_app = typer.Typer(
    help="Opinion map: seed a topic, send statements, moderate, see the groups.",
    no_args_is_help=True,
)
T = TypeVar("T")


def _run(work: Callable[[Runtime, AsyncSession], Awaitable[T]]) -> T:
    async def in_session(runtime: Runtime) -> T:
        async with runtime.sessions() as session, session.begin():
            return await work(runtime, session)

    try:
        return with_runtime(settings_or_exit(upgrade=True), in_session)
    except OpinionError as exc:
        typer.echo(f"fikir: {exc}", err=True)
        raise typer.Exit(2) from exc


@opinion_app.command("create")
def create(
    file: Annotated[
        Path,
        typer.Option("--file", exists=True, readable=True, help="docs/opinion-example.yaml"),
    ],
) -> None:
    """Create a topic with its seed statements (each in the languages you have)."""
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise OpinionError("the file must hold one topic (a YAML mapping)")
        spec = TopicSpec.from_dict(data)
    except (ValueError, yaml.YAMLError) as exc:
        typer.echo(f"fikir: {str(exc).splitlines()[0]}", err=True)
        raise typer.Exit(2) from exc

    async def work(runtime: Runtime, session: AsyncSession) -> str:
        topic = await create_topic(session, spec)
        audit_cli(session, "opinion.create", "opinion_topic", topic.id or 0)
        return topic.slug

    typer.echo(f"Created topic {_run(work)} with {len(spec.statements)} statements (draft).")


@opinion_app.command("list")
def list_topics() -> None:
    """Topics with their state and how many statements wait for a check."""

    async def work(runtime: Runtime, session: AsyncSession) -> list[str]:
        lines = []
        for topic in await topics(session):
            pending = await statements_of(session, topic.id, "pending")
            lines.append(f"{topic.slug}\t{topic.status}\t{len(pending)} waiting for a check")
        return lines

    for line in _run(work) or ["No topics yet."]:
        typer.echo(line)


@opinion_app.command("send")
def send(
    slug: str,
    yes: Annotated[bool, typer.Option("--yes", help="Send without asking.")] = False,
) -> None:
    """Show recipients, SMS parts and cost, then open the topic and send each reachable person
    a statement they have not voted on; only the plan shown is sent."""
    from fikir.dialog.opinion_outreach import send_round
    from fikir.opinion.round import plan_round

    async def preview(runtime: Runtime, session: AsyncSession) -> tuple[str, list[str]]:
        planned = await plan_round(session, slug, runtime.settings, datetime.now(UTC))
        audit_cli(session, "opinion.preview", "opinion_topic", slug)
        return planned.plan.fingerprint, planned.shown(runtime.settings).lines()

    shown, lines = _run(preview)
    for line in lines:
        typer.echo(line)
    if not yes:
        try:
            confirmed = typer.confirm("Send this round now?")
        except typer.Abort:  # no terminal to ask on: as good as "no"
            confirmed = False
        if not confirmed:
            typer.echo("Not confirmed: nothing was sent.")
            raise typer.Exit(1)

    async def work(runtime: Runtime, session: AsyncSession) -> int | None:
        _, sent = await send_round(
            session,
            slug,
            runtime.settings,
            datetime.now(UTC),
            confirmed=lambda fingerprint: fingerprint == shown,
        )
        if sent is None:
            audit_cli(session, "opinion.send", "opinion_topic", slug, "refused: plan changed")
        else:
            audit_cli(session, "opinion.send", "opinion_topic", slug, f"{sent} queued")
        return sent

    sent = _run(work)
    if sent is None:
        typer.echo("fikir: the plan changed since the preview: nothing was sent; run it again.")
        raise typer.Exit(1)
    typer.echo(f"Queued {sent} statements (sent by the running service).")


@opinion_app.command("close")
def close(slug: str) -> None:
    """Close the topic: votes and statements are no longer taken."""

    async def work(runtime: Runtime, session: AsyncSession) -> None:
        await set_topic_status(session, slug, "closed")
        audit_cli(session, "opinion.close", "opinion_topic", slug)

    _run(work)
    typer.echo(f"Closed {slug}.")


@opinion_app.command("queue")
def queue() -> None:
    """Participants' statements waiting for a check (already redacted)."""

    async def work(runtime: Runtime, session: AsyncSession) -> list[str]:
        waiting = await statements_of(session, status="pending")
        return [f"{s.id}\t{json.loads(s.texts)}" for s in waiting]

    for line in _run(work) or ["Nothing waits for a check."]:
        typer.echo(line)


def _moderate(statement_id: int, status: str) -> None:
    async def work(runtime: Runtime, session: AsyncSession) -> None:
        await moderate(session, statement_id, status)
        audit_cli(session, f"opinion.{status}", "opinion_statement", statement_id)

    _run(work)
    typer.echo(f"Statement {statement_id}: {status}.")


@opinion_app.command("approve")
def approve(statement_id: int) -> None:
    """Show a participant's statement to others."""
    _moderate(statement_id, "approved")


@opinion_app.command("reject")
def reject(statement_id: int) -> None:
    """Never show a participant's statement."""
    _moderate(statement_id, "rejected")


@opinion_app.command("map")
def show_map(slug: str, lang: str = "en") -> None:
    """The groups as the results page shows them (nothing under k)."""
    from fikir.opinion.render import map_text
    from fikir.opinion.report import topic_map

    async def work(runtime: Runtime, session: AsyncSession) -> str:
        topic = await topic_by_slug(session, slug)
        if topic is None:
            raise OpinionError(f"no topic called {slug}")
        found = await topic_map(session, topic, runtime.settings.k_anonymity)
        return map_text(topic, found, lang)

    typer.echo(_run(work))
