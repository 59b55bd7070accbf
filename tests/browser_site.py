"""A real fikir service on loopback and a headless Chromium for the browser tests that need a
richer site than test_browser_dashboard's: one poll, one update, a safety case, digests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn
import yaml
from sqlmodel import select

from fikir.config.settings import Settings
from fikir.digest.period import Month
from fikir.runtime import build_runtime
from fikir.staff.accounts import issue_code
from fikir.storage.models import StaffUser
from fikir.storage.safety_tables import FeedbackSafety, SafetyCase
from fikir.surveys.spec import SurveySpec, create_survey
from tests.conftest import BROWSER_MISSING, find_chromium, free_port, make_settings, need_service
from tests.test_browser_dashboard import ARGS
from tests.test_web_helpers import Message, auto, build_app, run, seed

TELEGRAM_OF_ADA = "a" * 64  # the admin's linked Telegram chat (a pseudonym), for "send to me"
SAFETY_TEXT = "Qonşum məni hədələyir"


def messages() -> list[Message]:
    """Enough people for figures above k, a safety message, and test messages the inbox hides."""
    found = [Message(f"w{i}", f"Kəndimizdə içməli su yoxdur {i}", tags=auto(6)) for i in range(7)]
    found += [
        Message(f"s{i}", f"В школе нет учителей {i}", "ru", "sms-twilio", "ganja_dashkasan",
                tags=auto(4))
        for i in range(6)
    ]  # fmt: skip
    found.append(Message("victim", SAFETY_TEXT, tags=auto(16)))
    found += [Message(f"t{i}", f"sınaq {i}", channel="simulator", tags=auto(6)) for i in range(3)]
    found.append(Message("c0", "console test", channel="console", tags=auto(4)))
    return found


class Site:
    """The running service: its address, settings, and ids of what was seeded."""

    def __init__(self, base: str, settings: Settings, feedback_id: int, case_id: int) -> None:
        self.base = base
        self.settings = settings
        self.feedback_id = feedback_id
        self.case_id = case_id

    def setup_code(self, name: str, role: str = "analyst") -> str:
        """A one-time setup link's code for a new staff account (as `fikir staff add` prints)."""
        return run(_new_account(self.settings, name, role))


async def _new_account(settings: Settings, name: str, role: str) -> str:
    from fikir.staff.accounts import add_staff

    runtime = build_runtime(settings)
    try:
        async with runtime.sessions() as session, session.begin():
            user, _ = await add_staff(session, name, role, "en", datetime.now(UTC))
            code = issue_code(user, datetime.now(UTC))
            session.add(user)
            return code
    finally:
        await runtime.close()


ROOT = Path(__file__).resolve().parent.parent
SURVEY_SLUG = "water-survey-2026-12"


async def _prepare(settings: Settings, flagged: int, survey: bool) -> int:
    """Link the admin's Telegram and open a safety case on the flagged message."""
    runtime = build_runtime(settings)
    try:
        async with runtime.sessions() as session, session.begin():
            ada = (await session.exec(select(StaffUser).where(StaffUser.name == "ada"))).one()
            ada.telegram_pseudonym = TELEGRAM_OF_ADA
            session.add(ada)
            session.add(FeedbackSafety(feedback_id=flagged, category="threat"))
            case = SafetyCase(feedback_id=flagged, created_at=datetime.now(UTC))
            session.add(case)
            if survey:  # docs/survey-example.yaml as staff write it
                example = yaml.safe_load((ROOT / "docs" / "survey-example.yaml").read_text("utf-8"))
                await create_survey(session, SurveySpec.from_dict(example))
            await session.flush()
            return case.id or 0
    finally:
        await runtime.close()


async def store_digest_month(settings: Settings, month: str, now: datetime) -> None:
    """Seeded messages of `month` (tests/test_digest_seed), built and rendered where the
    dashboard serves digests from, as the scheduler would."""
    from fikir.digest.build import build, render_files
    from fikir.web.admin.digests import folder
    from tests.test_digest_seed import make_seed, store_seed

    runtime = build_runtime(settings)
    try:
        async with runtime.sessions() as session, session.begin():
            await store_seed(session, make_seed())
        doc = await build(runtime, month, now)
        directory = folder(settings, month)
        assert directory is not None
        await render_files(doc, directory)
    finally:
        await runtime.close()


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The service under uvicorn in a thread, for the block; yields its base URL."""
    config = uvicorn.Config(
        build_app(settings), host=settings.host, port=settings.port, log_level="warning",
        lifespan="on",
    )  # fmt: skip
    service = uvicorn.Server(config)
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not service.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the service did not start")
        time.sleep(0.05)
    try:
        yield f"http://{settings.host}:{settings.port}"
    finally:
        service.should_exit = True
        thread.join(timeout=10)


def need_chromium() -> None:
    """Skip, saying how to install it, where no Chromium is found."""
    if find_chromium() is None:
        need_service(BROWSER_MISSING)


@contextmanager
def site_running(
    tmp: Path, digest_month: str | None = None, survey: bool = False, **overrides: Any
) -> Iterator[Site]:
    """A seeded service: admin "ada", analyst "ana", messages, a safety case, the digest of
    `digest_month` built (from tests/test_digest_seed's messages, which come first: they bring
    their own row ids) and, when asked, a draft survey (a first-run site has no poll)."""
    need_chromium()
    from fikir.storage.migrate import upgrade

    url = f"sqlite:///{tmp / 'fikir.db'}"
    upgrade(url)
    port = free_port()
    settings = make_settings(
        tmp, url, host="127.0.0.1", port=port, telegram_bot_username="fikir_test_bot", **overrides
    )
    if digest_month is not None:
        built_at = Month.parse(digest_month).next().start(settings.timezone) + timedelta(hours=5)
        run(store_digest_month(settings, digest_month, built_at))
    seeded = seed(settings, {"ada": "admin", "ana": "analyst"}, messages())
    feedback_id = seeded.feedback_ids["w0:Kəndimizdə içməli su yoxdur 0"]
    case_id = run(_prepare(settings, seeded.feedback_ids[f"victim:{SAFETY_TEXT}"], survey))
    with serving(settings) as base:
        yield Site(base, settings, feedback_id, case_id)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (Playwright's sync API), closed after the block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=find_chromium(), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
