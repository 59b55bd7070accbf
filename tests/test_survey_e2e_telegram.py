"""Acceptance: a three-question survey with a skip rule, end to end over Telegram.

The real `fikir run` polls the loopback Bot API; the survey is opened from the database side as
staff would (`fikir poll open`), its first question reaches everyone by the outbox, and people
answer by buttons and by typing. Answers are stored, the skip rule is honoured, and with fewer
than k people no figure of any question is shown.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import pytest_asyncio

from fikir.config.settings import Settings
from fikir.dialog import prompts as p
from fikir.dialog.outreach import open_poll
from fikir.polls.lifecycle import close_poll
from fikir.polls.texts import RESULTS_THANKS
from fikir.storage.engine import create_async_db_engine, make_sessionmaker
from fikir.surveys import share, texts
from fikir.surveys.results import survey_results
from fikir.surveys.service import load_survey
from fikir.surveys.spec import SurveySpec, create_survey
from tests.fakes.fikir_process import FikirProcess, table_rows
from tests.fakes.telegram_server import FakeTelegram, FakeUser, SentMessage
from tests.harness import spoken
from tests.survey_data import WATER_SURVEY

pytestmark = pytest.mark.asyncio(loop_scope="module")

AYSEL = FakeUser(7512345601, "Aysel", "Quliyeva", "aysel_q_2001", "az")
IGOR = FakeUser(7512345602, "Игорь", "Смирнов", "igor_smirnov_sum", "ru")


@dataclass
class Service:
    fake: FakeTelegram
    process: FikirProcess


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def service(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Service]:
    fake = FakeTelegram()
    await fake.start()
    process = FikirProcess(
        tmp_path_factory.mktemp("survey-telegram"),
        {"FIKIR_TELEGRAM_TOKEN": fake.token, "FIKIR_TELEGRAM_API_URL": fake.url},
    )
    try:
        await process.start(timeout=120)  # a loaded CI machine starts slowly
        await fake.wait_for(lambda: bool(fake.calls_to("getUpdates")), 20, "polling")
        yield Service(fake, process)
    finally:
        await process.stop()
        await fake.stop()


async def _next(service: Service, user: FakeUser, count: int = 1) -> list[SentMessage]:
    before = len(service.fake.to_chat(user.id))

    async def wait() -> list[SentMessage]:
        return (await service.fake.replies(user.id, before + count, timeout=20))[before:]

    return await wait()


async def _say(service: Service, user: FakeUser, text: str, count: int = 1) -> list[SentMessage]:
    before = len(service.fake.to_chat(user.id))
    service.fake.say(user, text)
    return (await service.fake.replies(user.id, before + count, timeout=20))[before:]


async def _press(
    service: Service, user: FakeUser, label_or_data: str, count: int = 1
) -> list[SentMessage]:
    fake = service.fake
    before = len(fake.to_chat(user.id))
    last = next(m for m in reversed(fake.to_chat(user.id)) if m.buttons)
    fake.press(user, last, label_or_data)
    return (await fake.replies(user.id, before + count, timeout=20))[before:]


async def _onboard(service: Service, user: FakeUser) -> None:
    lang = str(user.language_code)
    await _say(service, user, "/start")
    await _press(service, user, f"lang:{lang}")
    await _press(service, user, "consent:yes", count=2)
    await _press(service, user, "region:baku")
    await _press(service, user, "age:18_24")
    await _press(service, user, "gender:skip")


async def _open_survey(url: str) -> None:
    db = create_async_db_engine(url)
    try:
        async with make_sessionmaker(db)() as session, session.begin():
            spec = SurveySpec.from_dict(WATER_SURVEY)
            await create_survey(session, spec)
            await open_poll(session, spec.poll.slug, Settings(), datetime.now(UTC))
    finally:
        await db.dispose()


async def test_three_questions_with_a_skip_rule_over_telegram(service: Service) -> None:
    for user in (AYSEL, IGOR):
        await _onboard(service, user)
    before = {user.id: len(service.fake.to_chat(user.id)) for user in (AYSEL, IGOR)}
    await _open_survey(service.process.database_url)
    first = {}
    for user in (AYSEL, IGOR):
        messages = await service.fake.replies(user.id, before[user.id] + 1, timeout=30)
        first[user.id] = messages[before[user.id]]
    broadcast = first[AYSEL.id]
    assert WATER_SURVEY["question"]["az"] in broadcast.text and "(1/3)" in broadcast.text
    labels = [label for label, _ in broadcast.choices()]
    assert labels == ["Hə", "Yox", "Bəzən", spoken("az", texts.SKIP_WORD), spoken("az", texts.STOP)]

    # Aysel: sometimes → the problems question (the skip rule lets it through).
    [second] = await _press(service, AYSEL, "Bəzən")
    assert "(2/3)" in second.text and "1 Su kəsilir" in second.text, second.text
    assert spoken("az", texts.HINT_MULTIPLE) in second.text
    [again] = await _say(service, AYSEL, "hamısı pisdir")
    assert again.text.startswith(spoken("az", texts.NOT_UNDERSTOOD)) and "(2/3)" in again.text
    [third] = await _say(service, AYSEL, "1, 2 və 4")
    assert "(3/3)" in third.text, third.text
    [thanks] = await _say(service, AYSEL, "gündə 6 saat")
    assert thanks.text == spoken("az", texts.THANKS)

    # Igor: yes → the problems question is skipped, straight to the number.
    [third] = await _press(service, IGOR, "Да")
    assert "(3/3)" in third.text and "(2/3)" not in third.text, third.text
    [too_many] = await _say(service, IGOR, "25")
    assert spoken("ru", texts.HINT_RANGE, low=0, high=24) in too_many.text
    [thanks] = await _press(service, IGOR, spoken("ru", texts.SKIP_WORD))
    assert thanks.text == spoken("ru", texts.THANKS)
    [menu] = await _say(service, IGOR, "/polls", count=1)
    assert menu.text == spoken("ru", p.NO_POLLS)

    database = service.process.data_dir / "fikir.db"
    rows = table_rows(database, "survey_answer")
    stored = sorted((r["respondent_id"], r["position"], r["value"], r["skipped"]) for r in rows)
    aysel, igor = sorted({int(str(r["respondent_id"])) for r in rows})
    assert stored == [
        (aysel, 0, "2", 0),
        (aysel, 1, "0 1 3", 0),
        (aysel, 2, "6", 0),
        (igor, 0, "0", 0),
        (igor, 2, "", 1),
    ]
    assert all(r["channel"] == "telegram" for r in rows)

    # Two people: under k = 5, so not one figure of any question can be shown.
    db = create_async_db_engine(service.process.database_url)
    try:
        async with make_sessionmaker(db)() as session:
            survey = await load_survey(session, int(str(rows[0]["poll_id"])))
            assert survey is not None
            found = await survey_results(session, survey, 5)
    finally:
        await db.dispose()
    assert [r.answered for r in found] == [None, None, None]
    assert all(r.counts is None and r.median is None for r in found)


async def test_closing_sends_the_results_to_who_answered(service: Service) -> None:
    """After the test above: closing the survey sends Aysel and Igor a summary in their
    language through the outbox; two people are under k, so it holds no figure."""
    before = {user.id: len(service.fake.to_chat(user.id)) for user in (AYSEL, IGOR)}
    db = create_async_db_engine(service.process.database_url)
    try:
        async with make_sessionmaker(db)() as session, session.begin():
            _, shared = await close_poll(session, "water-survey", Settings(), datetime.now(UTC))
    finally:
        await db.dispose()
    assert shared == 2
    for user in (AYSEL, IGOR):
        lang = str(user.language_code)
        [summary] = (await service.fake.replies(user.id, before[user.id] + 1, timeout=30))[
            before[user.id] :
        ]
        assert summary.text.startswith(spoken(lang, RESULTS_THANKS)), summary.text
        assert WATER_SURVEY["question"][lang] in summary.text
        assert WATER_SURVEY["questions"][0]["text"][lang] in summary.text
        assert spoken(lang, share.TOO_FEW) in summary.text and "%" not in summary.text
