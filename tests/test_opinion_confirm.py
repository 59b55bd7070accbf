"""A round of the opinion map costs money by SMS: the dashboard and the command line show who
gets what at what cost first (small counts suppressed as for polls) and send only the plan a
staff member confirmed; a changed audience or text needs a new preview."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlmodel import select
from typer.testing import CliRunner

from fikir.cli import app
from fikir.config.settings import Settings
from fikir.storage.models import AuditEvent, OutboxMessage
from fikir.storage.opinion_tables import OpinionTopic
from tests.conftest import TEST_SECRET, make_settings
from tests.test_opinion_dialog import TOPIC
from tests.test_poll_open_confirm import onboard
from tests.test_web_helpers import client_for, plan_token_of, query, seed, sign_in, visitor


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Settings, TestClient, str]]:
    from fikir.storage.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'fikir.db'}"
    upgrade(url)
    settings = make_settings(tmp_path, url, sms_segment_cost=0.1)
    seed(settings, {"ana": "analyst"}, [])
    onboard(settings, "sms", [f"+99450555{i:04d}" for i in range(6)], "az")
    onboard(settings, "telegram", [f"tg-{i}" for i in range(5)], "ru")
    with client_for(settings) as client:
        browser = visitor(client)
        token = sign_in(browser, "ana")
        created = browser.post(
            "/admin/opinion",
            data={"csrf_token": token, "text": yaml.safe_dump(TOPIC, allow_unicode=True)},
            follow_redirects=False,
        )
        assert created.status_code == 303
        yield settings, browser, token


def _queued(settings: Settings) -> int:
    return len(query(settings, select(OutboxMessage).where(OutboxMessage.kind == "opinion")))


def _status(settings: Settings) -> str:
    return str(query(settings, select(OpinionTopic.status))[0])


def test_sending_a_round_shows_the_plan_and_needs_its_confirmation(
    site: tuple[Settings, TestClient, str],
) -> None:
    settings, browser, token = site
    preview = browser.post("/admin/opinion/youth-centre/send", data={"csrf_token": token})
    assert preview.status_code == 200
    assert _status(settings) == "draft" and _queued(settings) == 0  # nothing sent yet
    page = preview.text
    assert "Check before sending" in page and 'id="nothing-sent"' in page
    table = page[page.index('id="recipients"') : page.index("</table>")]
    assert re.search(r"Azərbaycanca</th><td>6</td><td>0</td>", table), table
    assert re.search(r"Русский</th><td>0</td><td>5</td>", table), table
    # SMS parts for every language, and the cost of the six SMS (one part each here).
    assert len(re.findall(r'<li data-lang="\w+"', page)) == 8
    assert "SMS: 6 segments, about $0.60" in page
    # Each channel's look: the statement with Telegram's buttons, the SMS numbered line.
    assert "Merkez axsamlar aciq olmalidir." in page  # by SMS in plain letters
    assert "1 Raziyam  2 Razi deyilem  3 Bilmirem" in page
    assert "<li>Согласен</li>" in page

    first = plan_token_of(page)
    altered = first[:-1] + ("1" if first.endswith("0") else "0")
    for bad in ("", "123.abc", altered, "9" * 40):
        again = browser.post(
            "/admin/opinion/youth-centre/send", data={"csrf_token": token, "plan_token": bad}
        )
        assert again.status_code == 200 and "Check before sending" in again.text
        assert _status(settings) == "draft" and _queued(settings) == 0

    # The audience changes after the preview: the old confirmation no longer sends it.
    onboard(settings, "sms", ["+994505559999"], "az")
    stale = browser.post(
        "/admin/opinion/youth-centre/send", data={"csrf_token": token, "plan_token": first}
    )
    assert "changed since the preview" in stale.text
    assert _status(settings) == "draft" and _queued(settings) == 0
    assert "Azərbaycanca</th><td>7</td>" in stale.text

    done = browser.post(
        "/admin/opinion/youth-centre/send",
        data={"csrf_token": token, "plan_token": plan_token_of(stale.text)},
    )
    assert "Statements sent: youth-centre: 12" in done.text
    assert _status(settings) == "open" and _queued(settings) == 12
    actions = [(e.action, e.detail) for e in query(settings, select(AuditEvent))]
    assert ("opinion_preview", "preview") in actions
    assert ("opinion_preview", "stale preview") in actions
    assert ("opinion_send", "12 queued") in actions


def test_a_small_round_is_not_counted_to_staff(tmp_path: Path) -> None:
    from fikir.storage.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'fikir.db'}"
    upgrade(url)
    settings = make_settings(tmp_path, url, sms_segment_cost=0.1)
    seed(settings, {"ana": "analyst"}, [])
    onboard(settings, "sms", ["+994505550001", "+994505550002"], "az")
    onboard(settings, "telegram", ["tg-1"], "ru")
    with client_for(settings) as client:
        browser = visitor(client)
        token = sign_in(browser, "ana")
        browser.post(
            "/admin/opinion",
            data={"csrf_token": token, "text": yaml.safe_dump(TOPIC, allow_unicode=True)},
        )
        page = browser.post("/admin/opinion/youth-centre/send", data={"csrf_token": token}).text
    k = settings.k_anonymity
    assert f"Fewer than {k} people would receive it" in page
    assert 'id="recipients"' not in page
    # Two SMS: only an upper bound nobody's presence moves, never "2 segments".
    assert f"SMS: fewer than {k} recipients, under $" in page and 'id="sms-total"' not in page
    assert not re.search(r"<td>[1-4]</td>", page)
    assert _queued(settings) == 0
    with client_for(settings) as client:
        browser = visitor(client)
        token = sign_in(browser, "ana")
        preview = browser.post("/admin/opinion/youth-centre/send", data={"csrf_token": token})
        sent = browser.post(
            "/admin/opinion/youth-centre/send",
            data={"csrf_token": token, "plan_token": plan_token_of(preview.text)},
        )
    assert _queued(settings) == 3
    assert f"Statements sent: youth-centre: &lt; {k}" in sent.text  # not "3"


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "FIKIR_DATA_DIR": str(tmp_path / "var"),
        "FIKIR_SECRET_KEY": TEST_SECRET,
        "FIKIR_ENV": "test",
        "FIKIR_SMS_SEGMENT_COST": "0.1",
    }


def test_the_command_line_shows_the_plan_and_asks_first(tmp_path: Path) -> None:
    env, cli = _env(tmp_path), CliRunner()
    url = f"sqlite:///{tmp_path / 'var' / 'fikir.db'}"
    topic = tmp_path / "topic.yaml"
    topic.write_text(yaml.safe_dump(TOPIC, allow_unicode=True), encoding="utf-8")
    created = cli.invoke(app, ["opinion", "create", "--file", str(topic)], env=env)
    assert created.exit_code == 0, created.output
    settings = make_settings(tmp_path, url, sms_segment_cost=0.1)
    onboard(settings, "sms", [f"+99450555{i:04d}" for i in range(6)], "az")
    refused = cli.invoke(app, ["opinion", "send", "youth-centre"], env=env, input="n\n")
    assert refused.exit_code == 1 and "nothing was sent" in refused.output
    assert "Recipients by language and channel: sms" in refused.output
    assert "  az: 6" in refused.output
    assert "SMS total: 6 segments, about $0.60" in refused.output
    assert _queued(settings) == 0 and _status(settings) == "draft"
    no_terminal = cli.invoke(app, ["opinion", "send", "youth-centre"], env=env)
    assert no_terminal.exit_code == 1 and _queued(settings) == 0
    sent = cli.invoke(app, ["opinion", "send", "youth-centre"], env=env, input="y\n")
    assert sent.exit_code == 0 and "Queued 6 statements" in sent.output, sent.output
    assert _queued(settings) == 6 and _status(settings) == "open"
    events = [(e.action, e.detail) for e in query(settings, select(AuditEvent))]
    assert ("opinion.send", "command line; 6 queued") in events
    assert sum(action == "opinion.preview" for action, _ in events) == 3
