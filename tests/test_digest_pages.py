"""The digests page shows the digest (preview, PDF, "send to me"), not its JSON; a month built
before its end says which days it covers, "so far", on the page and in the digest itself."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlmodel import col, select

from fikir.digest.period import Month
from fikir.digest.render import render_html, summary_text
from fikir.digest.span import span_label, span_of
from fikir.storage.models import AuditEvent, Digest, OutboxMessage, StaffUser
from tests.conftest import free_port, make_settings
from tests.test_digest_delivery import Mailbox
from tests.test_digest_render import Built, built  # noqa: F401 - the module's fixture
from tests.test_web_helpers import client_for, query, run, seed, sign_in, visitor

TZ = "Asia/Baku"
DEC_7 = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # noon in Baku on 7 December
MAIL = "mia@unicef.example"


@pytest.mark.parametrize(
    ("built_at", "lang", "locale", "expected"),
    [
        (DEC_7, "en", "en_GB", "1–7 December 2026 so far"),
        (datetime(2026, 12, 1, 0, 30, tzinfo=UTC), "en", "en_GB", "1 December 2026 so far"),
        (datetime(2027, 1, 1, 6, tzinfo=UTC), "en", "en_GB", "1–31 December 2026"),
        (DEC_7, "ru", "ru", "1–7 декабря 2026 (пока)"),
        (DEC_7, "az", "az", "1–7 dekabr 2026 (indiyədək)"),
    ],
)
def test_the_days_a_digest_covers(
    built_at: datetime, lang: str, locale: str, expected: str
) -> None:
    found = span_of(Month(2026, 12), TZ, built_at)
    assert span_label(found, lang, locale) == expected


def test_a_digest_built_midmonth_says_so_far_in_its_own_pages(built: Built) -> None:  # noqa: F811
    """The HTML (and so the PDF) and the summary name the days counted, not the whole month."""
    midway = dataclasses.replace(built.doc, generated_at=datetime(2026, 10, 7, 8, tzinfo=UTC))
    html = render_html(midway, "en", built.files["en"].charts, built.out)
    assert "1–7 October 2026 so far" in html
    assert "31 October" not in html
    assert summary_text(midway, "en").startswith("fikir digest for 1–7 October 2026 so far")
    whole = render_html(built.doc, "en", built.files["en"].charts, built.out)
    assert "so far" not in whole and "31 October 2026" in whole


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox(free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, mailbox: Mailbox
) -> Iterator[tuple[TestClient, Path]]:
    from fikir.storage.migrate import upgrade

    tmp: Path = tmp_path_factory.mktemp("digestpages")
    url = f"sqlite:///{tmp / 'fikir.db'}"
    upgrade(url)
    settings = make_settings(tmp, url, smtp_url=mailbox.url, timezone=TZ)
    seed(settings, {"ana": "analyst", MAIL: "viewer"}, [])

    async def store() -> None:
        from fikir.runtime import build_runtime

        runtime = build_runtime(settings)
        try:
            async with runtime.sessions() as session, session.begin():
                ana = (await session.exec(select(StaffUser).where(StaffUser.name == "ana"))).one()
                ana.telegram_pseudonym = "a" * 64
                session.add(ana)
                session.add(Digest(month="2026-12", data='{"schema": "raw"}', built_at=DEC_7))
                session.add(
                    Digest(
                        month="2026-11",
                        data='{"schema": "raw"}',
                        built_at=datetime(2026, 12, 1, 5, tzinfo=UTC),
                    )
                )
        finally:
            await runtime.close()

    run(store())
    folder = settings.data_dir.resolve() / "digests" / "2026-12"
    folder.mkdir(parents=True)
    (folder / "fikir-digest-2026-12-en.html").write_text("<h1>digest</h1>", encoding="utf-8")
    (folder / "fikir-digest-2026-12-en.pdf").write_bytes(b"%PDF-1.4 digest")
    with client_for(settings) as client:
        yield client, tmp


def test_the_list_and_the_page_say_so_far_with_dates(site: tuple[TestClient, Path]) -> None:
    browser = visitor(site[0])
    sign_in(browser, "ana")
    listing = browser.get("/admin/digests").text
    assert "1–7 December 2026 so far" in listing
    assert "November 2026" in listing and "1–30 November" not in listing
    page = browser.get("/admin/digests/2026-12").text
    assert "1–7 December 2026 so far" in page and "1–31 December" not in page
    assert '"schema"' not in page and "&#34;schema&#34;" not in page  # no raw JSON
    assert '<iframe class="digest-preview" src="/admin/digests/2026-12/files/' in page
    assert 'href="/admin/digests/2026-12/files/fikir-digest-2026-12-en.pdf" download' in page
    assert "so far" not in browser.get("/admin/digests/2026-11").text


def _outbox(settings_tmp: Path) -> list[OutboxMessage]:
    from tests.conftest import make_settings as again

    settings = again(settings_tmp, f"sqlite:///{settings_tmp / 'fikir.db'}")
    return list(query(settings, select(OutboxMessage).where(OutboxMessage.kind == "digest")))


def test_send_to_me_by_telegram_once_per_build(site: tuple[TestClient, Path]) -> None:
    browser = visitor(site[0])
    token = sign_in(browser, "ana")
    page = browser.get("/admin/digests/2026-12").text
    assert 'value="telegram"' in page and 'value="email"' not in page  # "ana" is no address
    for expected in ("queued", "skipped"):
        sent = browser.post(
            "/admin/digests/2026-12/send",
            data={"csrf_token": token, "channel": "telegram"},
            follow_redirects=False,
        )
        assert sent.headers["location"] == f"/admin/digests/2026-12?status={expected}"
    queued = _outbox(site[1])
    assert len(queued) == 1 and queued[0].pseudonym == "a" * 64
    assert "fikir-digest-2026-12-en.pdf" in queued[0].payload


def test_send_to_me_by_email_audited_without_the_address(
    site: tuple[TestClient, Path], mailbox: Mailbox
) -> None:
    browser = visitor(site[0])
    token = sign_in(browser, MAIL)
    page = browser.get("/admin/digests/2026-12").text
    assert 'value="email"' in page and 'value="telegram"' not in page
    sent = browser.post(
        "/admin/digests/2026-12/send",
        data={"csrf_token": token, "channel": "email"},
        follow_redirects=False,
    )
    assert sent.headers["location"].endswith("status=emailed")
    assert "on its way" in browser.get(sent.headers["location"]).text
    (message,) = mailbox.to(MAIL)
    attachment = next(message.iter_attachments())
    assert attachment.get_content() == b"%PDF-1.4 digest"
    settings = make_settings(site[1], f"sqlite:///{site[1] / 'fikir.db'}")
    details = query(
        settings,
        select(AuditEvent.detail).where(col(AuditEvent.action) == "send_digest"),
    )
    assert details and all("@" not in detail for detail in details)
