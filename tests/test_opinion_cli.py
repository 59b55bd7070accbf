"""`fikir opinion …`: a topic seeded from the example YAML, a round sent, a participant's
statement checked, the map printed (nothing under k), and bad input refused with a message."""

from __future__ import annotations

import asyncio
from pathlib import Path

from typer.testing import CliRunner

from fikir.cli import app
from fikir.runtime import build_runtime
from fikir.storage.opinion_tables import OpinionStatement
from tests.conftest import TEST_SECRET, make_settings

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "opinion-example.yaml"


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "FIKIR_DATA_DIR": str(tmp_path / "var"),
        "FIKIR_SECRET_KEY": TEST_SECRET,
        "FIKIR_ENV": "test",
    }


async def _add_pending(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'var' / 'fikir.db'}"
    runtime = build_runtime(make_settings(tmp_path, url))
    try:
        async with runtime.sessions() as session, session.begin():
            session.add(OpinionStatement(topic_id=1, texts='{"az": "Kitabxana lazımdır."}'))
    finally:
        await runtime.close()


def test_seed_send_check_and_map_from_the_command_line(tmp_path: Path) -> None:
    env, cli = _env(tmp_path), CliRunner()
    created = cli.invoke(app, ["opinion", "create", "--file", str(EXAMPLE)], env=env)
    assert created.exit_code == 0, created.output
    assert "Created topic youth-centre with 3 statements" in created.output
    again = cli.invoke(app, ["opinion", "create", "--file", str(EXAMPLE)], env=env)
    assert again.exit_code == 2 and "exists already" in again.output
    sent = cli.invoke(app, ["opinion", "send", "youth-centre", "--yes"], env=env)
    assert sent.exit_code == 0 and "Queued 0 statements" in sent.output  # nobody subscribed
    assert "Nobody is subscribed in this audience yet." in sent.output  # the preview first
    asyncio.run(_add_pending(tmp_path))
    waiting = cli.invoke(app, ["opinion", "queue"], env=env)
    assert "Kitabxana lazımdır." in waiting.output
    approved = cli.invoke(app, ["opinion", "approve", "4"], env=env)
    assert approved.exit_code == 0 and "Statement 4: approved." in approved.output
    listed = cli.invoke(app, ["opinion", "list"], env=env)
    assert "youth-centre\topen\t0 waiting for a check" in listed.output
    shown = cli.invoke(app, ["opinion", "map", "youth-centre", "--lang", "ru"], env=env)
    assert "Карта мнений: Молодёжный центр" in shown.output
    assert "Пока проголосовало слишком мало людей" in shown.output  # nobody voted: no group
    closed = cli.invoke(app, ["opinion", "close", "youth-centre"], env=env)
    assert closed.exit_code == 0


def test_bad_files_and_unknown_rows_are_refused_with_a_message(tmp_path: Path) -> None:
    env, cli = _env(tmp_path), CliRunner()
    for text in ("- a\n- b\n", "slug: x\nstatements: 5\n", "9" * 5000, "slug: [x"):
        bad = tmp_path / "bad.yaml"
        bad.write_text(text, encoding="utf-8")
        result = cli.invoke(app, ["opinion", "create", "--file", str(bad)], env=env)
        assert result.exit_code == 2 and "fikir:" in result.output, (text[:20], result.output)
    missing = cli.invoke(app, ["opinion", "approve", "99"], env=env)
    assert missing.exit_code == 2 and "no statement 99" in missing.output
    nothing = cli.invoke(app, ["opinion", "send", "nope"], env=env)
    assert nothing.exit_code == 2 and "no topic called nope" in nothing.output
