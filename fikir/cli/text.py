"""`fikir tag` and `fikir redact`: the JSON-lines contracts of DESIGN.md, and re-tagging."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from fikir.cli.common import settings_or_exit, with_runtime

if TYPE_CHECKING:
    from fikir.runtime import Runtime


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
    retrain: Annotated[
        bool,
        typer.Option(
            "--retrain",
            help="Build a new model from the corrections and the shipped data, show it against "
            "the model in use on the held-out set, and install it when confirmed.",
        ),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", help="With --retrain: install without asking.")
    ] = False,
    data: Annotated[
        Path | None, typer.Option(help="With --retrain: the labelled messages (JSON lines).")
    ] = None,
    model: Annotated[
        Path | None, typer.Option(help="With --retrain: the model file to replace.")
    ] = None,
) -> None:
    """Tag JSON lines {"id","text","lang"?} from stdin with SDGs (DESIGN.md contract)."""
    if retrain:
        from fikir.cli.retrain import retrain_command

        retrain_command(yes, data, model)
        return
    if not (retag_all or export_corrections):
        from fikir.tagging import run_jsonl

        run_jsonl(sys.stdin, sys.stdout, explain=explain)
        return
    settings = settings_or_exit(upgrade=True)
    from rich.progress import Progress

    from fikir.tagging.retag import count_taggable
    from fikir.tagging.retag import export_corrections as export
    from fikir.tagging.retag import retag_all as retag

    async def work(runtime: Runtime) -> int:
        if export_corrections:
            return await export(runtime.sessions, sys.stdout)
        total = await count_taggable(runtime.sessions)
        with Progress(transient=False) as bar:
            task = bar.add_task("re-tagging", total=total)
            return await retag(
                runtime.sessions, runtime.services.tag, lambda n: bar.advance(task, n)
            )

    count = with_runtime(settings, work)
    what = "exported" if export_corrections else "re-tagged"
    typer.echo(f"{count} messages {what}.", err=True)


def redact() -> None:
    """Redact personal data from JSON lines {"id","text"} on stdin."""
    from fikir.privacy.redact import run_jsonl

    run_jsonl(sys.stdin, sys.stdout)
