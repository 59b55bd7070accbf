"""`fikir staff …`: accounts added and listed, one-time codes issued, from the operator's shell."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from fikir.cli.common import settings_or_exit, staff_instructions, with_runtime
from fikir.web.admin.audit import audit_cli

if TYPE_CHECKING:
    from fikir.runtime import Runtime
    from fikir.storage.models import StaffUser

staff_app = typer.Typer(help="Staff accounts.", no_args_is_help=True)


@staff_app.command("add")
def staff_add(
    name: Annotated[str, typer.Argument(help="The staff member's name or e-mail.")],
    role: Annotated[str, typer.Option(help="admin, analyst or viewer.")] = "viewer",
    lang: Annotated[str, typer.Option(help="Language of their digest: en, az or ru.")] = "en",
) -> None:
    """Add a staff member and print their one-time code."""
    settings = settings_or_exit(upgrade=True)
    from fikir.staff.accounts import StaffError, add_staff

    async def work(runtime: Runtime) -> str:
        async with runtime.sessions() as session, session.begin():
            user, code = await add_staff(session, name, role, lang, datetime.now(UTC))
            await session.flush()
            audit_cli(session, "add_staff", "staff_user", user.id or "", f"role {role}")
            return code

    try:
        code = with_runtime(settings, work)
    except StaffError as exc:
        typer.echo(f"fikir: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"Added {name} ({role}).")
    typer.echo(staff_instructions(settings, code))


@staff_app.command("code")
def staff_code(name: Annotated[str, typer.Argument(help="An existing staff member.")]) -> None:
    """Issue a fresh one-time code (the old one stops working)."""
    settings = settings_or_exit()
    from sqlmodel import select

    from fikir.staff.accounts import issue_code
    from fikir.storage.models import StaffUser

    async def work(runtime: Runtime) -> str | None:
        async with runtime.sessions() as session, session.begin():
            user = (await session.exec(select(StaffUser).where(StaffUser.name == name))).first()
            if user is None:
                return None
            code = issue_code(user, datetime.now(UTC))
            session.add(user)
            audit_cli(session, "staff_code", "staff_user", user.id or "")
            return code

    code = with_runtime(settings, work)
    if code is None:
        typer.echo(f"fikir: no staff member is called {name!r}", err=True)
        raise typer.Exit(1)
    typer.echo(staff_instructions(settings, code))


@staff_app.command("list")
def staff_list() -> None:
    """List staff members, their roles and whether a Telegram chat is linked."""
    settings = settings_or_exit()
    from sqlmodel import select

    from fikir.storage.models import StaffUser

    async def work(runtime: Runtime) -> list[StaffUser]:
        async with runtime.sessions() as session:
            return list((await session.exec(select(StaffUser))).all())

    for user in with_runtime(settings, work):
        linked = "telegram linked" if user.telegram_pseudonym else "no telegram"
        state = "active" if user.active else "disabled"
        typer.echo(f"{user.name}\t{user.role}\t{user.language}\t{linked}\t{state}")
