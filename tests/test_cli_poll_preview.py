"""`fikir poll open` previews its plan under the dashboard's k rule (one function for both,
fikir.polls.plan_view): no group of fewer than k people is counted, and the SMS cost of fewer
than k people is only an upper bound."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from fikir.cli import app
from fikir.config.settings import Settings
from tests.conftest import TEST_SECRET, make_settings
from tests.test_poll_open_confirm import onboard
from tests.test_web_pages import _poll_form

K = 5


def _cli(settings: Settings, *args: str) -> tuple[int, str]:
    env = {
        "FIKIR_DATABASE_URL": settings.database_url,
        "FIKIR_SECRET_KEY": TEST_SECRET,
        "FIKIR_DATA_DIR": str(settings.data_dir),
        "FIKIR_ENV": "test",
        "FIKIR_SMS_SEGMENT_COST": "0.1",
    }
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def _poll_file(tmp_path: Path, slug: str) -> Path:
    form = _poll_form("", slug)
    data = {
        "slug": slug,
        "question": {k[2:]: v for k, v in form.items() if k.startswith("q_")},
        "options": [
            {k[3:]: v for k, v in form.items() if k.startswith(f"o{i}_")} for i in range(3)
        ],
    }
    path = tmp_path / f"{slug}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _figures(output: str) -> list[int]:
    """Every count of people in the recipients table the preview printed."""
    rows = [
        line for line in output.splitlines() if re.match(r"  (\w+|other \(.*\)): [\d |]+$", line)
    ]
    return [int(n) for line in rows for n in re.findall(r"\d+", line.split(":", 1)[1])]


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return make_settings(tmp_path, db_url, sms_segment_cost=0.1)


def test_small_groups_are_not_counted(settings: Settings, tmp_path: Path) -> None:
    onboard(settings, "sms", [f"+99450555{i:04d}" for i in range(6)], "az")
    onboard(settings, "telegram", [f"tg-{i}" for i in range(6)], "ru")
    onboard(settings, "telegram", ["tg-uk-1", "tg-uk-2"], "uk")
    assert _cli(settings, "poll", "create", "--file", str(_poll_file(tmp_path, "bus")))[0] == 0
    code, out = _cli(settings, "poll", "open", "bus", "--yes")
    assert code == 0, out
    # Before, the preview said "telegram: 8 recipients" and "sms/az: 6 × 1", so the two
    # Ukrainian speakers were 8 - 6: the table now merges them as the dashboard does.
    assert "telegram: 8" not in out and "recipients" not in out.split("SMS")[0], out
    figures = _figures(out)
    assert figures and all(n == 0 or n >= K for n in figures), out
    assert "other (small groups merged)" in out, out
    # Six SMS recipients are k or more: the cost is shown.
    parts = re.search(r"SMS az: (\d) part", out)
    assert parts, out
    assert f"SMS total: {6 * int(parts.group(1))} segments" in out, out


def test_few_sms_recipients_get_only_a_bound(settings: Settings, tmp_path: Path) -> None:
    onboard(settings, "sms", ["+994505550001", "+994505550002", "+994505550003"], "az")
    assert _cli(settings, "poll", "create", "--file", str(_poll_file(tmp_path, "bus")))[0] == 0
    code, out = _cli(settings, "poll", "open", "bus", "--yes")
    assert code == 0, out
    assert f"Fewer than {K} people would receive it: the figures are not shown." in out, out
    assert f"SMS: fewer than {K} recipients, under $" in out, out
    assert "SMS total" not in out and "sms: 3" not in out, out


def test_create_with_an_opening_time_confirms_its_plan(settings: Settings, tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlmodel import select

    from fikir.storage.alert_tables import PollPlan
    from fikir.storage.models import AuditEvent
    from tests.test_web_helpers import query

    onboard(settings, "sms", [f"+99450555{i:04d}" for i in range(6)], "az")
    opens = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    said = {}
    for slug, extra in (("asked", []), ("confirmed", ["--yes"])):
        path = _poll_file(tmp_path, slug)
        path.write_text(path.read_text(encoding="utf-8") + f"opens_at: '{opens}'\n", "utf-8")
        code, out = _cli(settings, "poll", "create", "--file", str(path), *extra)
        assert code == 0 and f"Created poll {slug} (scheduled)." in out, out
        assert re.search(r"SMS total: \d+ segments", out), out  # the plan, shown first
        said[slug] = out
    # No terminal to answer on: not confirmed, and it says what happens when the poll is due.
    assert "Not confirmed: when it is due the poll is held, not sent." in said["asked"]
    assert "Plan confirmed for confirmed's scheduled opening." in said["confirmed"]
    [plan] = query(settings, select(PollPlan))
    assert plan.sms_recipients == 6 and plan.confirmed_by is None
    events = query(settings, select(AuditEvent).where(AuditEvent.action == "schedule"))
    assert [e.object_id for e in events] == ["confirmed"]
    assert events[0].detail.startswith("command line")
