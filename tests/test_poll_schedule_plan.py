"""A poll scheduled to open later sends only what staff confirmed when scheduling it: the
dashboard shows the plan first, keeps its cost, and when the poll is due the scheduler holds it
(nothing sent, audited, the member who confirmed it told) if the SMS cost grew past the margin
or nobody confirmed a plan; within the margin it opens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select, update

from fikir.bot.staff import staff_pseudonym
from fikir.config.settings import Settings
from fikir.jobs.scheduler import poll_schedule_job
from fikir.outbox.message import OutboundMessage
from fikir.polls.manage import PollSpec, create_poll
from fikir.runtime import build_runtime
from fikir.storage.alert_tables import PollPlan
from fikir.storage.models import AuditEvent, OutboxMessage, Poll, StaffUser
from tests.conftest import make_settings
from tests.test_poll_open_confirm import onboard
from tests.test_web_helpers import client_for, plan_token_of, query, run, seed, sign_in, visitor
from tests.test_web_pages import _poll_form

CHAT = 7700000555


@pytest.fixture
def site(tmp_path: Path, db_url: str) -> Iterator[tuple[Settings, TestClient, str]]:
    settings = make_settings(tmp_path, db_url, sms_segment_cost=0.1, poll_cost_margin=0.1)
    seed(settings, {"ana": "analyst", "root": "admin"}, [])
    run(_link_telegram(settings, "ana"))
    onboard(settings, "sms", [f"+99450555{i:04d}" for i in range(10)], "az")
    with client_for(settings) as client:
        browser = visitor(client)
        yield settings, browser, sign_in(browser, "ana")


async def _link_telegram(settings: Settings, name: str) -> None:
    runtime = build_runtime(settings)
    try:
        pseudonym = staff_pseudonym(runtime.services, CHAT)
        async with runtime.sessions() as session, session.begin():
            await session.exec(
                update(StaffUser)  # type: ignore[call-overload]
                .where(col(StaffUser.name) == name)
                .values(telegram_pseudonym=pseudonym)
            )
    finally:
        await runtime.close()


async def _tick(settings: Settings, now: datetime) -> None:
    runtime = build_runtime(settings)
    try:
        await poll_schedule_job(runtime, now)
    finally:
        await runtime.close()


def _schedule(browser: TestClient, token: str, slug: str, opens: datetime) -> None:
    times = {"csrf_token": token, "opens_at": f"{opens:%Y-%m-%dT%H:%M}"}
    shown = browser.post(f"/admin/polls/{slug}/schedule", data=times)
    assert 'id="schedule-plan"' in shown.text and "Check before sending" in shown.text
    done = browser.post(
        f"/admin/polls/{slug}/schedule",
        data={**times, "plan_token": plan_token_of(shown.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303


def _poll(settings: Settings, slug: str) -> Poll:
    return query(settings, select(Poll).where(Poll.slug == slug))[0]  # type: ignore[no-any-return]


def _sent(settings: Settings, kind: str) -> list[OutboxMessage]:
    return query(settings, select(OutboxMessage).where(OutboxMessage.kind == kind))


def test_scheduled_opening_is_held_when_the_cost_grew(
    site: tuple[Settings, TestClient, str],
) -> None:
    settings, browser, token = site
    browser.post("/admin/polls", data=_poll_form(token, "bus"))
    opens = datetime.now(ZoneInfo(settings.timezone)).replace(second=0, microsecond=0)
    opens += timedelta(days=2)
    # A schedule posted without its plan's token saves nothing.
    browser.post(
        "/admin/polls/bus/schedule",
        data={"csrf_token": token, "opens_at": f"{opens:%Y-%m-%dT%H:%M}"},
    )
    assert _poll(settings, "bus").status == "draft"
    _schedule(browser, token, "bus", opens)
    assert _poll(settings, "bus").status == "scheduled"
    [plan] = query(settings, select(PollPlan))
    assert plan.sms_recipients == 10 and plan.cost == pytest.approx(plan.segments * 0.1)

    # Two more SMS subscribers by the time it is due: 20% dearer, past the 10% margin.
    onboard(settings, "sms", ["+994505559990", "+994505559991"], "az")
    run(_tick(settings, opens.astimezone(UTC) + timedelta(minutes=1)))
    poll = _poll(settings, "bus")
    assert poll.status == "held"
    assert _sent(settings, "poll") == []  # nothing paid for
    [held] = query(settings, select(PollPlan))
    assert held.held_at is not None and held.held_cost == pytest.approx(plan.cost * 1.2)
    [event] = query(settings, select(AuditEvent).where(AuditEvent.action == "hold"))
    assert event.object_id == "bus" and f"${plan.cost:.2f}" in event.detail
    # The member who confirmed the plan is told by Telegram, with both costs and the link.
    [notice] = _sent(settings, "alert")
    assert notice.channel == "telegram"
    text = OutboundMessage.from_json(notice.payload).text
    assert text.startswith("fikir: the scheduled poll bus was held, not sent"), text
    assert f"${plan.cost:.2f}" in text and f"${held.held_cost:.2f}" in text
    assert "/admin/polls/bus" in text
    # The dashboard says so, and the scheduler passes it by from now on.
    assert "held, not sent" in browser.get("/admin/polls/bus").text
    run(_tick(settings, opens.astimezone(UTC) + timedelta(minutes=2)))
    assert _poll(settings, "bus").status == "held" and _sent(settings, "poll") == []

    # Confirmed again with the new plan, it opens when due.
    _schedule(browser, token, "bus", opens)
    run(_tick(settings, opens.astimezone(UTC) + timedelta(minutes=3)))
    assert _poll(settings, "bus").status == "open" and len(_sent(settings, "poll")) == 12


def test_within_the_margin_it_opens_and_unconfirmed_it_is_held(
    site: tuple[Settings, TestClient, str],
) -> None:
    settings, browser, token = site
    browser.post("/admin/polls", data=_poll_form(token, "bus"))
    opens = datetime.now(ZoneInfo(settings.timezone)).replace(second=0, microsecond=0)
    opens += timedelta(days=1)
    _schedule(browser, token, "bus", opens)
    onboard(settings, "sms", ["+994505559990"], "az")  # 10% dearer: within the margin
    # A poll scheduled without any confirmed plan (as a YAML file without --yes leaves it).
    run(_create_scheduled(settings, "quiet", opens.astimezone(UTC)))
    run(_tick(settings, opens.astimezone(UTC) + timedelta(minutes=1)))
    assert _poll(settings, "bus").status == "open"
    assert _poll(settings, "quiet").status == "held"
    [event] = query(settings, select(AuditEvent).where(AuditEvent.action == "hold"))
    assert event.object_id == "quiet" and "unconfirmed" in event.detail
    # Nobody confirmed it, so the admins hear of it (the admin has no Telegram linked here;
    # the analyst who did not confirm it is not told).
    assert all(
        "quiet" not in OutboundMessage.from_json(m.payload).text for m in _sent(settings, "alert")
    )


async def _create_scheduled(settings: Settings, slug: str, opens: datetime) -> None:
    form = _poll_form("", slug)
    spec = PollSpec.from_dict(
        {
            "slug": slug,
            "question": {k[2:]: v for k, v in form.items() if k.startswith("q_")},
            "options": [
                {k[3:]: v for k, v in form.items() if k.startswith(f"o{i}_")} for i in range(3)
            ],
            "opens_at": opens.isoformat(),
        }
    )
    runtime = build_runtime(settings)
    try:
        async with runtime.sessions() as session, session.begin():
            await create_poll(session, spec)
    finally:
        await runtime.close()
