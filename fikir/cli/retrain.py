"""`fikir tag --retrain`: a new tagging model from corrections, shown before and after on the
held-out set, installed only when staff confirm (the previous model is kept)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from fikir.cli.common import settings_or_exit, with_runtime

if TYPE_CHECKING:
    from fikir.runtime import Runtime
    from fikir.tagging.evaluate import Scores


def _line(name: str, before: Scores, after: Scores) -> str:
    return (
        f"  {name:<10} micro-F1 {before.micro_f1:.3f} -> {after.micro_f1:.3f}   "
        f"top-1 {before.top1:.3f} -> {after.top1:.3f}   "
        f"off-topic right {before.offtopic_accuracy:.3f} -> {after.offtopic_accuracy:.3f}"
    )


def retrain_command(yes: bool, data: Path | None, model: Path | None) -> None:
    """Export the corrections, fit, report, and install on confirmation."""
    from fikir.storage.models import AuditEvent
    from fikir.tagging.model import MODEL_PATH
    from fikir.tagging.retag import export_corrections
    from fikir.tagging.retrain import corrections_from_jsonl, install, retrain
    from fikir.tagging.train import DEFAULT_DATA

    settings = settings_or_exit(upgrade=True)
    buffer = io.StringIO()

    async def export(runtime: Runtime) -> int:
        return await export_corrections(runtime.sessions, buffer)

    with_runtime(settings, export)
    corrections = corrections_from_jsonl(buffer.getvalue().splitlines())
    target = model or MODEL_PATH
    found = retrain(corrections, data or DEFAULT_DATA, target)
    typer.echo(
        f"Trained on {found.shipped} shipped messages and {found.corrections} corrections "
        f"({found.left_out} corrections of held-out messages left out)."
    )
    if not target.exists():
        typer.echo(f"No model at {target}: 'before' is the lexicon alone.")
    typer.echo(f"Held-out set ({found.before.messages} messages), model in use -> new model:")
    typer.echo(_line("all", found.before, found.after))
    if not (yes or typer.confirm("Replace the tagging model with the new one?", default=False)):
        typer.echo("The tagging model is unchanged.")
        return
    kept = install(found, target)
    typer.echo(
        f"New model written to {target}"
        + (f"; the previous one is kept as {kept}." if kept else ".")
    )

    async def audit(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            session.add(
                AuditEvent(
                    action="retrain",
                    object_type="tagging_model",
                    detail=(
                        f"model retrained on {found.corrections} corrections; held-out micro-F1 "
                        f"{found.before.micro_f1:.3f} -> {found.after.micro_f1:.3f}"
                    ),
                )
            )

    with_runtime(settings, audit)
    typer.echo("Restart fikir (or re-tag with --retag-all) for the new model to take effect.")
