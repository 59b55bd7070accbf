"""`fikir i18n …`: the translation catalogues checked, compiled and brought in line with the code."""

from __future__ import annotations

import typer

i18n_app = typer.Typer(help="Translation catalogues.", no_args_is_help=True)


@i18n_app.command("check")
def i18n_check() -> None:
    """Fail when a catalogue lacks a message, keeps a stale one or breaks a placeholder, or a
    language lacks keywords, number words, detection cues, a tagging lexicon or registry fields."""
    from fikir.i18n.check import check_catalogues
    from fikir.i18n.coverage import language_problems

    problems = check_catalogues() + language_problems()
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s) in the catalogues.", err=True)
        raise typer.Exit(1)
    typer.echo("All catalogues are complete.")
    typer.echo("Every language has keywords, number words, detection cues and a tagging lexicon.")


@i18n_app.command("compile")
def i18n_compile() -> None:
    """Compile every .po catalogue into its .mo."""
    from fikir.i18n.catalog import compile_catalogues

    for path in compile_catalogues():
        typer.echo(f"compiled {path}")


@i18n_app.command("extract")
def i18n_extract() -> None:
    """Bring every catalogue in line with the code: add new messages, drop stale ones."""
    from fikir.i18n.check import update_catalogues

    for line in update_catalogues():
        typer.echo(line)
