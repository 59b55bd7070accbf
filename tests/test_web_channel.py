"""The public web channel end to end: `fikir run` as a subprocess, a browser without JavaScript.

Plain HTML forms only (what a cheap phone's browser sends): consent, profile, feedback with its
reference, a poll answer; a form sent twice; the honeypot, the per-client limits and the proof
of work; page sizes; no IP address and no session id anywhere in the store or the logs.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from fikir.config.languages import LANGUAGE_CODES
from fikir.dialog import prompts as p
from fikir.dialog.keywords import keyword
from fikir.i18n import translate
from fikir.privacy.pseudonym import Pseudonymizer
from fikir.web.say.poster import JOIN
from fikir.web.say.routes import BUSY, EXPIRED, TOO_MANY, TRAPPED
from tests.conftest import TEST_SECRET
from tests.fakes.fikir_process import FikirProcess, personal_data_found, snapshot, table_rows
from tests.pdf import pdf_text
from tests.say_client import NoScriptBrowser, clear_of_window_edge, open_poll_for_everyone, said

pytestmark = pytest.mark.asyncio(loop_scope="module")

PUBLIC_URL = "https://fikir.example.org"
SOFT, HARD = 12, 16
MAX_PAGE = 50_000
PSEUDONYMS = Pseudonymizer(TEST_SECRET.encode())


class Site:
    def __init__(self, svc: FikirProcess) -> None:
        self.svc = svc
        self.ips: list[str] = []
        self.sessions: list[str] = []
        self.browsers: list[NoScriptBrowser] = []

    @property
    def db(self) -> Path:
        return self.svc.data_dir / "fikir.db"

    def visitor(self, ip: str) -> NoScriptBrowser:
        self.ips.append(ip)
        browser = NoScriptBrowser(self.svc.url, ip)
        self.browsers.append(browser)
        return browser


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def site(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Site]:
    tmp = tmp_path_factory.mktemp("web-channel")
    svc = FikirProcess(
        tmp,
        {
            "FIKIR_PUBLIC_URL": PUBLIC_URL,
            "FIKIR_SAY_SOFT_LIMIT": str(SOFT),
            "FIKIR_SAY_HARD_LIMIT": str(HARD),
            "FIKIR_TELEGRAM_BOT_USERNAME": "fikir_az_bot",
            "FIKIR_SMS_NUMBER": "+994 12 555 01 02",
        },
    )
    await svc.start(timeout=90)
    await open_poll_for_everyone(svc.database_url, TEST_SECRET, "web-water")
    found = Site(svc)
    try:
        yield found
    finally:
        for browser in found.browsers:
            await browser.aclose()
        await svc.stop()


async def onboard(site: Site, ip: str, lang: str) -> NoScriptBrowser:
    """Start, consent, and skip the three profile questions, by pressing the page's buttons."""
    me = site.visitor(ip)
    page = await me.open(f"/say?lang={lang}")
    assert page.status == 200 and not page.messages, page.text[:500]
    page = await me.press(translate(lang, "Start"))
    assert said(page, lang, p.CONSENT), page.messages
    page = await me.press(translate(lang, p.CONSENT_YES))
    assert said(page, lang, p.ASK_REGION), page.messages
    for question in (p.ASK_AGE, p.ASK_GENDER, p.MENU):
        page = await me.press(translate(lang, p.SKIP))
        assert said(page, lang, question), page.messages
    site.sessions.append(me.session)
    return me


def web_respondent(session: str, db: Path) -> dict[str, object]:
    pseudonym = PSEUDONYMS.pseudonym("web", session)
    rows = [r for r in table_rows(db, "respondent") if r["pseudonym"] == pseudonym]
    assert len(rows) == 1, rows
    return rows[0]


async def test_healthz_lists_the_web_channel(site: Site) -> None:
    me = site.visitor("198.51.100.200")
    response = await me.client.get("/healthz")
    assert "web" in response.text and "/say" in response.text, response.text


