"""What every command shares: settings that fail with a plain message, the schema brought up to
date, and a runtime built for one piece of work and always closed."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import typer

from fikir.config.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from fikir.runtime import Runtime

T = TypeVar("T")


def settings_or_exit(
    *, upgrade: bool = False, overrides: dict[str, object] | None = None
) -> Settings:
    """The settings, with the log filter installed; a bad setting ends the command with exit 2."""
    from fikir.privacy import logfilter

    try:
        settings = load_settings(**(overrides or {}))
    except SettingsError as exc:
        typer.echo(f"fikir: {exc}", err=True)
        raise typer.Exit(2) from exc
    logfilter.install(settings.log_level)
    if upgrade:
        upgrade_schema(settings)
    return settings


def upgrade_schema(settings: Settings) -> tuple[str | None, str | None]:
    """Migrate the configured database; the revisions before and after."""
    from fikir.storage.migrate import upgrade

    return upgrade(settings.effective_database_url)


def with_runtime(settings: Settings, work: Callable[[Runtime], Awaitable[T]]) -> T:
    """Run `work(runtime)` on a runtime built for it and closed after, whatever happens."""
    from fikir.runtime import build_runtime

    async def main() -> T:
        runtime = build_runtime(settings)
        try:
            return await work(runtime)
        finally:
            await runtime.close()

    return asyncio.run(main())


def staff_instructions(settings: Settings, code: str) -> str:
    """How a new staff member uses their one-time code (printed, never logged)."""
    base = settings.public_url or f"http://{settings.host}:{settings.port}"
    return (
        f"One-time code: {code} (valid 7 days, usable once)\n"
        f"  Set a password: {base}/admin/setup?code={code}\n"
        f"  Or link a Telegram chat for digests: send  /staff {code}  to the bot."
    )
