"""A changed answer, seen as staff see it: people answer a poll by SMS and on Telegram, two of
them change their mind (a new number by SMS, a new number typed on Telegram), and the poll page
in the browser counts each person once, with their latest answer (#18)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from fikir.cli.demo import DEMO_POLL
from fikir.dialog import prompts as p
from fikir.dialog.outreach import open_poll
from fikir.polls.manage import PollSpec, create_poll
from fikir.runtime import build_runtime
from fikir.storage.migrate import upgrade
from tests.browser_site import chromium, need_chromium, serving
from tests.conftest import free_port, make_settings
from tests.harness import Conversation
from tests.test_polls_lifecycle import onboard
from tests.test_web_helpers import PASSWORD, run, seed

PEOPLE = [("sms", "+99450555010{}", "az"), ("telegram", "tg-10{}", "ru")]


async def _answer_then_change(settings: Any) -> list[bool]:
    """Two people on each channel answer option 1; one on each then picks option 2. Returns
    whether each change was thanked (the bot's promise kept)."""
    runtime = build_runtime(settings)
    try:
        talks: list[tuple[Conversation, str]] = []
        for channel, address, lang in PEOPLE:
            for i in range(2):
                talks.append(
                    (await onboard(runtime, channel, address.format(i), lang, "baku"), lang)
                )
        async with runtime.sessions() as session, session.begin():
            await create_poll(session, PollSpec.from_dict(DEMO_POLL))
            await open_poll(session, "priority-demo", settings, datetime.now(UTC))
        for talk, _ in talks:
            await talk.send("1")
        thanked = []
        for talk, lang in (talks[0], talks[2]):  # one SMS writer, one Telegram writer
            await talk.send("2")
            thanked.append(talk.said(lang, p.POLL_THANKS))
        return thanked
    finally:
        await runtime.close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    need_chromium()
    url = f"sqlite:///{tmp_path / 'fikir.db'}"
    upgrade(url)
    settings = make_settings(tmp_path, url, host="127.0.0.1", port=free_port(), k_anonymity=2)
    seed(settings, {"ada": "admin"}, [])
    with serving(settings) as base:
        yield base, settings


def test_a_changed_answer_over_sms_and_telegram_is_counted_once(
    site: tuple[str, Any],
) -> None:
    from playwright.sync_api import expect

    base, settings = site
    assert run(_answer_then_change(settings)) == [True, True]
    with chromium() as browser:
        context = browser.new_context(base_url=base)
        context.set_default_timeout(15_000)
        try:
            page = context.new_page()
            page.goto("/admin/login")
            page.get_by_label("Name").fill("ada")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(re.compile(r"/admin/$"))
            page.goto("/admin/polls/priority-demo?lang=en")
            bars = page.locator("ul.bars .bar-n")
            # Four people, four answers: two kept option 1, two moved to option 2.
            expect(bars.nth(0)).to_have_text("2 · 50%")
            expect(bars.nth(1)).to_have_text("2 · 50%")
        finally:
            context.close()
