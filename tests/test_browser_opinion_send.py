"""In a browser, a round of the opinion map is sent from the dashboard only after its preview
is confirmed, and the preview passes the automated WCAG 2.1 AA check (axe-core)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import yaml
from sqlmodel import select

from fikir.storage.models import OutboxMessage
from fikir.storage.opinion_tables import OpinionTopic
from tests.a11y import axe_findings
from tests.browser_site import Site, chromium, site_running
from tests.test_opinion_dialog import TOPIC
from tests.test_poll_open_confirm import onboard
from tests.test_web_helpers import PASSWORD, query

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with site_running(tmp_path_factory.mktemp("opinion-send")) as running:
        yield running


def test_a_round_is_sent_only_after_its_preview_is_confirmed(site: Site) -> None:
    onboard(site.settings, "sms", [f"+99450555{i:04d}" for i in range(6)], "az")
    with chromium() as browser:
        context = browser.new_context(base_url=site.base)
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            page.goto("/admin/login")
            page.get_by_label("Name").fill("ana")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(re.compile(r"/admin/$"))
            page.goto("/admin/opinion")
            page.get_by_label(re.compile("New topic")).fill(
                yaml.safe_dump(TOPIC, allow_unicode=True)
            )
            page.get_by_role("button", name="Create topic").click()
            page.get_by_role("button", name="Send a round").click()
            page.get_by_role("heading", name="Check before sending").wait_for()
            assert axe_findings(page) == []
            assert "SMS: 6 segments" in page.locator("#sms-total").inner_text()
            queued = select(OutboxMessage).where(OutboxMessage.kind == "opinion")
            assert query(site.settings, queued) == []  # the preview sends nothing
            assert query(site.settings, select(OpinionTopic.status)) == ["draft"]
            page.get_by_role("button", name="Confirm and send").click()
            page.get_by_role("status").filter(has_text="youth-centre: 6").wait_for()
            assert len(query(site.settings, queued)) == 6
        finally:
            context.close()
