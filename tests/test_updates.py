"""'You said, we did' end to end: an update reaches exactly the people who asked for updates and
raised its topic where it happened, each once, in their language, through the loopback Bot API
and the loopback Twilio; its preview counts people under the k rule; the digest carries it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio

from fikir.bot.client import make_bot
from fikir.bot.pacing import Pacer
from fikir.bot.sender import TelegramSender
from fikir.digest.build import build
from fikir.digest.charts import ChartFiles
from fikir.digest.period import Month
from fikir.digest.render import render_html, summary_text
from fikir.i18n import translate
from fikir.outbox.segments import count_segments
from fikir.outbox.worker import OutboxWorker, WorkerConfig
from fikir.runtime import Runtime, build_runtime
from fikir.sms.outbound import build_sender, worker_config
from fikir.updates.manage import create_update, load_update, send_update
from fikir.updates.model import UpdateError, UpdateSpec, UpdateView
from fikir.updates.send import UPDATE_FOOTER, plan_update, sms_update_text
from tests.conftest import make_settings
from tests.fakes.telegram_server import FakeTelegram
from tests.fakes.twilio_server import FakeTwilio
from tests.updates_people import LANKARAN, PEOPLE, RECIPIENTS, SHIRVAN, Person, meet_everyone

WATER_UPDATE = UpdateSpec(
    title={
        "az": "Lənkəran və Salyana yeni su xətti",
        "ru": "Новый водопровод в Ленкорани и Сальяне",
        "en": "A new water main for Lankaran and Salyan",
    },
    body={
        "az": "Yayda 12 kəndə içməli su çəkildi. Yazdığınız üçün sağ olun.",
        "ru": "Летом в 12 сёл провели питьевую воду. Спасибо, что писали.",
        "en": "This summer 12 villages got drinking water. Thank you for writing.",
    },
    goals=(6,),
    regions=(LANKARAN, SHIRVAN),
)


@pytest_asyncio.fixture
async def wired(
    tmp_path: Path, db_url: str
) -> AsyncIterator[tuple[Runtime, FakeTelegram, FakeTwilio]]:
    """A runtime whose Telegram and Twilio are the loopback fakes, with everyone met."""
    telegram = FakeTelegram()
    await telegram.start()
    async with FakeTwilio() as twilio:
        settings = make_settings(
            tmp_path, db_url, telegram_token=telegram.token, telegram_api_url=telegram.url,
            twilio_account_sid=twilio.account_sid, twilio_auth_token=twilio.auth_token,
            twilio_from="FIKIR", twilio_api_url=twilio.url,
        )  # fmt: skip
        runtime = build_runtime(settings)
        try:
            await meet_everyone(runtime)
            yield runtime, telegram, twilio
        finally:
            await runtime.close()
            await telegram.stop()


async def deliver(runtime: Runtime) -> None:
    """Both outbox workers, until nothing is due."""
    bot = make_bot(runtime.settings)
    sms = build_sender(runtime)
    assert sms is not None
    workers = [
        OutboxWorker(runtime.sessions, runtime.services.vault, TelegramSender(bot, Pacer(30)),
                     WorkerConfig(rate=30), runtime.instance),
        OutboxWorker(runtime.sessions, runtime.services.vault, sms, worker_config(50.0),
                     runtime.instance),
    ]  # fmt: skip
    try:
        for worker in workers:
            while await worker.drain_once():
                pass
    finally:
        await bot.session.close()
        await sms.aclose()


def expected_language(person: Person) -> str:
    return person.lang if person.lang in WATER_UPDATE.title else "az"  # ka: Azerbaijani first


async def test_an_update_reaches_exactly_the_people_who_raised_it(
    wired: tuple[Runtime, FakeTelegram, FakeTwilio],
) -> None:
    runtime, telegram, twilio = wired
    settings, now = runtime.settings, datetime.now(UTC)
    async with runtime.sessions() as session, session.begin():
        update_id = (await create_update(session, WATER_UPDATE, None, now)).id or 0
        loaded = await load_update(session, update_id)
        assert loaded is not None

    # Before sending: people per channel and language under the k rule, and the SMS cost.
    segments = {lang: count_segments(sms_update_text(loaded, lang, "auto")).segments
                for lang in ("az", "ru")}  # fmt: skip
    assert all(1 <= n <= 2 for n in segments.values()), segments
    async with runtime.sessions() as session:
        plan = await plan_update(session, loaded, settings, now)
        stricter = settings.model_copy(update={"k_anonymity": 7})
        merged = await plan_update(session, loaded, stricter, now)
        too_strict = settings.model_copy(update={"k_anonymity": 25})
        hidden = await plan_update(session, loaded, too_strict, now)
    people = {(cell.channel, cell.language): cell.people for cell in plan.cells}
    # Telegram: 5 az (one Georgian reader), 2 ru, 1 en; SMS: 6 az, 6 ru. The small Telegram
    # cells (3 people) and the smallest large one (Telegram az, 5) make "other".
    assert people == {
        ("telegram", "az"): None, ("telegram", "ru"): None, ("telegram", "en"): None,
        ("sms", "az"): 6, ("sms", "ru"): 6,
    }  # fmt: skip
    assert plan.other == 8 and plan.total == 20
    assert plan.sms_segments == 6 * segments["az"] + 6 * segments["ru"]
    assert plan.sms_cost == pytest.approx(plan.sms_segments * settings.sms_segment_cost)
    assert not plan.too_long
    # With k = 7 every cell is small: nothing alone, and the exact SMS cost would tell how many
    # are on SMS, so only an upper bound is given.
    assert all(cell.people is None for cell in merged.cells)
    # No "other 20 of 20" row: it would only repeat the total (issue 19).
    assert merged.other is None and merged.total == 20 and merged.sms_cost is None
    bound = 20 * max(segments.values()) * settings.sms_segment_cost
    assert merged.sms_cost_at_most == pytest.approx(bound)
    assert hidden.total is None and hidden.sms_cost is None and hidden.sms_cost_at_most

    # Sent twice (a double click, a second instance): queued once per person.
    queued = []
    for _ in range(2):
        async with runtime.sessions() as session, session.begin():
            queued.append((await send_update(session, update_id, settings, now))[1])
    assert queued == [len(RECIPIENTS), 0] == [20, 0]
    await deliver(runtime)
    async with runtime.sessions() as session, session.begin():
        assert (await send_update(session, update_id, settings, now))[1] == 0
    await deliver(runtime)

    for person in PEOPLE:
        lang = expected_language(person)
        if person.channel == "telegram":
            got = [m.text for m in telegram.to_chat(person.chat_id)]
        else:
            got = [m.body for m in twilio.to(person.address)]
        if not person.receives:
            assert got == [], (person.key, got)
            continue
        assert len(got) == 1, (person.key, got)
        if person.channel == "sms":
            assert got[0] == sms_update_text(loaded, lang, "auto"), person.key
            assert count_segments(got[0]).segments <= 2
        else:
            title, body, footer = got[0].split("\n\n")
            assert (title, body) == (loaded.title[lang], loaded.body[lang]), person.key
            assert footer == translate(person.lang, UPDATE_FOOTER), person.key
    assert len(telegram.sent) == 8 and len(twilio.messages) == 12

    # The month's digest lists the update, with how many it reached.
    month = str(Month.of(now, settings.timezone))
    doc = await build(runtime, month, now)
    [figure] = doc.updates
    assert figure.goals == (6,) and figure.regions == (LANKARAN, SHIRVAN)
    assert figure.recipients == 20
    data = json.loads(doc.to_json())["updates"][0]
    assert data["title"]["ru"] == WATER_UPDATE.title["ru"] and data["recipients"] == 20
    assert "Updates sent to participants: 1" in summary_text(doc, "en").splitlines()
    assert WATER_UPDATE.title["az"] in render_html(doc, "az", _no_charts(), Path("."))


def _no_charts() -> ChartFiles:
    return ChartFiles(goals=None, trend=None, regions=None)


async def test_an_update_too_long_for_sms_is_refused(
    wired: tuple[Runtime, FakeTelegram, FakeTwilio],
) -> None:
    runtime, _, _ = wired
    long_ru = "Летом в двенадцать сёл провели питьевую воду, а осенью начнут ремонт. " * 3
    spec = UpdateSpec(
        title={"ru": "Вода"}, body={"ru": long_ru.strip()}, goals=(6,), regions=(SHIRVAN,)
    )
    now = datetime.now(UTC)
    async with runtime.sessions() as session, session.begin():
        update = await create_update(session, spec, None, now)
        loaded: UpdateView | None = await load_update(session, update.id or 0)
        assert loaded is not None
        plan = await plan_update(session, loaded, runtime.settings, now)
    assert plan.too_long and plan.too_long[0].startswith("ru: ")
    with pytest.raises(UpdateError):
        async with runtime.sessions() as session, session.begin():
            await send_update(session, update.id or 0, runtime.settings, now)
    async with runtime.sessions() as session:
        again = await load_update(session, update.id or 0)
    assert again is not None and again.update.status == "draft" and again.update.recipients == 0
