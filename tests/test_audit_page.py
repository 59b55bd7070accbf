"""Admins read the audit trail, filtered and paged; the command line (poll open and close,
forget, staff add and code, export) and refused attempts (403s, bad CSRF tokens, throttled
sign-ins) are in it, without addresses, names typed or codes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select
from typer.testing import CliRunner

from fikir.cli import app
from fikir.config.settings import Settings
from fikir.storage.models import AuditEvent
from tests.conftest import TEST_SECRET, make_settings
from tests.test_web_helpers import client_for, csrf_of, query, run, seed, sign_in, visitor

POLL = Path(__file__).parent.parent / "docs" / "poll-example.yaml"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, TestClient]]:
    from fikir.storage.migrate import upgrade

    tmp: Path = tmp_path_factory.mktemp("auditpage")
    url = f"sqlite:///{tmp / 'fikir.db'}"
    upgrade(url)
    settings = make_settings(tmp, url)
    seed(settings, {"ada": "admin", "ana": "analyst"}, [])
    with client_for(settings) as client:
        yield settings, client


def _cli(settings: Settings, *args: str) -> str:
    env = {
        "FIKIR_DATABASE_URL": settings.database_url,
        "FIKIR_SECRET_KEY": TEST_SECRET,
        "FIKIR_DATA_DIR": str(settings.data_dir),
        "FIKIR_ENV": "test",
    }
    result = CliRunner().invoke(app, list(args), env=env)
    return f"{result.exit_code}:{result.output}"


def _events(settings: Settings) -> list[AuditEvent]:
    return list(query(settings, select(AuditEvent).order_by(col(AuditEvent.id))))


def test_command_line_actions_are_audited(
    site: tuple[Settings, TestClient], tmp_path: Path
) -> None:
    settings, _ = site
    slug = next(
        line.split(":", 1)[1].strip()
        for line in POLL.read_text(encoding="utf-8").splitlines()
        if line.startswith("slug:")
    )
    assert _cli(settings, "staff", "add", "mia@unicef.example", "--role", "viewer").startswith("0")
    assert _cli(settings, "staff", "code", "mia@unicef.example").startswith("0")
    assert _cli(settings, "poll", "create", "--file", str(POLL)).startswith("0")
    assert _cli(settings, "poll", "open", slug, "--yes").startswith("0")
    assert _cli(settings, "poll", "close", slug).startswith("0")
    assert _cli(settings, "export", "feedback", "--out", str(tmp_path / "x.csv")).startswith("0")
    assert _cli(settings, "forget", "--code", "ZZ9-SECRET").startswith("1")
    cli = [e for e in _events(settings) if e.detail.startswith("command line")]
    assert [(e.action, e.object_type) for e in cli] == [
        ("add_staff", "staff_user"),
        ("staff_code", "staff_user"),
        ("open", "poll"),
        ("close", "poll"),
        ("export", "feedback"),
        ("forget", "respondent"),
    ]
    assert all(e.staff_user_id is None for e in cli)
    text = " ".join(f"{e.object_id} {e.detail}" for e in cli)
    assert "ZZ9" not in text and "@" not in text


def test_refused_attempts_are_audited(site: tuple[Settings, TestClient]) -> None:
    settings, client = site
    before = len(_events(settings))
    analyst = visitor(client)
    token = sign_in(analyst, "ana")
    assert analyst.get("/admin/users?q=secret+words").status_code == 403
    assert analyst.get("/admin/audit").status_code == 403
    bad = analyst.post("/admin/logout", data={"csrf_token": token + "x"}, follow_redirects=False)
    assert bad.status_code == 403
    stranger = visitor(client)
    login = csrf_of(stranger.get("/admin/login").text)
    statuses = [
        stranger.post(
            "/admin/login",
            data={"name": "nobody-here", "password": "guess", "csrf_token": login},
        ).status_code
        for _ in range(5)
    ]
    assert 429 in statuses
    new = _events(settings)[before:]
    refused = [(e.action, e.object_type, e.detail) for e in new if e.action == "refused"]
    assert ("refused", "role", "/admin/users") in refused
    assert ("refused", "role", "/admin/audit") in refused
    assert ("refused", "csrf", "/admin/logout") in refused
    throttled = [e for e in new if e.action == "login_throttled"]
    assert throttled and all(e.staff_user_id is None for e in throttled)
    everything = " ".join(f"{e.object_id} {e.detail}" for e in new)
    assert "nobody-here" not in everything and "secret" not in everything


def test_the_audit_page_filters_and_pages(site: tuple[Settings, TestClient]) -> None:
    settings, client = site

    async def many() -> None:
        from fikir.runtime import build_runtime

        runtime = build_runtime(settings)
        try:
            async with runtime.sessions() as session, session.begin():
                old = datetime.now(UTC) - timedelta(days=40)
                for number in range(60):
                    session.add(AuditEvent(at=old, action="bulk_test", object_id=str(number)))
        finally:
            await runtime.close()

    run(many())
    admin = visitor(client)
    sign_in(admin, "ada")
    page = admin.get("/admin/audit").text
    assert '<a href="/admin/audit"' in page  # in the admin's navigation
    assert "Audit trail" in page and 'id="audit-events"' in page
    cli = admin.get("/admin/audit?who=cli").text
    assert "<td>Command line</td>" in cli and "<td>add_staff</td>" in cli
    assert "<td>bulk_test</td>" not in cli
    bulk = admin.get("/admin/audit?action=bulk_test").text
    assert bulk.count("<td>bulk_test</td>") == 50 and 'rel="next"' in bulk
    second = admin.get("/admin/audit?action=bulk_test&page=2").text
    assert second.count("<td>bulk_test</td>") == 10 and 'rel="prev"' in second
    recent = (datetime.now(UTC) - timedelta(days=2)).date().isoformat()
    dated = admin.get(f"/admin/audit?since={recent}&action=bulk_test").text
    assert "<td>bulk_test</td>" not in dated and "Nothing in the audit trail matches." in dated
    ana_id = query(settings, select(AuditEvent.staff_user_id).where(AuditEvent.action == "login"))
    mine = admin.get(f"/admin/audit?who={ana_id[0]}").text
    assert "<td>login</td>" in mine and "<td>bulk_test</td>" not in mine
