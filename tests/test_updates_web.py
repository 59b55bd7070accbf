"""/admin/updates: write a draft, see its recipients (people, k rule) and SMS cost, send it once on
confirmation, audited; /results lists sent updates by goal in the reader's language."""

from __future__ import annotations

import re
from pathlib import Path

from sqlmodel import select

from fikir.config.settings import Settings
from fikir.runtime import build_runtime
from fikir.storage.models import AuditEvent, OutboxMessage, StaffUpdate
from tests.conftest import make_settings
from tests.test_web_helpers import client_for, query, run, seed, sign_in, token_for, visitor
from tests.updates_people import LANKARAN, SHIRVAN, meet_everyone

FORM = {
    "t_az": "Lənkəran və Salyana yeni su xətti",
    "b_az": "Yayda 12 kəndə içməli su çəkildi.",
    "t_ru": "Новый водопровод в Ленкорани и Сальяне",
    "b_ru": "Летом в 12 сёл провели питьевую воду.",
    "t_en": "A new water main for Lankaran and Salyan",
    "b_en": "This summer 12 villages got drinking water.",
    "goal": ["6"],
    "region": [LANKARAN, SHIRVAN],
}


async def _people(settings: Settings) -> None:
    runtime = build_runtime(settings)
    try:
        await meet_everyone(runtime)
    finally:
        await runtime.close()


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_draft_preview_send_once_and_results(tmp_path: Path, sqlite_url: str) -> None:
    settings = make_settings(tmp_path, sqlite_url)
    seed(settings, {"ana": "analyst", "vic": "viewer"}, [])
    run(_people(settings))
    with client_for(settings) as browser:
        token = sign_in(browser, "ana")
        assert "/admin/updates" in browser.get("/admin/").text
        # Half a language, and no link: refused with the reasons, nothing stored.
        bad = browser.post("/admin/updates", data={"csrf_token": token, "t_ru": "Вода"})
        assert bad.status_code == 400
        assert "ru" in bad.text and "Link the update to at least one goal" in bad.text
        created = browser.post("/admin/updates", data={"csrf_token": token, **FORM})
        assert created.status_code == 200 and created.url.path == "/admin/updates/1"
        page = _text(created.text)
        # People per channel and language: SMS az 6 and ru 6 shown; the Telegram cells (5, 2
        # and 1 people) are merged into "other" (8); 20 in all. Every SMS cell is shown, so
        # the cost is exact: 6 one-part (GSM-7) and 6 two-part (UCS-2) messages at $0.05.
        assert "Telegram Azərbaycanca in “other”" in page
        assert "SMS Azərbaycanca 6 1 (GSM-7)" in page and "SMS Русский 6 2 (UCS-2)" in page
        assert "Other (small groups merged) 8" in page and "Total 20 recipients" in page
        assert "SMS: 18 segments, about $0.90" in page
        # Sending needs the confirmation; then it goes once, and a second send is refused.
        detail = "/admin/updates/1"
        unconfirmed = browser.post(f"{detail}/send", data={"csrf_token": token})
        assert "Tick the confirmation to send." in unconfirmed.text
        assert not query(settings, select(OutboxMessage).where(OutboxMessage.kind == "update"))
        sent = browser.post(f"{detail}/send", data={"csrf_token": token, "confirm": "yes"})
        assert "reached 20 people" in _text(sent.text)
        again = browser.post(f"{detail}/send", data={"csrf_token": token, "confirm": "yes"})
        assert "it can no longer be changed or sent again" in again.text
        edit = browser.post(detail, data={"csrf_token": token, **FORM, "t_en": "Changed"})
        assert "it can no longer be changed" in edit.text
        rows = query(settings, select(OutboxMessage).where(OutboxMessage.kind == "update"))
        assert len(rows) == 20 and len({row.pseudonym for row in rows}) == 20
        [update] = query(settings, select(StaffUpdate))
        assert update.status == "sent" and update.recipients == 20
        actions = [e.action for e in query(settings, select(AuditEvent))
                   if e.object_type == "update"]  # fmt: skip
        assert actions == ["create", "preview", "preview", "send"]  # shown again unconfirmed
        listing = _text(browser.get("/admin/updates").text)
        assert "A new water main for Lankaran and Salyan" in listing and "sent" in listing

        # An update only in Azerbaijani reaches fewer than k people: the count is not shown.
        few = {"t_az": "Yol təmiri", "b_az": "Yol təmir olundu.", "goal": ["9"], "region": "baku"}
        browser.post("/admin/updates", data={"csrf_token": token, **few})
        small = _text(browser.get("/admin/updates/2").text)
        assert "Nobody would receive this update yet." in small  # nobody wrote of roads in Baku
        # In Lankaran: the road writer, and the water writer whom staff re-tagged to roads.
        few["region"] = LANKARAN
        browser.post("/admin/updates/2", data={"csrf_token": token, **few})
        html = browser.get("/admin/updates/2").text
        small = _text(html)
        assert "Fewer than 5 people would receive this update." in small
        assert "Telegram Azərbaycanca fewer than 5" in small and 'id="update-total"' not in html
        assert "SMS: 0 segments, about $0.00" in small  # nobody on SMS: nothing to hide
        browser.post("/admin/updates/2/send", data={"csrf_token": token, "confirm": "yes"})
        assert "reached fewer than 5 people" in _text(browser.get("/admin/updates/2").text)

        # A viewer sees no updates page; the public sees sent updates in their language.
        viewer = visitor(browser)
        sign_in(viewer, "vic")
        assert viewer.get("/admin/updates").status_code == 403
        public = visitor(browser)
        ru = _text(public.get("/results?lang=ru").text)
        assert "Вы сказали — мы сделали" in ru and "Новый водопровод в Ленкорани" in ru
        assert "Yol təmiri" in ru  # no Russian text: Azerbaijani, the first fallback
        en = _text(public.get("/results?lang=en").text)
        assert "A new water main for Lankaran and Salyan" in en and "Lankaran-Astara" in en
        assert en.index("Clean water") < en.index("A new water main")
        assert "Yol təmir olundu." in en
        assert token_for(browser, "/admin/updates/new")
