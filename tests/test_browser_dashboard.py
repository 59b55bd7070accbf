"""Headless Chromium drives the real service: sign-in, inbox, re-tag, polls, export, public page
on a phone, and the simulator. Chromium is the one on PATH (Debian's `chromium`) or FIKIR_TEST_CHROMIUM, driven by Playwright."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from openpyxl import load_workbook

from fikir.config.settings import Settings
from fikir.web.admin import goals
from tests.conftest import BROWSER_MISSING, find_chromium, free_port, make_settings, need_service
from tests.test_web_helpers import (
    INJECTION,
    PASSWORD,
    Message,
    answer,
    auto,
    build_app,
    query,
    seed,
)

pytestmark = pytest.mark.browser

ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LANGUAGES = ("az", "ru", "en", "tly", "lez", "ka", "uk")
SCREENSHOT = Path("/tmp/fikir-results-phone.png")


def _messages() -> list[Message]:
    found = [Message(f"w{i}", f"Kəndimizdə içməli su yoxdur {i}", tags=auto(6)) for i in range(7)]
    found += [
        Message(
            f"s{i}",
            f"В школе нет учителей {i}",
            "ru",
            "sms-twilio",
            "ganja_dashkasan",
            tags=auto(4),
        )
        for i in range(6)
    ]
    found.append(Message("evil", INJECTION, "en", tags=auto(16)))
    found += [Message(f"o{i}", f"Yol yoxdur {i}", days_ago=35, tags=auto(9)) for i in range(6)]
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    if find_chromium() is None:
        need_service(BROWSER_MISSING)
    from fikir.storage.migrate import upgrade

    tmp: Path = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{tmp / 'fikir.db'}"
    upgrade(url)
    port = free_port()
    settings = make_settings(tmp, url, port=port, telegram_bot_username="fikir_test_bot")
    seed(settings, {"ada": "admin", "ana": "analyst"}, _messages())
    config = uvicorn.Config(
        build_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    service = uvicorn.Server(config)
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not service.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the service did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", settings
    finally:
        service.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def chromium(server: tuple[str, Settings]) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=find_chromium(), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def staff_page(server: tuple[str, Settings], chromium: object) -> Iterator[object]:
    """One signed-in analyst tab (desktop size), shared by the dashboard tests in order."""
    from playwright.sync_api import Browser, Dialog

    base, _ = server
    assert isinstance(chromium, Browser)
    context = chromium.new_context(base_url=base, accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    alerts: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        alerts.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.alerts = alerts  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()
    assert not alerts, f"script from stored text ran: {alerts}"


def test_sign_in(staff_page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(staff_page, Page)
    page = staff_page
    page.goto("/admin/inbox")
    expect(page).to_have_url(re.compile(r"/admin/login\?next="))
    page.get_by_label("Name").fill("ana")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong name or password")
    page.get_by_label("Name").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/inbox$"))  # back where the visit started
    expect(page.get_by_role("heading", name="Feedback inbox")).to_be_visible()


def test_inbox_filtering(staff_page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(staff_page, Page)
    page = staff_page
    page.goto("/admin/inbox")
    count = page.locator("#match-count")
    filters = page.get_by_role("search")
    expect(count).to_have_text(f"{len(_messages())} messages")
    filters.get_by_label("Language").select_option("ru")
    filters.get_by_role("button", name="Filter").click()
    expect(count).to_have_text("6 messages")
    filters.get_by_label("Language").select_option("")
    filters.get_by_label("Search the text").fill("icmeli SU")
    filters.get_by_role("button", name="Filter").click()
    expect(count).to_have_text("7 messages")
    expect(page.locator("table.inbox tbody tr")).to_have_count(7)
    filters.get_by_label("Search the text").fill("")
    filters.get_by_label("Goal", exact=True).select_option("16")
    filters.get_by_role("button", name="Filter").click()
    # One writer matches: fewer than k people, so the count is withheld but the row is listed.
    expect(count).to_have_text(re.compile("^Fewer than 5 people"))
    expect(page.locator("table.inbox tbody tr")).to_have_count(1)
    # The stored markup shows as text and runs nothing.
    expect(page.locator("table.inbox td.text")).to_contain_text("<script>alert('xss')</script>")
    assert page.locator("table.inbox script").count() == 0


def test_retagging(server: tuple[str, Settings], staff_page: object) -> None:
    from playwright.sync_api import Page, expect
    from sqlmodel import select

    from fikir.storage.models import AuditEvent, FeedbackTag

    assert isinstance(staff_page, Page)
    page = staff_page
    page.goto("/admin/inbox?lang=ru")
    page.locator("table.inbox tbody tr").first.get_by_role("link").click()
    expect(page.get_by_role("heading", name=re.compile("^Message T"))).to_be_visible()
    feedback_id = int(page.url.split("/admin/feedback/")[1].split("?")[0])
    page.get_by_label(goals.label(4, "en"), exact=True).uncheck()
    page.get_by_label(goals.label(8, "en"), exact=True).check()
    page.get_by_label(goals.label(10, "en"), exact=True).check()
    page.get_by_role("button", name="Save tags").click()
    expect(page.get_by_role("status")).to_contain_text("Tags saved")
    expect(page.locator("p .chip")).to_have_count(2)
    tags = query(
        server[1],
        select(FeedbackTag.goal).where(
            FeedbackTag.feedback_id == feedback_id, FeedbackTag.source == "staff"
        ),
    )
    assert sorted(tags) == [8, 10]
    audit = query(server[1], select(AuditEvent).where(AuditEvent.action == "retag"))
    assert audit and audit[-1].object_id == str(feedback_id)
    page.get_by_role("link", name="Back to the inbox").click()
    expect(page.locator("#match-count")).to_have_text("6 messages")  # the ru filter is kept


def test_create_open_and_close_a_poll(server: tuple[str, Settings], staff_page: object) -> None:
    from playwright.sync_api import Page, expect
    from sqlmodel import select

    from fikir.storage.models import OutboxMessage, Poll

    assert isinstance(staff_page, Page)
    page = staff_page
    page.goto("/admin/polls")
    page.get_by_role("link", name="New poll").click()
    page.get_by_label("Short name").fill("bus-poll")
    for lang in LANGUAGES:
        box = page.locator("fieldset.language", has=page.locator(f"code:text-is('{lang}')"))
        box.get_by_label("Question").fill(f"Is there a bus to your village? [{lang}]")
        box.get_by_label("Option 1", exact=True).fill(f"Yes [{lang}]")
        if lang != "uk":  # one gap first: the form must refuse it and keep what was typed
            box.get_by_label("Option 2", exact=True).fill(f"No [{lang}]")
    page.get_by_role("button", name="Create poll").click()
    expect(page.get_by_role("alert")).to_contain_text("Option 2 is missing in: uk.")
    box = page.locator("fieldset.language", has=page.locator("code:text-is('uk')"))
    box.get_by_label("Option 2", exact=True).fill("Ні [uk]")
    expect(page.get_by_label("Short name")).to_have_value("bus-poll")
    page.get_by_role("button", name="Create poll").click()
    expect(page).to_have_url(re.compile(r"/admin/polls/bus-poll$"))
    expect(page.locator("#poll-status")).to_have_text("draft")
    page.get_by_role("button", name="Open now").click()
    # A preview first: recipients, SMS parts and cost, each channel's look; nothing queued.
    expect(page.get_by_role("heading", name="Check before sending")).to_be_visible()
    expect(page.locator("#nothing-sent")).to_be_visible()
    expect(page.locator("figure.preview").first).to_contain_text("Is there a bus")
    assert query(server[1], select(Poll.status).where(Poll.slug == "bus-poll")) == ["draft"]
    assert not query(server[1], select(OutboxMessage))
    page.get_by_role("button", name="Confirm and send").click()
    expect(page.locator("#poll-status")).to_have_text("open")
    expect(page.get_by_text("Fewer than 5 people have answered")).to_be_visible()
    page.get_by_role("button", name="Close now").click()
    expect(page.locator("#poll-status")).to_have_text("closed")
    expect(page.get_by_role("button", name="Open now")).to_have_count(0)


def test_live_view_updates_while_answers_arrive(
    server: tuple[str, Settings], staff_page: object
) -> None:
    """The projector page redraws by itself (no reload) once k more people have answered, and
    not before: one more answer changes nothing on the screen."""
    from playwright.sync_api import Page, expect

    assert isinstance(staff_page, Page)
    page = staff_page
    page.goto("/admin/polls/bus-poll/live?lang=en")
    expect(page.get_by_role("heading", name=re.compile("Is there a bus"))).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    expect(page.locator("#live-waiting")).to_be_visible()
    page.evaluate("window.notReloaded = true")
    answer(server[1], "bus-poll", [0] * 5 + [1] * 5, start=100)
    bars = page.locator("#live-bars")
    expect(bars).to_be_visible(timeout=15_000)
    expect(page.locator("#live-total")).to_have_text("About 10 answers so far.")
    expect(bars.locator("li[data-position='0'] .bar-n")).to_have_text("50%")
    expect(bars.locator("li[data-position='1'] .bar-n")).to_have_text("50%")
    answer(server[1], "bus-poll", [1], start=200)  # one more: the screen must not move
    page.wait_for_timeout(6_500)
    expect(page.locator("#live-total")).to_have_text("About 10 answers so far.")
    answer(server[1], "bus-poll", [1] * 4, start=201)  # k since the last snapshot: it moves
    expect(page.locator("#live-total")).to_have_text("About 15 answers so far.", timeout=15_000)
    expect(bars.locator("li[data-position='0'] .bar-n")).to_have_text("35%")  # 5 of 15
    expect(bars.locator("li[data-position='1'] .bar-n")).to_have_text("65%")
    assert page.evaluate("window.notReloaded") is True


def test_download_an_export(staff_page: object, tmp_path: Path) -> None:
    from playwright.sync_api import Page

    assert isinstance(staff_page, Page)
    page = staff_page
    page.goto("/admin/exports")
    form = page.locator("form[action='/admin/exports/feedback']")
    form.get_by_label("Format").select_option("xlsx")  # labels point at their selects
    with page.expect_download() as info:
        form.get_by_role("button", name="Download").click()
    download = info.value
    assert download.suggested_filename == "fikir-feedback-all.xlsx"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    sheet = load_workbook(target).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "ref" and len(rows) == len(_messages()) + 1
    assert any(INJECTION == row[-1] for row in rows[1:])


def test_simulator_conversation(staff_page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(staff_page, Page)
    page = staff_page
    page.goto("/simulator")
    page.get_by_label("Phone or app language").select_option("en")
    page.get_by_role("button", name="New conversation").click()
    chat = page.locator("#chat")
    chat.get_by_role("button", name="English").click()
    expect(chat).to_contain_text("anonymous")
    chat.get_by_role("button", name="Yes, I agree").click()
    expect(chat).to_contain_text("Which region do you live in?")
    chat.get_by_role("button", name="Lankaran-Astara").click()
    expect(chat).to_contain_text("How old are you?")
    chat.get_by_role("button", name="Skip").last.click()
    expect(chat).to_contain_text("What is your gender?")
    chat.get_by_role("button", name="Skip").last.click()
    page.get_by_placeholder("Write a message…").fill("<b>The road to Lerik</b> is broken")
    page.get_by_role("button", name="Send").click()
    expect(chat).to_contain_text("We received your message anonymously. Its code is")
    expect(chat.locator(".bubble.mine").last).to_have_text("<b>The road to Lerik</b> is broken")
    # SMS style: no buttons, numbered text, and the cost in parts.
    page.get_by_label("Style").select_option("sms")
    page.get_by_label("Phone or app language").select_option("az")
    page.get_by_role("button", name="New conversation").click()
    page.get_by_placeholder("Write a message…").fill("Salam, qoşulmaq istəyirəm")
    page.get_by_role("button", name="Send").click()
    expect(chat.locator(".bubble.theirs").first).to_contain_text("1 ")
    expect(chat.locator(".meta").first).to_contain_text("SMS parts")
    assert chat.locator("button.choice").count() == 0


def test_public_page_on_a_phone(server: tuple[str, Settings], chromium: object) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(chromium, Browser)
    base, _ = server
    context = chromium.new_context(
        base_url=base,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="az-AZ",  # an Azerbaijani phone: the page answers in Azerbaijani
    )
    page = context.new_page()
    try:
        page.goto("/results")  # no sign-in
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.locator("html").get_attribute("lang") == "az"
        expect(page.locator(".poll-card").first).to_contain_text(
            "Is there a bus to your village? [az]"
        )
        expect(page.locator(".month-card").first).to_be_visible()
        # Nothing is wider than the phone.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways ({width}px)"
        page.screenshot(path=str(SCREENSHOT), full_page=True)
        page.get_by_role("link", name="Русский").click()
        assert page.locator("html").get_attribute("lang") == "ru"
        expect(page.locator(".poll-card").first).to_contain_text("[ru]")
        body = page.locator("body").inner_text()
        assert "Kəndimizdə" not in body and "<script>" not in body  # no message texts, ever
    finally:
        context.close()
    assert SCREENSHOT.stat().st_size > 10_000
