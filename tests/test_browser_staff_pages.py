"""Chromium drives the pages issue #18 added for staff: first run (the setup link names the
account, Home's checklist, the inbox's hidden test messages), the digests page (preview, PDF,
"send to me", a running month "so far" with its dates) and the audit trail's filters."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from fikir.storage.models import AuditEvent, Feedback, OutboxMessage, Poll
from tests.browser_site import TELEGRAM_OF_ADA, Site, chromium, site_running
from tests.test_web_helpers import PASSWORD, query, run

pytestmark = pytest.mark.browser

DONE_MONTH = "2026-10"  # built at start, from tests/test_digest_seed (a complete month)
BUILD_MS = 120_000  # counting and rendering three languages' HTML and PDF


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp: Path = tmp_path_factory.mktemp("staffpages")
    with site_running(tmp, DONE_MONTH) as running:
        yield running


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Any]:
    with chromium() as running:
        yield running


def _signed_in(browser: Any, site: Site, name: str) -> Any:
    context = browser.new_context(base_url=site.base, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/admin/login")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    return page


def test_setup_link_names_the_account(site: Site, browser: Any) -> None:
    from playwright.sync_api import expect

    code = site.setup_code("leyla.h")
    context = browser.new_context(base_url=site.base)
    try:
        page = context.new_page()
        page.goto(f"/admin/setup?code={code}")
        expect(page.locator("#setup-account")).to_have_text(
            "You are setting up the account “leyla.h” (analyst)."
        )
        page.get_by_label("New password").fill("a long new password")
        page.get_by_label("Repeat the password").fill("a long new password")
        page.get_by_role("button", name="Save and sign in").click()
        expect(page).to_have_url(re.compile(r"/admin/$"))
        expect(page.locator(".account .who")).to_contain_text("leyla.h")
        page.goto("/admin/setup?code=wrong")  # nobody is named by a wrong code
        expect(page.locator("#setup-account")).to_have_count(0)
    finally:
        context.close()


def test_home_checklist_then_the_first_poll(site: Site, browser: Any) -> None:
    from playwright.sync_api import expect

    page = _signed_in(browser, site, "ada")
    try:
        checklist = page.get_by_role("region", name="Getting started")
        expect(checklist).to_be_visible()
        expect(checklist.locator("li")).to_have_count(4)
        # No channel configured, no poll yet; colleagues added and a Telegram chat linked.
        for key, state in (("channels", "To do:"), ("staff", "Done:"), ("digest", "Done:"),
                           ("poll", "To do:")):  # fmt: skip
            expect(page.locator(f"#step-{key} .state")).to_have_text(state)
        expect(page.locator("#step-poll")).to_contain_text("it is sent only when you open it")
        page.locator("#step-poll").get_by_role("link").click()
        expect(page).to_have_url(re.compile(r"/admin/polls$"))
        run(_a_draft_poll(site))
        page.goto("/admin/")
        expect(page.locator("#step-poll .state")).to_have_text("Done:")
        expect(page.locator("#step-channels .state")).to_have_text("To do:")
    finally:
        page.context.close()


async def _a_draft_poll(site: Site) -> None:
    from fikir.runtime import build_runtime

    runtime = build_runtime(site.settings)
    try:
        async with runtime.sessions() as session, session.begin():
            session.add(Poll(slug="first", question="{}", status="draft"))
    finally:
        await runtime.close()


def test_inbox_says_how_many_test_messages_it_hides(site: Site, browser: Any) -> None:
    from playwright.sync_api import expect

    page = _signed_in(browser, site, "ana")
    try:
        page.goto("/admin/inbox")
        hidden = page.locator("p.test-hidden")
        consoles = len(
            query(site.settings, select(Feedback.id).where(Feedback.channel == "console"))
        )
        simulator = hidden.filter(has_text="Simulator (Telegram style)")
        expect(simulator).to_have_text(re.compile(
            r"^Test messages from Simulator \(Telegram style\) not shown here: 3\. Show them"
        ))  # fmt: skip
        expect(hidden.filter(has_text="Console (fikir chat)")).to_contain_text(
            f"Test messages from Console (fikir chat) not shown here: {consoles}."
        )
        expect(page.locator("table.inbox")).not_to_contain_text("sınaq")
        simulator.get_by_role("link", name=re.compile("^Show them")).click()
        expect(page).to_have_url(re.compile(r"/admin/inbox\?.*channel=simulator"))
        expect(page.locator("table.inbox tbody tr")).to_have_count(3)
        expect(page.locator("table.inbox")).to_contain_text("sınaq 0")
        expect(page.locator("p.test-hidden")).to_have_count(0)
    finally:
        page.context.close()


def test_digests_page_shows_the_digest_and_a_running_month_so_far(
    site: Site, browser: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = _signed_in(browser, site, "ada")
    so_far = re.compile(r"1(–\d{1,2})? \w+ \d{4} so far")
    try:
        page.goto("/admin/digests")
        rows = page.locator("table tbody tr")
        expect(rows.filter(has_text="October 2026")).to_have_count(1)
        running = page.get_by_label("Month").locator("option").last  # this month, offered last
        expect(running).to_have_text(re.compile(r" \(so far\)$"))
        page.get_by_label("Month").select_option(running.get_attribute("value"))
        page.get_by_role("button", name="Build now").click()
        expect(page).to_have_url(re.compile(r"/admin/digests/\d{4}-\d{2}$"), timeout=BUILD_MS)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            re.compile(f"^Digest {so_far.pattern}$")
        )
        expect(page.locator("#so-far")).to_contain_text("still running")
        # The digest itself, in the page: its own heading says which days it covers.
        preview = page.frame_locator("iframe.digest-preview")
        expect(preview.locator("h1")).to_have_text(
            re.compile(so_far.pattern.replace(" so far", ""))
        )
        expect(preview.locator("#running")).to_be_visible()
        page.goto("/admin/digests")
        expect(rows.filter(has_text=so_far)).to_have_count(1)
        rows.filter(has_text="October 2026").get_by_role("link", name="Open").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Digest October 2026")
        expect(page.locator("#so-far")).to_have_count(0)
        expect(
            page.frame_locator("iframe.digest-preview").locator("#regions-table")
        ).to_be_visible()
        with page.expect_download() as info:
            page.get_by_role("link", name="PDF in English").click()
        download = info.value
        assert download.suggested_filename == f"fikir-digest-{DONE_MONTH}-en.pdf"
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        assert target.read_bytes()[:5] == b"%PDF-"
        # "Send to me": once per build, to the admin's own linked Telegram chat.
        page.get_by_role("button", name="Send to my Telegram").click()
        expect(page.get_by_role("status")).to_have_text("The digest is on its way to you.")
        page.get_by_role("button", name="Send to my Telegram").click()
        expect(page.get_by_role("status")).to_have_text("You have already been sent this digest.")
    finally:
        page.context.close()
    sent = query(site.settings, select(OutboxMessage).where(OutboxMessage.kind == "digest"))
    assert [message.pseudonym for message in sent] == [TELEGRAM_OF_ADA]


def test_audit_trail_filters_by_staff_action_and_date(site: Site, browser: Any) -> None:
    from playwright.sync_api import expect

    run(_old_events(site))
    _signed_in(browser, site, "ana").context.close()  # ana's sign-in is in the trail
    page = _signed_in(browser, site, "ada")
    zone = ZoneInfo(site.settings.timezone)
    today = datetime.now(UTC).astimezone(zone).date()
    try:
        page.goto("/admin/audit")
        events = page.locator("#audit-events tbody tr")
        filters = page.get_by_role("search", name="Filter the audit trail")
        filters.get_by_label("Staff member").select_option(label="ana")
        filters.get_by_role("button", name="Show").click()
        expect(events.first).to_be_visible()
        for who in events.locator("td:nth-child(2)").all_inner_texts():
            assert who == "ana"
        filters.get_by_label("Staff member").select_option(label="Everyone")
        filters.get_by_label("Action").select_option("bulk_test")
        filters.get_by_role("button", name="Show").click()
        expect(events).to_have_count(3)
        assert set(events.locator("td:nth-child(3)").all_inner_texts()) == {"bulk_test"}
        filters.get_by_label("From").fill((today - timedelta(days=7)).isoformat())
        filters.get_by_role("button", name="Show").click()  # the old events are older
        expect(page.locator("#audit-events")).to_have_count(0)
        expect(page.get_by_text("Nothing in the audit trail matches.")).to_be_visible()
        filters.get_by_label("Action").select_option("")
        filters.get_by_role("button", name="Show").click()
        expect(events.first).to_be_visible()
        assert "bulk_test" not in events.locator("td:nth-child(3)").all_inner_texts()
        filters.get_by_label("From").fill("")
        filters.get_by_label("To").fill((today - timedelta(days=30)).isoformat())
        filters.get_by_role("button", name="Show").click()
        expect(events).to_have_count(3)  # up to 30 days ago: only the old ones
    finally:
        page.context.close()


async def _old_events(site: Site) -> None:
    from fikir.runtime import build_runtime

    runtime = build_runtime(site.settings)
    try:
        async with runtime.sessions() as session, session.begin():
            old = datetime.now(UTC) - timedelta(days=40)
            for number in range(3):
                session.add(AuditEvent(at=old, action="bulk_test", object_id=str(number)))
    finally:
        await runtime.close()
