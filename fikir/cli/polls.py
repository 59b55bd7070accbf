"""`fikir poll …`: create from YAML, list, open (with SMS cost shown first), close, results."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
import yaml
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.cli.common import settings_or_exit, with_runtime
from fikir.config.settings import Settings
from fikir.polls.manage import PollError, PollSpec, create_poll
from fikir.polls.model import Audience, PollView
from fikir.storage.models import Poll
from fikir.surveys.spec import SurveySpec, create_survey, is_survey_definition
from fikir.web.admin.audit import audit_cli

if TYPE_CHECKING:
    from fikir.runtime import Runtime

poll_app = typer.Typer(help="Polls: create, open, close, results.", no_args_is_help=True)
T = TypeVar("T")


def _with_session(
    settings: Settings, work: Callable[[AsyncSession], Awaitable[T]], *, write: bool = True
) -> T:
    async def in_session(runtime: Runtime) -> T:
        async with runtime.sessions() as session:
            if write:
                async with session.begin():
                    return await work(session)
            return await work(session)

    try:
        return with_runtime(settings, in_session)
    except PollError as exc:
        typer.echo(f"fikir: {exc}", err=True)
        raise typer.Exit(2) from exc


async def _view_by_slug(session: AsyncSession, slug: str) -> PollView:
    from fikir.polls.service import load_view

    poll = (await session.exec(select(Poll).where(Poll.slug == slug))).first()
    view = await load_view(session, poll.id or 0) if poll is not None else None
    if view is None:
        raise PollError(f"no poll has the slug {slug!r}")
    return view


def _settings() -> Settings:
    return settings_or_exit(upgrade=True)


@poll_app.command("create")
def create(
    file: Annotated[
        Path,
        typer.Option(
            "--file",
            exists=True,
            readable=True,
            help="A poll in YAML (see docs/poll-example.yaml).",
        ),
    ],
    yes: Annotated[
        bool, typer.Option("--yes", help="Confirm a scheduled opening's plan without asking.")
    ] = False,
) -> None:
    """Create a poll in the languages staff have (at least one; readers of the others get the
    first language along their fallback chain, or a translation uploaded later)."""
    settings = _settings()
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        typer.echo("fikir: the file must hold one poll (a YAML mapping)", err=True)
        raise typer.Exit(2)
    if is_survey_definition(data):  # `questions:` instead of `question:` with `options:`
        try:
            survey = SurveySpec.from_dict(data)
        except PollError as exc:
            typer.echo(f"fikir: {exc}", err=True)
            raise typer.Exit(2) from exc
        poll = _with_session(settings, lambda s: create_survey(s, survey))
        typer.echo(
            f"Created survey {poll.slug} ({poll.status}, {len(survey.questions)} questions)."
        )
        return
    spec = PollSpec.from_dict(data)
    poll = _with_session(settings, lambda s: create_poll(s, spec))
    typer.echo(f"Created poll {poll.slug} ({poll.status}).")
    if poll.status == "scheduled":
        _confirm_schedule(settings, poll.slug, yes)


def _preview(settings: Settings, slug: str) -> list[str]:
    """The plan as staff may see it: the dashboard's k rule (fikir.polls.plan_view)."""
    from fikir.polls.broadcast import plan_broadcast
    from fikir.polls.plan_view import shown_plan

    async def preview(session: AsyncSession) -> list[str]:
        view = await _view_by_slug(session, slug)
        plan = await plan_broadcast(session, view, settings)
        if plan.too_long:
            raise PollError(
                "the SMS version needs more than 2 segments; shorten it:\n  "
                + "\n  ".join(plan.too_long)
            )
        return shown_plan(plan, view, settings).lines()

    return _with_session(settings, preview, write=False)


def _confirm_schedule(settings: Settings, slug: str, yes: bool) -> None:
    """A scheduled opening sends what is confirmed now; unconfirmed, it is held when due."""
    from fikir.polls.broadcast import plan_broadcast
    from fikir.polls.plan_check import confirm_plan

    for line in _preview(settings, slug):
        typer.echo(line)
    if not yes:
        try:
            confirmed = typer.confirm("Confirm this plan for the scheduled opening?")
        except typer.Abort:  # no terminal to ask on: as good as "no"
            confirmed = False
        if not confirmed:
            typer.echo(
                "Not confirmed: when it is due the poll is held, not sent. Confirm its schedule "
                f"on the dashboard, or open it with `fikir poll open {slug}`."
            )
            return

    async def confirm(session: AsyncSession) -> None:
        view = await _view_by_slug(session, slug)
        plan = await plan_broadcast(session, view, settings)
        await confirm_plan(session, view.poll, plan, None, datetime.now(UTC))
        audit_cli(session, "schedule", "poll", slug, "plan confirmed")

    _with_session(settings, confirm)
    typer.echo(f"Plan confirmed for {slug}'s scheduled opening.")


