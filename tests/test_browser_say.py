"""/say in headless Chromium: a whole conversation on a 320 px phone screen, with and without
JavaScript, against the real `fikir run`. The soft limit is low, so the page's proof-of-work
script runs for real in the browser. Chromium as in tests/test_browser_dashboard.py."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from fikir.dialog import prompts as p
from fikir.i18n import translate
from fikir.web.say.routes import BUSY
from tests.conftest import BROWSER_MISSING, TEST_SECRET, find_chromium, need_service
from tests.fakes.fikir_process import FikirProcess, table_rows
from tests.say_client import clear_of_window_edge, open_poll_for_everyone

pytestmark = pytest.mark.browser

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]
PHONE = {"width": 320, "height": 640}
SOFT = 4


class Service:
    """`fikir run` on its own event loop thread, so the synchronous Playwright API can drive it."""

    def __init__(self, workdir: Path) -> None:
        env = {"FIKIR_SAY_SOFT_LIMIT": str(SOFT), "FIKIR_SAY_HARD_LIMIT": "200"}
        self.svc = FikirProcess(workdir, env)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: object) -> object:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(120)  # type: ignore[arg-type]

    def close(self) -> None:
        self.run(self.svc.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FikirProcess]:
    if find_chromium() is None:
        need_service(BROWSER_MISSING)
    running = Service(tmp_path_factory.mktemp("browser-say"))
    running.run(running.svc.start(timeout=90))
    running.run(open_poll_for_everyone(running.svc.database_url, TEST_SECRET, "browser-water"))
    try:
        yield running.svc
    finally:
        running.close()


@pytest.fixture(scope="module")
def chromium(service: FikirProcess) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=find_chromium(), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _phone(chromium: object, service: FikirProcess, script: bool) -> object:
    from playwright.sync_api import Browser

    assert isinstance(chromium, Browser)
    context = chromium.new_context(
        base_url=service.url, viewport=PHONE, java_script_enabled=script, is_mobile=True
    )
    context.set_default_timeout(15_000)
    return context


def _fits(page: object) -> None:
    """Nothing wider than the 320 px screen: no sideways scrolling."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


def test_a_conversation_without_javascript_is_asked_to_wait_not_blocked(
    service: FikirProcess, chromium: object
) -> None:
    from playwright.sync_api import BrowserContext, expect

    context = _phone(chromium, service, script=False)
    assert isinstance(context, BrowserContext)
    page = context.new_page()
    clear_of_window_edge()
    lang = "ka"
    page.goto(f"/say?lang={lang}")
    page.get_by_role("button", name=translate(lang, "Start")).click()
    expect(page.locator(".msg").first).to_contain_text(translate(lang, p.CONSENT)[:30])
    page.get_by_role("button", name=translate(lang, p.CONSENT_YES)).click()
    expect(page.locator(".msg").last).to_contain_text(translate(lang, p.ASK_REGION)[:20])
    _fits(page)
    page.get_by_role("button", name=translate(lang, p.SKIP)).click()
    expect(page.locator(".msg").last).to_contain_text(translate(lang, p.ASK_AGE)[:20])
    page.get_by_role("button", name=translate(lang, p.SKIP)).click()
    expect(page.locator(".msg").last).to_contain_text(translate(lang, p.ASK_GENDER)[:20])
    # Four messages from this network: the next one needs the proof of work, which only a
    # script can do; without one the page says, in Georgian, to wait, and keeps the button.
    assert page.locator("input[name=pow]").count() > 0
    page.get_by_role("button", name=translate(lang, p.SKIP)).click()
    expect(page.get_by_role("alert")).to_have_text(translate(lang, BUSY))
    expect(page.get_by_role("button", name=translate(lang, "Send again"))).to_be_visible()
    _fits(page)
    context.close()


def test_a_conversation_with_javascript_and_its_proof_of_work(
    service: FikirProcess, chromium: object
) -> None:
    from playwright.sync_api import BrowserContext, expect

    context = _phone(chromium, service, script=True)
    assert isinstance(context, BrowserContext)
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    lang = "ru"
    page.goto(f"/say?lang={lang}")
    _fits(page)
    page.get_by_role("button", name=translate(lang, "Start")).click()
    expect(page.locator(".msg").first).to_contain_text(translate(lang, p.CONSENT)[:40])
    page.get_by_role("button", name=translate(lang, p.CONSENT_YES)).click()
    for following in (p.ASK_AGE, p.ASK_GENDER, p.MENU):
        page.get_by_role("button", name=translate(lang, p.SKIP)).click()
        expect(page.locator(".msg").last).to_contain_text(translate(lang, following)[:20])
    _fits(page)
    # This network is past the soft limit (the test before): every form carries a challenge,
    # and the page's script solves it before the message leaves; one only presses buttons.
    assert page.locator("input[name=pow]").count() > 0
    page.get_by_role("button", name=translate(lang, p.MENU_FEEDBACK)).click()
    expect(page.locator(".msg").last).to_contain_text(translate(lang, p.ASK_FEEDBACK)[:30])
    page.get_by_label(translate(lang, "Your message")).fill(
        "В нашем селе нет питьевой воды, дети болеют"
    )
    page.get_by_role("button", name=translate(lang, "Send"), exact=True).click()
    thanks = page.locator(".msg").first
    expect(thanks).to_contain_text(translate(lang, p.THANKS).split("{")[0][:30])
    code = re.search(r"\b[A-Z0-9]{3}-?[A-Z0-9]{3}\b", thanks.inner_text())
    assert code is not None
    stored = [
        r
        for r in table_rows(service.data_dir / "fikir.db", "feedback")
        if r["ref_code"] == code.group(0).replace("-", "")
    ]
    assert len(stored) == 1 and stored[0]["channel"] == "web"
    assert page.locator(".alert").count() == 0  # never asked to wait: the script did the work
    # Skip the topic question, then answer the open poll with its button.
    page.get_by_label(translate(lang, "Your message")).fill("/polls")
    page.get_by_role("button", name=translate(lang, "Send"), exact=True).click()
    expect(page.locator(".msg").last).to_contain_text("Is there enough water in your village?")
    page.get_by_role("button", name="Enough", exact=True).click()
    expect(page.locator(".msg").first).to_contain_text(translate(lang, p.POLL_THANKS)[:30])
    _fits(page)
    assert errors == []
    context.close()
