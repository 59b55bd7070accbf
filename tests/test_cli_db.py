"""`fikir db upgrade` says what it did: created a schema, upgraded one, or found it current."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from fikir.cli import app
from tests.conftest import TEST_SECRET


def test_db_upgrade_says_it_created_the_schema_then_that_it_is_current(tmp_path: Path) -> None:
    env = {
        "FIKIR_DATA_DIR": str(tmp_path / "var"),
        "FIKIR_SECRET_KEY": TEST_SECRET,
        "FIKIR_ENV": "test",
    }
    first = CliRunner().invoke(app, ["db", "upgrade"], env=env)
    assert first.exit_code == 0, first.output
    assert "Created the database schema" in first.output
    assert (tmp_path / "var" / "fikir.db").exists()
    again = CliRunner().invoke(app, ["db", "upgrade"], env=env)
    assert again.exit_code == 0, again.output
    assert "is up to date" in again.output and "Created" not in again.output


def test_db_upgrade_never_prints_the_database_password(postgres_url: str) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(postgres_url).set(password="s3cret-pw").render_as_string(hide_password=False)
    env = {"FIKIR_DATABASE_URL": url, "FIKIR_SECRET_KEY": TEST_SECRET, "FIKIR_ENV": "test"}
    result = CliRunner().invoke(app, ["db", "upgrade"], env=env)
    assert "s3cret-pw" not in result.output
