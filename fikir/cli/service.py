"""`fikir run`, `fikir chat` and `fikir demo`: the service, and fikir without any network."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from fikir.cli.common import settings_or_exit, with_runtime
from fikir.config.channels import CONSOLE, SIMULATOR_SMS

if TYPE_CHECKING:
    from fikir.runtime import Runtime


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
    settings = settings_or_exit(overrides=overrides)
    from fikir.web.server import serve

    serve(settings)


def chat(
    language: Annotated[str | None, typer.Option("--lang", help="Language hint, e.g. az.")] = None,
    user: Annotated[str | None, typer.Option(help="Keep talking as the same person.")] = None,
    sms: Annotated[bool, typer.Option(help="Behave like the SMS channel.")] = False,
) -> None:
    """Talk to fikir in this terminal, exactly as a Telegram or SMS user would."""
    settings = settings_or_exit(upgrade=True)
    from fikir.cli.console import chat as console_chat

    async def work(runtime: Runtime) -> None:
        channel = SIMULATOR_SMS.name if sms else CONSOLE.name
        await console_chat(runtime, user=user, language=language, channel=channel)

    with_runtime(settings, work)


def demo(
    out: Annotated[Path, typer.Option(help="Where to write what happened.")] = Path("demo-out"),
) -> None:
    """Walk simulated respondents through the whole pipeline, offline, and show the result."""
    settings = settings_or_exit()
    from fikir.cli.demo import run_demo

    asyncio.run(run_demo(settings, out))
