"""First run: the setup link names the account it sets up, Home lists what is still to set up,
and the inbox says how many test messages it leaves out and how to see them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from fikir.config.settings import Settings
from fikir.staff.accounts import issue_code
from fikir.storage.models import Poll, StaffUser
from tests.conftest import make_settings
from tests.test_web_helpers import Message, auto, client_for, run, seed, sign_in, visitor


def _messages() -> list[Message]:
    found = [Message(f"w{i}", f"Su yoxdur {i}", tags=auto(6)) for i in range(6)]
    found += [Message(f"t{i}", f"sınaq {i}", channel="simulator", tags=auto(6)) for i in range(3)]
    found.append(Message("c0", "console test", channel="console", tags=auto(4)))
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, TestClient]]:
    from fikir.storage.migrate import upgrade

    tmp: Path = tmp_path_factory.mktemp("firstrun")
    url = f"sqlite:///{tmp / 'fikir.db'}"
    upgrade(url)
    settings = make_settings(tmp, url)
    seed(settings, {"ada": "admin"}, _messages())
    with client_for(settings) as client:
        yield settings, client


async def _code_for(settings: Settings, name: str) -> str:
    from fikir.runtime import build_runtime
    from fikir.staff.accounts import add_staff

    runtime = build_runtime(settings)
    try:
        async with runtime.sessions() as session, session.begin():
            user, _ = await add_staff(session, name, "analyst", "en", datetime.now(UTC))
            code = issue_code(user, datetime.now(UTC))
            session.add(user)
            return code
    finally:
        await runtime.close()


def test_setup_page_names_the_account(site: tuple[Settings, TestClient]) -> None:
    settings, client = site
    code = run(_code_for(settings, "leyla.h"))
    page = visitor(client).get(f"/admin/setup?code={code}").text
    assert "You are setting up the account “leyla.h” (analyst)." in page
    assert "leyla.h" not in visitor(client).get("/admin/setup?code=wrong").text


def test_home_checklist_until_everything_is_set_up(site: tuple[Settings, TestClient]) -> None:
    settings, client = site
    admin = visitor(client)
    sign_in(admin, "ada")
    page = admin.get("/admin/").text
    assert "Getting started" in page
    for key, state in (("channels", "todo"), ("digest", "todo"), ("poll", "todo")):
        assert f'<li id="step-{key}" class="{state}">' in page

    async def finish() -> None:
        from fikir.runtime import build_runtime

        runtime = build_runtime(settings)
        try:
            async with runtime.sessions() as session, session.begin():
                ada = (await session.exec(select(StaffUser).where(StaffUser.name == "ada"))).one()
                ada.telegram_pseudonym = "b" * 64
                session.add(ada)
                session.add(Poll(slug="first", question="{}", status="draft"))
        finally:
            await runtime.close()

    run(finish())
    page = admin.get("/admin/").text
    assert '<li id="step-digest" class="done">' in page
    assert '<li id="step-poll" class="done">' in page
    assert '<li id="step-staff" class="done">' in page  # leyla.h was added above
    assert '<li id="step-channels" class="todo">' in page


def test_inbox_says_how_many_test_messages_it_hides(site: tuple[Settings, TestClient]) -> None:
    _, client = site
    admin = visitor(client)
    sign_in(admin, "ada")
    page = admin.get("/admin/inbox").text
    assert "Test messages from Simulator (Telegram style) not shown here: 3." in page
    assert "Test messages from Console (fikir chat) not shown here: 1." in page
    assert 'href="/admin/inbox?channel=simulator"' in page
    shown = admin.get("/admin/inbox?channel=simulator").text
    assert "sınaq 0" in shown and "not shown here" not in shown
