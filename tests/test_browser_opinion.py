"""Headless Chromium: an analyst seeds a topic and approves a participant's statement on the
dashboard; the opinion map reads on a phone in every language without scrolling sideways."""

from __future__ import annotations

import re

import pytest
import yaml

from fikir.config.languages import LANGUAGE_CODES
from fikir.config.settings import Settings
from fikir.i18n import translate
from fikir.opinion import texts as o
from tests.test_browser_dashboard import chromium, server  # noqa: F401 - the fixtures
from tests.test_opinion_dialog import TOPIC
from tests.test_opinion_web import _pending, _votes
from tests.test_web_helpers import PASSWORD, run

pytestmark = pytest.mark.browser


def test_dashboard_seeds_and_checks_then_the_map_reads_on_a_phone(
    server: tuple[str, Settings],  # noqa: F811
    chromium: object,  # noqa: F811
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(chromium, Browser)
    base, settings = server
    staff = chromium.new_context(base_url=base)
    staff.set_default_timeout(10_000)
    page = staff.new_page()
    try:
        page.goto("/admin/login")
        page.get_by_label("Name").fill("ana")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Opinion map").click()
        page.get_by_label("New topic (YAML").fill(yaml.safe_dump(TOPIC, allow_unicode=True))
        page.get_by_role("button", name="Create topic").click()
        expect(page.locator("#topics")).to_contain_text("youth-centre")
        run(_votes(settings))
        run(_pending(settings))
        page.reload()
        card = page.locator("article", has_text="Libraries in every village.")
        card.get_by_role("button", name="Approve").click()
        expect(page.get_by_text("Nothing waits for a check.")).to_be_visible()
        page.get_by_role("button", name="Send a round").click()  # a draft is never public
        page.get_by_role("button", name="Confirm and send").click()  # after the cost preview
        expect(page.get_by_role("status")).to_contain_text("youth-centre")
    finally:
        staff.close()

    phone = chromium.new_context(
        base_url=base, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    try:
        for lang in LANGUAGE_CODES:
            page.goto(f"/results?lang={lang}")
            expect(page.locator("#opinion")).to_contain_text(translate(lang, o.GROUP, n=2))
            assert translate(lang, o.GROUP, n=3) not in page.locator("#opinion").inner_text()
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{lang}: the page scrolls sideways ({width}px)"
        text = page.locator("#opinion").inner_text()
        assert re.search(r"\d+%", text)
    finally:
        phone.close()
