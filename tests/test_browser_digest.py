"""The HTML digest on a phone: Chromium (Playwright) opens the page a staff member gets, at phone
width, and checks that it reads without sideways scrolling, in az, ru and en."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fikir.digest.build import build, render_files
from fikir.runtime import build_runtime
from fikir.storage.migrate import upgrade
from tests.conftest import BROWSER_MISSING, find_chromium, make_settings, need_service
from tests.test_browser_dashboard import ARGS
from tests.test_digest_seed import MONTH, make_seed, store_seed

pytestmark = pytest.mark.browser
PHONE = 390
SCREENSHOT = Path("/tmp/fikir-digest-phone.png")


def _built(root: Path) -> dict[str, Path]:
    url = f"sqlite:///{root / 'fikir.db'}"
    upgrade(url)

    async def main() -> dict[str, Path]:
        runtime = build_runtime(make_settings(root, url))
        try:
            async with runtime.sessions() as session, session.begin():
                await store_seed(session, make_seed())
            doc = await build(runtime, MONTH, datetime(2026, 11, 1, 5, tzinfo=UTC))
            files = await render_files(doc, root / "out", ("en", "az", "ru"))
        finally:
            await runtime.close()
        return {lang: rendered.html for lang, rendered in files.items()}

    return asyncio.run(main())


def test_the_html_digest_reads_on_a_phone(tmp_path: Path) -> None:
    if find_chromium() is None:
        need_service(BROWSER_MISSING)
    from playwright.sync_api import expect, sync_playwright

    pages = _built(tmp_path)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=find_chromium(), args=ARGS)
        try:
            context = browser.new_context(
                viewport={"width": PHONE, "height": 844},
                device_scale_factor=2,
                is_mobile=True,
                has_touch=True,
            )
            page = context.new_page()
            for lang, path in pages.items():
                page.goto(path.as_uri())
                assert page.locator("html").get_attribute("lang") == lang
                expect(page.locator("#regions-table")).to_be_visible()
                expect(page.locator("#not-heard")).to_be_visible()
                # Nothing is wider than the phone: no sideways scrolling of the page.
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE, f"{lang}: the page scrolls sideways ({width}px)"
                # Charts shrink to the screen and have loaded; text is not smaller than 12px.
                for image in page.locator("img.chart").all():
                    box = image.bounding_box()
                    assert box is not None and box["width"] <= PHONE, lang
                    assert image.evaluate("i => i.complete && i.naturalWidth > 0"), lang
                size = page.evaluate(
                    "parseFloat(getComputedStyle(document.querySelector('td')).fontSize)"
                )
                assert size >= 12, f"{lang}: table text is {size}px"
                if lang == "ru":
                    page.screenshot(path=str(SCREENSHOT), full_page=True)
            context.close()
        finally:
            browser.close()
    assert SCREENSHOT.stat().st_size > 10_000
