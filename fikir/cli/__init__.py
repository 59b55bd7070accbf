"""The `fikir` command, assembled from one module per command group (listed here, explicitly)."""

from __future__ import annotations

import typer

from fikir.cli import data, service, text
from fikir.cli.db import db_app
from fikir.cli.digest import digest_app
from fikir.cli.i18n import i18n_app
from fikir.cli.opinion import opinion_app
from fikir.cli.polls import poll_app
from fikir.cli.sms import sms_app
from fikir.cli.staff import staff_app
from fikir.config.channels import SMS

app = typer.Typer(
    help="fikir: anonymous feedback and polls, tagged with the SDGs.",
    no_args_is_help=True,
    add_completion=False,
)
for command in (
    service.run,
    service.demo,
    service.chat,
    text.tag,
    text.redact,
    data.export,
    data.forget,
):
    app.command()(command)
for group, name in (
    (db_app, "db"),
    (i18n_app, "i18n"),
    (staff_app, "staff"),
    (poll_app, "poll"),
    (opinion_app, "opinion"),
    (digest_app, "digest"),
    (sms_app, SMS.name),
):
    app.add_typer(group, name=name)


def main() -> None:  # pragma: no cover - console entry point
    app()
