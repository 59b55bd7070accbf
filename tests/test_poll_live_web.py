"""The live meeting page: staff sign in for it; a public copy exists only if the poll allows
it, sets no cookie and shows the same batched, rounded figures; join instructions with a QR."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from fikir.config.settings import Settings
from fikir.storage.models import Poll
from tests.conftest import make_settings
from tests.test_web_helpers import answer, client_for, query, seed, sign_in, visitor
from tests.test_web_pages import _poll_form

BOT = "https://t.me/fikir_test_bot"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Settings, TestClient, TestClient, str]]:
    from fikir.storage.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'fikir.db'}"
    upgrade(url)
    settings = make_settings(
        tmp_path, url, telegram_bot_username="fikir_test_bot", sms_number="+994 12 555 0100"
    )
    seed(settings, {"ana": "analyst"}, [])
    with client_for(settings) as client:
        staff = visitor(client)
        yield settings, staff, visitor(client), sign_in(staff, "ana")


def test_staff_and_public_live_pages(site: tuple[Settings, TestClient, TestClient, str]) -> None:
    settings, staff, public, token = site
    staff.post("/admin/polls", data=_poll_form(token, "closed-room"))
    staff.post("/admin/polls", data=_poll_form(token, "town-hall") | {"live_public": "1"})
    for slug in ("closed-room", "town-hall"):
        answer(settings, slug, [0] * 4)  # under k: nothing shown yet

    assert public.get("/admin/polls/town-hall/live", follow_redirects=False).status_code == 303
    page = staff.get("/admin/polls/town-hall/live")
    assert page.status_code == 200
    assert "<svg" in page.text and BOT in page.text and "+994 12 555 0100" in page.text
    assert 'id="live-waiting"' in page.text and "Results appear once at least 5" in page.text
    assert staff.get("/admin/polls/town-hall/live.json").json() == {
        "shown": False,
        "total": 0,
        "shares": {},
        "other": None,
    }
    # The public copy: only for the poll that allows it, and never before it opens.
    assert public.get("/live/closed-room").status_code == 404
    assert public.get("/live/closed-room.json").status_code == 404
    assert public.get("/live/town-hall").status_code == 404  # still a draft
    _open(settings, "town-hall")
    shown = public.get("/live/town-hall?lang=ru")
    assert shown.status_code == 200 and "set-cookie" not in shown.headers
    assert 'lang="ru"' in shown.text and "Which matters most? (ru)" in shown.text
    assert public.get("/live/town-hall.json").json()["shown"] is False
    answer(settings, "town-hall", [0] * 6 + [1] * 5 + [2] * 5, start=4)  # 20: a snapshot is due
    data = public.get("/live/town-hall.json").json()
    assert data == {
        "shown": True,
        "total": 20,
        "shares": {"0": 50, "1": 25, "2": 25},
        "other": None,
    }
    assert 'width="50"' in public.get("/live/town-hall").text  # the same without script
    assert query(settings, select(Poll.live_at).where(Poll.slug == "town-hall"))[0] is not None


def _open(settings: Settings, slug: str) -> None:
    from datetime import UTC, datetime

    from fikir.polls.manage import set_status
    from fikir.runtime import build_runtime
    from tests.test_web_helpers import run

    async def work() -> None:
        runtime = build_runtime(settings)
        try:
            async with runtime.sessions() as session, session.begin():
                await set_status(session, slug, "open", datetime.now(UTC))
        finally:
            await runtime.close()

    run(work())
