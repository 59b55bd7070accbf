# ruff: noqa: F811  (pytest fixtures imported from the dashboard browser tests)
"""In a browser: a staff member finds My alerts in the menu, adds an alert by its labels, sees
it listed and deletes it; a poll's opening is scheduled only through the plan's confirmation."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from fikir.config.settings import Settings
from fikir.storage.alert_tables import AlertSubscription, PollPlan
from fikir.storage.models import Poll
from tests.test_browser_dashboard import LANGUAGES, chromium, server, staff_page  # noqa: F401
from tests.test_web_helpers import PASSWORD, query


def _sign_in(page: object) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.goto("/admin/login")
    page.get_by_label("Name").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_add_and_delete_an_alert(server: tuple[str, Settings], staff_page: object) -> None:  # noqa: F811
    from playwright.sync_api import Page, expect

    assert isinstance(staff_page, Page)
    page = staff_page
    _sign_in(page)
    page.get_by_role("link", name="My alerts").click()
    expect(page.get_by_role("heading", name="My alerts", exact=True)).to_be_visible()
    expect(page.locator("#no-alerts")).to_be_visible()
    page.get_by_label("Goal").select_option("6")
    page.get_by_label("Region").select_option("lankaran_astara")
    page.get_by_role("radio", name=re.compile(r"at once")).check()
    page.get_by_label("Telegram").uncheck()
    page.get_by_role("button", name="Add").click()  # neither way: refused, nothing saved
    expect(page.locator("#alert-error")).to_contain_text("Choose Telegram, an e-mail address")
    page.get_by_label("Goal").select_option("6")
    page.get_by_label("Region").select_option("lankaran_astara")
    page.get_by_role("radio", name=re.compile(r"at once")).check()
    page.get_by_label("E-mail").fill("ana@un.example.org")
    page.get_by_role("button", name="Add").click()
    row = page.locator("#alerts tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Lankaran-Astara")
    expect(row).to_contain_text("ana@un.example.org")
    [sub] = query(server[1], select(AlertSubscription))
    assert (sub.goal, sub.region, sub.frequency) == (6, "lankaran_astara", "immediate")
    row.get_by_role("button", name="Delete").click()
    expect(page.locator("#no-alerts")).to_be_visible()
    assert not query(server[1], select(AlertSubscription))


def test_schedule_needs_the_plan_confirmed(
    server: tuple[str, Settings], staff_page: object
) -> None:  # noqa: F811
    from playwright.sync_api import Page, expect

    assert isinstance(staff_page, Page)
    page = staff_page
    page.goto("/admin/polls/new")
    page.get_by_label("Short name").fill("road-poll")
    for lang in LANGUAGES:
        box = page.locator("fieldset.language", has=page.locator(f"code:text-is('{lang}')"))
        box.get_by_label("Question").fill(f"Is the road repaired? [{lang}]")
        box.get_by_label("Option 1", exact=True).fill(f"Yes [{lang}]")
        box.get_by_label("Option 2", exact=True).fill(f"No [{lang}]")
    page.get_by_role("button", name="Create poll").click()
    expect(page.locator("#poll-status")).to_have_text("draft")
    opens = datetime.now(ZoneInfo(server[1].timezone)) + timedelta(days=3)
    page.get_by_label("Opens at").fill(f"{opens:%Y-%m-%dT%H:%M}")
    page.get_by_role("button", name="Save schedule").click()
    expect(page.get_by_role("heading", name="Check before sending")).to_be_visible()
    expect(page.locator("#schedule-plan")).to_contain_text("held, not sent")
    assert query(server[1], select(Poll.status).where(Poll.slug == "road-poll")) == ["draft"]
    page.get_by_role("button", name=re.compile(r"^Confirm and schedule for")).click()
    expect(page.locator("#poll-status")).to_have_text("scheduled")
    assert len(query(server[1], select(PollPlan))) == 1