async def test_feedback_and_a_poll_answer_over_plain_forms(site: Site) -> None:
    me = await onboard(site, "198.51.100.7", "az")
    person = web_respondent(me.session, site.db)
    assert person["channel"] == "web" and person["consent_at"] and person["language"] == "az"
    page = await me.press(translate("az", p.MENU_FEEDBACK))
    assert said(page, "az", p.ASK_FEEDBACK), page.messages
    page = await me.write(
        "Kəndimizdə içməli su yoxdur, uşaqlar xəstələnir. Zəng edin: 050 123 45 67"
    )
    assert said(page, "az", p.THANKS), page.messages
    code = re.search(r"\b[A-Z0-9]{3}-?[A-Z0-9]{3}\b", page.messages[0])
    assert code is not None, page.messages
    ref = code.group(0).replace("-", "")
    rows = [r for r in table_rows(site.db, "feedback") if r["ref_code"] == ref]
    assert len(rows) == 1 and rows[0]["channel"] == "web", rows
    stored = str(rows[0]["text"])
    assert "123 45 67" not in stored and "su yoxdur" in stored  # redacted, then kept
    tags = [
        t["goal"] for t in table_rows(site.db, "feedback_tag") if t["feedback_id"] == rows[0]["id"]
    ]
    assert 6 in tags, tags  # tagged like every other channel: clean water
    # Asked which topic it is, as on Telegram: the writer's own tag.
    water = next(label for label, value in page.buttons.items() if value.endswith(":6"))
    page = await me.press(water)
    assert said(page, "az", p.TOPIC_THANKS), page.messages
    sources = {(t["goal"], t["source"]) for t in table_rows(site.db, "feedback_tag")}
    assert (6, "respondent") in sources, sources
    # The poll open to everyone, answered with its button.
    page = await me.press(translate("az", p.MENU_POLLS))
    assert "Is there enough water in your village?" in page.messages, page.messages
    page = await me.press("Not enough")
    assert said(page, "az", p.POLL_THANKS), page.messages
    answers = [a for a in table_rows(site.db, "poll_answer") if a["respondent_id"] == person["id"]]
    assert [(a["position"], a["channel"]) for a in answers] == [(1, "web")], answers
    # A browser cannot be written to first: its address is in no vault.
    assert table_rows(site.db, "contact") == []
    # The replies left with the pages: nothing waits in the outbox for this channel.
    # and no sealed session id stays behind with them.
    rows = table_rows(site.db, "outbox_message")
    assert [r for r in rows if r["status"] == "pending" or r["address_enc"] is not None] == []


async def test_a_form_sent_twice_is_one_message_and_a_reload_changes_nothing(site: Site) -> None:
    me = await onboard(site, "198.51.100.8", "ru")
    await me.press(translate("ru", p.MENU_FEEDBACK))
    form = me.form(text="В школе нет учителя математики уже полгода")
    first = await me.post(form)
    again = await me.post(form)  # the same form, e.g. a double tap or a resend after a timeout
    assert said(first, "ru", p.THANKS) and again.messages == first.messages
    person = web_respondent(me.session, site.db)
    rows = [r for r in table_rows(site.db, "feedback") if r["respondent_id"] == person["id"]]
    assert len(rows) == 1, rows
    before = snapshot(site.db)
    assert me.page is not None
    reloaded = await me.get("/say?lang=ru")
    assert reloaded.status_code == 200 and snapshot(site.db) == before


async def test_a_page_is_shown_only_to_its_own_conversation(site: Site) -> None:
    me = await onboard(site, "198.51.100.9", "en")
    response = await me.send(me.form(payload="menu:results"))
    assert response.status_code == 303
    location = response.headers["location"]
    assert (await me.open(location)).messages  # the replies, for the cookie that sent it
    stranger = site.visitor("198.51.100.10")
    seen = await stranger.open(location)
    assert seen.status == 200 and seen.messages == [], seen.messages


async def test_honeypot_is_refused_with_a_translated_message(site: Site) -> None:
    bot = site.visitor("203.0.113.50")
    await bot.open("/say?lang=ru")
    before = snapshot(site.db)
    page = await bot.post(bot.form(payload="lang:ru", website="http://spam.example"))
    assert page.status == 400 and page.notice == translate("ru", TRAPPED)
    assert snapshot(site.db) == before


async def test_a_form_without_its_cookie_or_token_is_refused(site: Site) -> None:
    me = site.visitor("203.0.113.51")
    await me.open("/say?lang=uk")
    fields = me.form(payload="lang:uk")
    before = snapshot(site.db)
    forged = await me.post(fields | {"csrf_token": "0" * 32})
    assert forged.status == 403 and forged.notice == translate("uk", EXPIRED)
    me.forget_cookie()
    cookieless = await me.post(fields)
    assert cookieless.status == 403 and cookieless.notice == translate("uk", EXPIRED)
    assert snapshot(site.db) == before