@poll_app.command("list")
def list_polls() -> None:
    """Every poll with its status and schedule."""
    settings = _settings()

    async def work(session: AsyncSession) -> list[Poll]:
        return list((await session.exec(select(Poll).order_by(col(Poll.id)))).all())

    for poll in _with_session(settings, work, write=False):
        opens = poll.opens_at.isoformat(timespec="minutes") if poll.opens_at else "-"
        closes = poll.closes_at.isoformat(timespec="minutes") if poll.closes_at else "-"
        audience = Audience.from_json(poll.audience).summary()
        typer.echo(f"{poll.slug}\t{poll.status}\topens {opens}\tcloses {closes}\t{audience}")


@poll_app.command("open")
def open_(
    slug: str,
    yes: Annotated[bool, typer.Option("--yes", help="Send without asking.")] = False,
) -> None:
    """Show recipients, SMS segments and cost, then open the poll and queue it."""
    from fikir.dialog.outreach import open_poll

    settings = _settings()

    for line in _preview(settings, slug):
        typer.echo(line)
    if not yes and not typer.confirm("Open the poll and send it now?"):
        raise typer.Exit(1)

    async def open_audited(session: AsyncSession) -> int:
        _, queued = await open_poll(session, slug, settings, datetime.now(UTC))
        audit_cli(session, "open", "poll", slug, f"{queued} messages queued")
        return queued

    queued = _with_session(settings, open_audited)
    typer.echo(f"Opened {slug}: {queued} messages queued (sent by the running service).")


@poll_app.command("close")
def close(slug: str) -> None:
    """Close the poll now; results go back to everyone who answered if it shares them."""
    from fikir.polls.lifecycle import close_poll

    settings = _settings()

    async def close_audited(session: AsyncSession) -> int:
        _, shared = await close_poll(session, slug, settings, datetime.now(UTC))
        audit_cli(session, "close", "poll", slug, f"results queued for {shared}")
        return shared

    shared = _with_session(settings, close_audited)
    typer.echo(f"Closed {slug}: results queued for {shared} participants.")


@poll_app.command("results")
def results_cmd(
    slug: str,
    lang: Annotated[str, typer.Option(help="Language of the labels.")] = "en",
    by: Annotated[
        str | None,
        typer.Option(help="Break down by channel, language, region, age_band or gender."),
    ] = None,
) -> None:
    """Counts and shares per option, small groups merged so nobody is singled out."""
    from fikir.polls.service import breakdown, results
    from fikir.surveys.report import result_lines
    from fikir.surveys.results import survey_results
    from fikir.surveys.service import load_survey

    settings = _settings()

    async def work(session: AsyncSession) -> list[str]:
        view = await _view_by_slug(session, slug)
        survey = await load_survey(session, view.id)
        if survey is not None:
            found = await survey_results(session, survey, settings.k_anonymity)
            return result_lines(survey, found, lang)
        labels = view.labels_in(lang)
        k = settings.k_anonymity
        result = await results(session, view, k)
        lines = [view.question_in(lang)]
        if result.counts.suppressed:
            return [*lines, f"fewer than {k} answers: nothing can be shown"]
        total = result.counts.total or 0
        for position, n in sorted(result.counts.shown.items()):
            lines.append(f"  {position + 1}. {labels[position]}: {n} ({100 * n / total:.0f}%)")
        if result.counts.other:
            lines.append(f"  other options together: {result.counts.other}")
        lines.append(f"  total: {total}")
        if by:
            table = await breakdown(session, view, by, k)
            names = [labels[c] if isinstance(c, int) else "other" for c in table.columns]
            lines.append(f"by {by}: " + " | ".join(names))
            for row, cells in sorted(table.rows.items()):
                lines.append(f"  {row}: " + " | ".join(str(cells[c]) for c in table.columns))
            if table.other:
                lines.append(
                    "  other groups: " + " | ".join(str(table.other[c]) for c in table.columns)
                )
        return lines

    for line in _with_session(settings, work, write=False):
        typer.echo(line)
