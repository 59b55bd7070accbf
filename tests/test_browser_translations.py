"""In a real browser: a poll written in Azerbaijani alone, its page showing which languages fall
back, the Talysh workbook downloaded through the link, filled and uploaded through the form."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from tests.test_browser_dashboard import chromium, server, staff_page
from tests.test_web_helpers import PASSWORD

__all__ = ["chromium", "server", "staff_page"]  # the shared browser fixtures


def test_an_az_only_poll_is_translated_in_the_browser(staff_page: object, tmp_path: Path) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(staff_page, Page)
    page = staff_page
    page.goto("/admin/login")
    page.get_by_label("Name").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/admin/polls/new")
    page.get_by_label("Short name").fill("az-only")
    box = page.locator("fieldset.language", has=page.locator("code:text-is('az')"))
    box.get_by_label("Question").fill("Kəndinizdə ən vacib nədir?")
    box.get_by_label("Option 1", exact=True).fill("Su")
    box.get_by_label("Option 2", exact=True).fill("Yollar")
    page.get_by_role("button", name="Create poll").click()
    expect(page.locator("#language-table")).to_be_visible()
    talysh = page.locator('#language-table tr[data-lang="tly"]')
    expect(talysh).to_contain_text("falls back to Azərbaycanca")
    expect(page.locator('#language-table tr[data-lang="az"]')).to_contain_text("its own text")

    with page.expect_download() as waiting:
        talysh.get_by_role("link", name="XLSX").click()
    book = load_workbook(io.BytesIO(Path(waiting.value.path()).read_bytes()))
    sheet = book.active
    assert sheet is not None
    for row, text in zip(range(3, 6), ("Şımə diyədə çiçi lozımə?", "Ov", "Rəon"), strict=True):
        sheet.cell(row=row, column=3, value=text)
    filled = tmp_path / "tly.xlsx"
    book.save(filled)
    talysh.get_by_label("Translation file for Tolışi").set_input_files(str(filled))
    talysh.get_by_role("button", name="Upload").click()
    expect(page.locator("#translation-saved")).to_contain_text("readers in Tolışi")
    expect(page.locator("#translation-sms")).to_contain_text("By SMS it takes 1 part.")
    page.get_by_role("link", name="Back").click()
    row = page.locator('#language-table tr[data-lang="tly"]')
    expect(row).to_contain_text("a translation, not reviewed yet")
    row.get_by_role("button", name="Mark reviewed").click()
    expect(page.locator('#language-table tr[data-lang="tly"]')).to_contain_text(
        "a reviewed translation"
    )
    # Before sending: Talysh readers now get their own text, Georgian readers the Azerbaijani.
    page.get_by_role("button", name="Open now").click()
    expect(page.locator("#sms-cost")).to_contain_text("ქართული (falls back to Azərbaycanca)")
    expect(page.locator('#sms-cost li[data-lang="tly"]')).not_to_contain_text("falls back")
