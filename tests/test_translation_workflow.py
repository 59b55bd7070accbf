"""On the dashboard: which languages of a poll are its own and which fall back (and to what), a
community translation downloaded, filled, checked on upload and used from then on, reviewed,
and admins' fallback chains deciding the text and the SMS cost of each group."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import select

from fikir.config.settings import Settings
from fikir.outbox.message import OutboundMessage
from fikir.outbox.segments import count_segments, to_gsm7_azerbaijani
from fikir.storage.language_tables import TextTranslation
from fikir.storage.models import AuditEvent, OutboxMessage
from fikir.translations.exchange import Entry, Sheet, read_upload, to_po, to_xlsx
from tests.conftest import make_settings
from tests.test_poll_open_confirm import onboard
from tests.test_web_helpers import client_for, plan_token_of, query, seed, sign_in, visitor

QUESTION = "Kəndinizdə {place} üçün ən vacib nədir?"
OPTIONS = ("Su", "Yollar", "Məktəblər")
TALYSH = ("Şımə diyədə {place} çiçi lozımə?", "Ov", "Rəon", "Məktəbon")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Settings, TestClient, str, TestClient, str]]:
    from fikir.storage.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'fikir.db'}"
    upgrade(url)
    settings = make_settings(tmp_path, url, sms_segment_cost=0.1)
    seed(settings, {"ana": "analyst", "adam": "admin"}, [])
    onboard(settings, "sms", [f"+99450556{i:04d}" for i in range(5)], "tly")
    onboard(settings, "sms", [f"+99450557{i:04d}" for i in range(5)], "ka")
    with client_for(settings) as client, client_for(settings) as other:
        analyst, admin = visitor(client), visitor(other)
        yield settings, analyst, sign_in(analyst, "ana"), admin, sign_in(admin, "adam")


def _create(browser: TestClient, token: str, texts: dict[str, tuple[str, ...]]) -> None:
    form = {"csrf_token": token, "slug": "water", "share_results": "1"}
    for lang, (question, *options) in texts.items():
        form[f"q_{lang}"] = question
        form.update({f"o{i}_{lang}": text for i, text in enumerate(options)})
    created = browser.post("/admin/polls", data=form, follow_redirects=False)
    assert created.status_code == 303, created.text[:2000]


def _row(page: str, lang: str) -> tuple[str, str]:
    found = re.search(rf'<tr data-lang="{lang}" data-status="(\w+)" data-gets="(\w*)"', page)
    assert found, page
    return found.group(1), found.group(2)


def _upload(browser: TestClient, token: str, lang: str, name: str, data: bytes) -> str:
    response = browser.post(
        f"/admin/translations/poll/1/{lang}",
        data={"csrf_token": token},
        files={"file": (name, data, "application/octet-stream")},
    )
    return f"{response.status_code} {response.text}"


def test_a_translation_is_checked_saved_used_and_reviewed(
    site: tuple[Settings, TestClient, str, TestClient, str],
) -> None:
    settings, browser, token, _, _ = site
    _create(browser, token, {"az": (QUESTION, *OPTIONS)})
    page = browser.get("/admin/polls/water").text
    assert _row(page, "az") == ("native", "az")
    for lang in ("tly", "lez", "ka", "ru", "uk", "jdt", "en"):
        assert _row(page, lang) == ("fallback", "az"), lang
    assert "falls back to Azərbaycanca" in page

    # The confirmation counts the Azerbaijani text Talysh and Georgian SMS readers get.
    preview = browser.post("/admin/polls/water/open", data={"csrf_token": token}).text
    assert (
        'data-lang="tly" data-gets="az"' in preview and 'data-lang="ka" data-gets="az"' in preview
    )
    az_sms = to_gsm7_azerbaijani(f"{QUESTION}\n1 Su  2 Yollar  3 Məktəblər")
    parts = count_segments(az_sms).segments
    assert f"SMS: {10 * parts} segments, about ${10 * parts * 0.1:.2f}" in preview

    # The translator's workbook: the Azerbaijani texts beside empty cells for Talysh.
    download = browser.get("/admin/translations/poll/1/tly.xlsx")
    assert download.status_code == 200 and download.content[:2] == b"PK"
    rows = list(load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("fikir translation", "poll:1", "tly", "az")
    assert [row[:2] for row in rows[2:]] == [
        ("question", QUESTION),
        *((f"option {i}", text) for i, text in enumerate(OPTIONS, 1)),
    ]
    po = browser.get("/admin/translations/poll/1/tly.po")
    assert po.status_code == 200 and 'msgctxt "poll:1|question"' in po.text
    assert browser.get("/admin/translations/poll/1/az.po").status_code == 404  # staff's own

    sheet = read_upload("tly.xlsx", download.content)
    filled = Sheet(sheet.item, "tly", "az", tuple(
        Entry(e.key, e.source, text) for e, text in zip(sheet.entries, TALYSH, strict=True)
    ))  # fmt: skip

    # Refused, with a reason, and nothing saved: a lost placeholder, an empty text, another
    # language's or poll's file, a file that is no translation at all.
    lost = Sheet(filled.item, "tly", "az", (Entry("question", QUESTION, "Çiçi lozımə?"),
                                            *filled.entries[1:]))  # fmt: skip
    empty = Sheet(filled.item, "tly", "az", (*filled.entries[:3], Entry("option 3", "x", " ")))
    cases = {
        "placeholders differ from the original ({place})": to_po(lost),
        "option 3: the translation is empty": to_xlsx(empty),
        "holds texts in lez, not in tly": to_po(Sheet("poll:1", "lez", "az", filled.entries)),
        "This file is for poll:7, not for this page (poll:1)": to_xlsx(
            Sheet("poll:7", "tly", "az", filled.entries)
        ),
        "The file could not be read": b"%PDF-1.4 not a translation",
    }
    for reason, data in cases.items():
        answer = _upload(browser, token, "tly", "t.po", data)
        assert answer.startswith("400") and reason in answer, (reason, answer[:3000])
    assert not query(settings, select(TextTranslation))
    assert _row(browser.get("/admin/polls/water").text, "tly") == ("fallback", "az")

    saved = _upload(browser, token, "tly", "tly.xlsx", to_xlsx(filled))
    assert saved.startswith("200") and "readers in Tolışi get this translation" in saved
    assert re.search(r"By SMS it takes \d parts?\.", saved)
    page = browser.get("/admin/polls/water").text
    assert _row(page, "tly") == ("translated", "tly") and _row(page, "ka") == ("fallback", "az")

    # From then on Talysh readers get the Talysh text; Georgian readers still the Azerbaijani.
    preview = browser.post("/admin/polls/water/open", data={"csrf_token": token}).text
    assert 'data-lang="tly" data-gets="tly"' in preview
    browser.post(
        "/admin/polls/water/open",
        data={"csrf_token": token, "plan_token": plan_token_of(preview)},
    )
    sent = {
        OutboundMessage.from_json(row.payload).text
        for row in query(settings, select(OutboxMessage).where(OutboxMessage.kind == "poll"))
    }
    talysh = to_gsm7_azerbaijani(f"{TALYSH[0]}\n1 Ov  2 Rəon  3 Məktəbon")
    assert sent == {talysh, az_sms}

    reviewed = browser.post(
        "/admin/translations/poll/1/tly/review", data={"csrf_token": token}, follow_redirects=False
    )
    assert reviewed.status_code == 303 and reviewed.headers["location"] == "/admin/polls/water"
    [row] = query(settings, select(TextTranslation))
    assert row.reviewed_at is not None and row.reviewed_by is not None
    assert _row(browser.get("/admin/polls/water").text, "tly") == ("reviewed", "tly")
    # A translation longer than the SMS budget is saved, with a warning on the page.
    long = ("რა არის ყველაზე მნიშვნელოვანი {place} " * 5, "წყალი", "გზები", "სკოლები")
    georgian = Sheet("poll:1", "ka", "az", tuple(
        Entry(e.key, e.source, text) for e, text in zip(sheet.entries, long, strict=True)
    ))  # fmt: skip
    warned = _upload(browser, token, "ka", "ka.po", to_po(georgian))
    assert warned.startswith("200") and 'id="translation-long"' in warned
    assert "That is more than 2 SMS parts" in warned
    actions = [e.action for e in query(settings, select(AuditEvent))]
    for action in ("translation download", "translation refused", "translation upload",
                   "translation reviewed"):  # fmt: skip
        assert action in actions, action


def test_admins_edit_fallback_chains_and_the_cost_follows(
    site: tuple[Settings, TestClient, str, TestClient, str],
) -> None:
    settings, browser, token, admin, admin_token = site
    russian = ("Что важнее всего в вашем селе ({place})?", "Вода", "Дороги", "Школы")
    _create(browser, token, {"az": (QUESTION, *OPTIONS), "ru": russian})
    assert _row(browser.get("/admin/polls/water").text, "ka") == ("fallback", "az")
    assert browser.get("/admin/languages").status_code == 403  # analysts cannot

    refused = admin.post("/admin/languages/ka", data={"csrf_token": admin_token, "chain": "xx"})
    assert refused.status_code == 400 and "Use language codes such as az, ru" in refused.text
    saved = admin.post(
        "/admin/languages/ka",
        data={"csrf_token": admin_token, "chain": "ru, az"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = admin.get("/admin/languages").text
    assert "ka → ru → az" in page and "default: az, ru" in page
    [event] = query(settings, select(AuditEvent).where(AuditEvent.action == "fallback"))
    assert event.object_id == "ka" and event.detail == "az > ru => ru > az"

    assert _row(browser.get("/admin/polls/water").text, "ka") == ("fallback", "ru")
    preview = browser.post("/admin/polls/water/open", data={"csrf_token": token}).text
    assert 'data-lang="ka" data-gets="ru"' in preview
    ru_sms = f"{russian[0]}\n1 Вода  2 Дороги  3 Школы"
    az_sms = to_gsm7_azerbaijani(f"{QUESTION}\n1 Su  2 Yollar  3 Məktəblər")
    total = 5 * count_segments(ru_sms).segments + 5 * count_segments(az_sms).segments
    assert f"SMS: {total} segments, about ${total * 0.1:.2f}" in preview
    assert count_segments(ru_sms).encoding == "UCS-2"  # the Russian text costs what it costs


def test_an_update_is_translated_the_same_way(
    site: tuple[Settings, TestClient, str, TestClient, str],
) -> None:
    from fikir.storage.models import StaffUpdate
    from fikir.updates.model import view

    settings, browser, token, _, _ = site
    form = {"csrf_token": token, "goal": "6", "t_az": "Su xətti", "b_az": "12 kəndə su çəkildi.",
            "t_ru": "Водопровод", "b_ru": "В 12 сёл провели воду."}  # fmt: skip
    created = browser.post("/admin/updates", data=form, follow_redirects=False)
    assert created.status_code == 303, created.text[:2000]
    page = browser.get(created.headers["location"]).text
    assert _row(page, "uk") == ("fallback", "ru") and _row(page, "tly") == ("fallback", "az")
    download = browser.get("/admin/translations/update/1/uk.po")
    sheet = read_upload("uk.po", download.content)
    assert (sheet.item, sheet.language) == ("update:1", "uk")
    assert [(e.key, e.source) for e in sheet.entries] == [
        ("title", "Водопровод"), ("body", "В 12 сёл провели воду.")
    ]  # fmt: skip
    texts = {"title": "Водогін", "body": "До 12 сіл провели воду."}
    filled = Sheet("update:1", "uk", "ru",
                   tuple(Entry(e.key, e.source, texts[e.key]) for e in sheet.entries))  # fmt: skip
    answer = browser.post(
        "/admin/translations/update/1/uk",
        data={"csrf_token": token},
        files={"file": ("uk.po", to_po(filled), "text/plain")},
    )
    assert answer.status_code == 200 and "By SMS it takes 1 part." in answer.text
    [stored] = query(settings, select(StaffUpdate))
    loaded = view(stored)
    assert (loaded.title_in("uk"), loaded.body_in("uk")) == ("Водогін", "До 12 сіл провели воду.")
    assert loaded.title_in("tly") == "Su xətti"
    assert _row(browser.get("/admin/updates/1").text, "uk") == ("translated", "uk")


@pytest.fixture
def talysh_catalogue() -> Iterator[Path]:
    """The Talysh catalogue, put back as it was after the test writes into it."""
    from fikir.i18n.catalog import po_path, reload

    path = po_path("tly")
    kept = path.read_bytes()
    try:
        yield path
    finally:
        path.write_bytes(kept)
        reload()


def test_admins_exchange_a_languages_catalogue_strings(
    site: tuple[Settings, TestClient, str, TestClient, str], talysh_catalogue: Path
) -> None:
    from fikir.i18n import translate

    settings, browser, token, admin, admin_token = site
    pending = re.search(r'data-lang="tly" data-pending="(\d+)"', admin.get("/admin/languages").text)
    assert pending and int(pending.group(1)) > 0
    assert browser.get("/admin/languages/tly/catalogue.po").status_code == 403  # admins only
    download = admin.get("/admin/languages/tly/catalogue.xlsx")
    sheet = read_upload("tly.xlsx", download.content)
    assert (sheet.item, sheet.language, len(sheet.entries)) == (
        "catalogue:tly", "tly", int(pending.group(1))
    )  # fmt: skip
    entry = next(e for e in sheet.entries if "{organisation}" in e.source and "[" not in e.key)
    reworded = entry.text.replace("{organisation}", "{organisation} (UN)")

    def upload(entries: tuple[Entry, ...], item: str = "catalogue:tly") -> str:
        data = to_po(Sheet(item, "tly", "en", entries))
        answer = admin.post(
            "/admin/languages/tly/catalogue",
            data={"csrf_token": admin_token},
            files={"file": ("tly.po", data, "text/plain")},
        )
        return f"{answer.status_code} {answer.text}"

    before = talysh_catalogue.read_bytes()
    lost = upload((Entry(entry.key, entry.source, entry.text.replace("{organisation}", "")),))
    assert (
        lost.startswith("400") and "placeholders differ from the original ({organisation})" in lost
    )
    other = upload((Entry(entry.key, entry.source, reworded),), item="catalogue:lez")
    assert other.startswith("400") and "This file is for catalogue:lez" in other
    assert talysh_catalogue.read_bytes() == before  # nothing written

    saved = upload((Entry(entry.key, entry.source, reworded),))
    assert saved.startswith("200") and "readers in Tolışi get this translation" in saved
    assert translate("tly", entry.key, organisation="X") == reworded.format(organisation="X")
    after = re.search(r'data-lang="tly" data-pending="(\d+)"', admin.get("/admin/languages").text)
    assert after and int(after.group(1)) == int(pending.group(1)) - 1
    events = query(settings, select(AuditEvent).where(AuditEvent.object_type == "catalogue"))
    assert [e.action for e in events] == [
        "translation download", "translation refused", "translation refused", "translation upload"
    ]  # fmt: skip
