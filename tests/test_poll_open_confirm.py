"""Opening a poll from the dashboard costs money: it shows the plan first and opens only on a
confirmation bound to that very plan (a changed audience needs a new preview)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from fikir.config.settings import Settings
from fikir.runtime import build_runtime
from fikir.storage.models import AuditEvent, OutboxMessage, Poll
from tests.conftest import make_settings
from tests.harness import Conversation
from tests.test_web_helpers import (
    client_for,
    plan_token_of,
    query,
    run,
    seed,
    sign_in,
    visitor,
)
from tests.test_web_pages import _poll_form


async def _onboard(settings: Settings, channel: str, addresses: list[str], lang: str) -> None:
    runtime = build_runtime(settings)
    try:
        for address in addresses:
            talk = Conversation(runtime.engine, channel=channel, address=address)
            await talk.send("/start")
            await talk.press(f"lang:{lang}")
            await talk.press("consent:yes")
            await talk.press("region:baku")
            await talk.press("age:18_24")
            await talk.press("gender:skip")
    finally:
        await runtime.close()


def onboard(settings: Settings, channel: str, addresses: list[str], lang: str) -> None:
    run(_onboard(settings, channel, addresses, lang))


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
        yield settings, browser, sign_in(browser, "ana")


def _queued(settings: Settings) -> int:
    return len(query(settings, select(OutboxMessage).where(OutboxMessage.kind == "poll")))


def _status(settings: Settings) -> str:
    return str(query(settings, select(Poll.status).where(Poll.slug == "bus"))[0])


def test_open_shows_the_plan_and_needs_its_confirmation(
    site: tuple[Settings, TestClient, str],
) -> None:
    settings, browser, token = site
    browser.post("/admin/polls", data=_poll_form(token, "bus"))
    preview = browser.post("/admin/polls/bus/open", data={"csrf_token": token})
    assert preview.status_code == 200
    assert _status(settings) == "draft" and _queued(settings) == 0  # nothing sent yet
    page = preview.text
    assert "Check before sending" in page
    table = page[
        page.index('id="recipients"') : page.index("</table>", page.index('id="recipients"'))
    ]
    assert re.search(r"Azərbaycanca</th><td>6</td><td>0</td>", table), table
    assert re.search(r"Русский</th><td>0</td><td>5</td>", table), table
    parts = re.search(r"Azərbaycanca: (\d) parts? \((GSM-7|UCS-2)\)", page)
    assert parts, page
    assert f"about ${6 * int(parts.group(1)) * 0.1:.2f}" in page
    # Each channel's look: Telegram's buttons, SMS's numbered line.
    assert "<li>Water (az)</li>" in page and "1 Water (az)  2 Roads (az)" in page

    first = plan_token_of(page)
    # A forged or foreign token opens nothing.
    # (The altered token changes its last digit: a token ending in "0" made it the same one.)
    altered = first[:-1] + ("1" if first.endswith("0") else "0")
    for bad in ("", "123.abc", altered, "9" * 40):
        browser.post("/admin/polls/bus/open", data={"csrf_token": token, "plan_token": bad})
        assert _status(settings) == "draft" and _queued(settings) == 0

    # The audience changes after the preview: the old confirmation no longer opens it.
    onboard(settings, "sms", ["+994505559999"], "az")
    again = browser.post("/admin/polls/bus/open", data={"csrf_token": token, "plan_token": first})
    assert "changed since the preview" in again.text
    assert _status(settings) == "draft" and _queued(settings) == 0
    assert "Azərbaycanca</th><td>7</td>" in again.text

    done = browser.post(
        "/admin/polls/bus/open",
        data={"csrf_token": token, "plan_token": plan_token_of(again.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert _status(settings) == "open" and _queued(settings) == 12
    events = query(settings, select(AuditEvent).where(AuditEvent.action == "open"))
    assert events and "12 messages queued" in events[-1].detail


def test_small_audiences_are_not_counted_to_staff(site: tuple[Settings, TestClient, str]) -> None:
    settings, browser, token = site
    form = _poll_form(token, "bus") | {"language": "ru"}
    browser.post("/admin/polls", data=form)
    onboard(settings, "telegram", ["tg-lone"], "en")
    page = browser.post("/admin/polls/bus/open", data={"csrf_token": token}).text
    assert "Русский</th><td>5</td>" in page
    form = _poll_form(token, "few") | {"language": "en"}
    browser.post("/admin/polls", data=form)
    page = browser.post("/admin/polls/few/open", data={"csrf_token": token}).text
    assert "Fewer than 5 people would receive it" in page
    assert 'id="recipients"' not in page


def test_form_targets_age_groups_and_gender(site: tuple[Settings, TestClient, str]) -> None:
    from fikir.polls.model import Audience

    settings, browser, token = site
    blank = browser.get("/admin/polls/new").text
    assert 'name="age_band" value="18_24"' in blank and 'name="gender" value="female"' in blank
    form = _poll_form(token, "bus") | {"age_band": ["18_24", "25_34"], "gender": "female"}
    created = browser.post("/admin/polls", data=form, follow_redirects=False)
    assert created.status_code == 303
    stored = query(settings, select(Poll.audience).where(Poll.slug == "bus"))[0]
    audience = Audience.from_json(stored)
    assert audience.age_bands == ("18_24", "25_34") and audience.genders == ("female",)
    # Nobody onboarded told their gender: the preview finds no one to send to.
    page = browser.post("/admin/polls/bus/open", data={"csrf_token": token}).text
    assert 'id="no-recipients"' in page