async def test_a_busy_network_works_for_its_messages_then_waits(site: Site) -> None:
    """Up to the soft limit nothing is asked; then a proof of work; past the hard limit, a wait."""
    clear_of_window_edge()
    me = site.visitor("203.0.113.60")
    await me.open("/say?lang=en")
    sent = 0
    while sent < SOFT:
        page = await me.post(me.form(work=False, payload="lang:en"))
        assert page.status == 200, (sent, page.notice)
        sent += 1
    # The next form carries a challenge; without script nothing solves it: asked to wait.
    assert me.page is not None and me.page.hidden().get("pow")
    refused = await me.post(me.form(work=False, payload="lang:en"))
    assert refused.status == 429 and refused.notice == translate("en", BUSY)
    assert translate("en", "Send again") in refused.buttons  # the same button, once more
    # With the work done (as the page's script does it), the message goes through.
    solved = me.form(payload="lang:en")
    accepted = await me.post(solved)
    assert accepted.status == 200 and said(accepted, "en", p.CONSENT), accepted.notice
    # A solved challenge is spent once.
    replay = await me.post(solved | {"submission": "f" * 32})
    assert replay.status == 429
    # Another client on another network is not affected.
    other = site.visitor("203.0.113.61")
    await other.open("/say?lang=en")
    assert not (other.page and other.page.hidden().get("pow"))
    # Past the hard limit even work does not help, and the page says how long to wait.
    while True:
        page = await me.post(me.form(payload="lang:en"))
        if page.status == 429 and "minutes" in page.notice:
            break
        assert page.status in (200, 429)
    minutes = int(re.findall(r"\d+", page.notice)[0])
    assert 1 <= minutes <= 10
    assert page.notice == translate("en", TOO_MANY, minutes=minutes)
    assert page.headers.get("retry-after")


async def test_pages_are_small_self_contained_and_locked_down(site: Site) -> None:
    for lang in LANGUAGE_CODES:
        me = site.visitor(f"192.0.2.{10 + LANGUAGE_CODES.index(lang)}")
        pages = [await me.open(f"/say?lang={lang}")]
        pages.append(await me.press(translate(lang, "Start")))  # the consent notice
        pages.append(await me.press(translate(lang, p.CONSENT_YES)))  # seventeen regions
        for page in pages:
            assert page.status == 200
            assert page.size < MAX_PAGE, (lang, page.size)
            assert 'lang="' + lang + '"' in page.text
            # Nothing to fetch: no stylesheet, script or image from anywhere.
            assert not re.search(r"<link|<img|<script src|https?://", page.text), lang
            csp = page.headers["content-security-policy"]
            assert "unsafe-inline" not in csp and "default-src 'none'" in csp
            cookie = page.headers.get("set-cookie", "")
            assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
            assert "Secure" in cookie  # FIKIR_PUBLIC_URL is https://
            assert page.headers["x-frame-options"] == "DENY"
        assert len(pages[2].buttons) >= 15  # the region question's buttons
        assert translate(lang, "Tell us what matters to you") in pages[0].text


async def test_poster_for_every_language(site: Site) -> None:
    me = site.visitor("192.0.2.99")
    folder = site.svc.workdir / "posters"
    folder.mkdir(exist_ok=True)
    for lang in LANGUAGE_CODES:
        response = await me.client.get("/say/poster.pdf", params={"lang": lang})
        assert response.status_code == 200, response.text[:300]
        assert response.headers["content-type"] == "application/pdf"
        path = folder / f"{lang}.pdf"
        path.write_bytes(response.content)
        text = pdf_text(path)
        flat = "".join(text.split())
        assert f"{PUBLIC_URL}/say?lang={lang}" in flat, text
        assert "t.me/fikir_az_bot" in flat, text
        assert "+9941255501" in flat, text
        assert keyword(translate(lang, JOIN)) == "join"  # the word printed is one fikir knows
        assert "".join(translate(lang, JOIN).split()) in flat, text


async def test_no_ip_address_or_session_id_is_kept(site: Site) -> None:
    if not site.sessions:
        await onboard(site, "198.51.100.77", "ka")
    assert site.ips and site.sessions
    needles = set(site.ips) | set(site.sessions)
    await site.svc.stop()  # the logs are complete, the database files at rest
    found = personal_data_found(site.svc.database_files, site.svc.logs(), needles)
    assert found == []
