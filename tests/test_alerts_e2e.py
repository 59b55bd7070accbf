"""Acceptance for alerts between digests, on PostgreSQL, with the service's own outbox workers
sending to a loopback Telegram Bot API server and a loopback SMTP server: an immediate
subscription gets one batched notice per window, a daily one its day's notice, a sharp rise on a
synthetic series is announced and a flat series is not; nothing under k is revealed, test and
safety-flagged messages are not counted, and no notice carries a message's text."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest
import pytest_asyncio
import uvicorn

from fikir.alerts.notices import NEW_FEWER, NOT_COUNTED, RISE_SUBJECT, TOPIC_BOTH
from fikir.alerts.run import daily_alerts, immediate_alerts
from fikir.bot.staff import staff_pseudonym
from fikir.config.sdgs import goal_name
from fikir.i18n import translate
from fikir.runtime import Runtime, build_runtime
from fikir.storage.alert_tables import AlertSubscription
from fikir.storage.models import Contact, Feedback, FeedbackTag, StaffUser
from fikir.storage.safety_tables import FeedbackSafety
from fikir.web.app import create_app
from tests.conftest import free_port, make_settings, truncate
from tests.fakes.telegram_server import FakeTelegram, SentMessage
from tests.test_digest_delivery import Mailbox, start_mailbox

pytestmark = pytest.mark.asyncio(loop_scope="module")

SECRET = "alerts-webhook-Secret_0123"
K = 5
SECRET_WORDS = "Quliyeva su kəməri Lənkəran 0501234567"  # what writers wrote: never in a notice


@dataclass
class Stack:
    fake: FakeTelegram
    mailbox: Mailbox
    runtime: Runtime

    async def wait(self, predicate: Callable[[], bool], what: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def stack(
    tmp_path_factory: pytest.TempPathFactory, postgres_url: str
) -> AsyncIterator[Stack]:
    tmp = tmp_path_factory.mktemp("alerts-e2e")
    truncate(postgres_url)
    fake = FakeTelegram()
    await fake.start()
    mailbox, controller = await start_mailbox()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = make_settings(
        tmp, postgres_url, port=port, public_url=base,
        telegram_token=fake.token, telegram_api_url=fake.url,
        telegram_webhook_url=f"{base}/webhooks/telegram", telegram_webhook_secret=SECRET,
        smtp_url=mailbox.url, k_anonymity=K, alert_window_minutes=15,
    )  # fmt: skip
    runtime = build_runtime(settings)
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, runtime),
            host="127.0.0.1",
            port=port,
            log_config=None,
            access_log=False,
            lifespan="on",
        )  # fmt: skip
    )
    serving = asyncio.create_task(server.serve())
    try:
        await fake.wait_for(lambda: server.started and fake.webhook is not None, 30, "startup")
        yield Stack(fake, mailbox, runtime)
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, 30)
        await runtime.close()
        await fake.stop()
        await asyncio.to_thread(controller.stop)
        truncate(postgres_url)


async def staff_with_alert(
    runtime: Runtime,
    name: str,
    chat: int,
    lang: str,
    since: datetime,
    *,
    goal: int | None,
    region: str | None,
    frequency: str,
    email: str | None = None,
    last_sent_at: datetime | None = None,
) -> None:
    """A staff member whose Telegram is linked (as `/staff CODE` links it) and one alert."""
    pseudonym = staff_pseudonym(runtime.services, chat)
    async with runtime.sessions() as session, session.begin():
        user = StaffUser(name=name, role="viewer", language=lang, telegram_pseudonym=pseudonym)
        session.add(user)
        session.add(
            Contact(
                pseudonym=pseudonym, channel="telegram",
                address_enc=runtime.services.vault.seal(str(chat)), created_at=since,
            )
        )  # fmt: skip
        await session.flush()
        session.add(
            AlertSubscription(
                staff_user_id=user.id or 0, goal=goal, region=region, frequency=frequency,
                to_chat=True, email=email, since=since, last_sent_at=last_sent_at,
                created_at=since,
            )
        )  # fmt: skip


async def messages(
    runtime: Runtime,
    at: list[datetime],
    goal: int,
    region: str,
    *,
    channel: str = "telegram",
    flagged: bool = False,
) -> None:
    """One message per moment, each from a different writer (erased writers count as one each,
    so no respondent rows are needed), tagged with `goal` by the tagger."""
    async with runtime.sessions() as session, session.begin():
        for moment in at:
            feedback = Feedback(
                ref_code=f"R{time.monotonic_ns() % 10**12}", text=SECRET_WORDS, language="az",
                channel=channel, region=region, created_at=moment,
            )  # fmt: skip
            session.add(feedback)
            await session.flush()
            session.add(FeedbackTag(feedback_id=feedback.id or 0, goal=goal, created_at=moment))
            if flagged:
                session.add(FeedbackSafety(feedback_id=feedback.id or 0, category="violence"))


def clean(text: str) -> None:
    for leak in SECRET_WORDS.split():
        assert leak not in text, leak


async def test_immediate_notices_are_batched_and_hide_small_counts(stack: Stack) -> None:
    runtime, fake, box = stack.runtime, stack.fake, stack.mailbox
    chat, address = 7700000101, "leyla@un.example.org"
    t0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    await staff_with_alert(
        runtime, "leyla", chat, "en", t0, goal=6, region="lankaran_astara",
        frequency="immediate", email=address,
    )  # fmt: skip
    minute = timedelta(minutes=1)
    # Six people on water in Lankaran-Astara, plus what must not count: a staff test message,
    # a safety-flagged one, another goal and another region.
    await messages(runtime, [t0 + minute * i for i in range(1, 7)], 6, "lankaran_astara")
    await messages(runtime, [t0 + minute], 6, "lankaran_astara", channel="simulator")
    await messages(runtime, [t0 + minute], 6, "lankaran_astara", flagged=True)
    await messages(runtime, [t0 + minute], 4, "lankaran_astara")
    await messages(runtime, [t0 + minute], 6, "baku")
    settings, vault = runtime.settings, runtime.services.vault

    assert await immediate_alerts(runtime.sessions, vault, settings, t0 + minute * 8) == 2
    runtime.wake_outbox()
    await stack.wait(lambda: len(fake.to_chat(chat)) == 1 and len(box.to(address)) == 1, "notice")
    first = fake.to_chat(chat)[0].text
    assert first.splitlines()[0] == "fikir: new messages on " + translate(
        "en", TOPIC_BOTH, goal=6, name=goal_name(6, "en"), region="Lankaran-Astara"
    )
    assert ": 6 new messages from 6 people." in first, first
    assert f"{settings.public_url}/admin/inbox?goal=6&region=lankaran_astara" in first
    assert translate("en", NOT_COUNTED) in first
    clean(first)
    mail: EmailMessage = box.to(address)[0]
    assert str(mail["Subject"]).strip() == first.splitlines()[0]
    assert mail.get_content().splitlines() == first.splitlines()[1:]

    # A flood inside the window is held back: no notice until the window has passed ...
    await messages(runtime, [t0 + minute * 9, t0 + minute * 10], 6, "lankaran_astara")
    for later in (9, 12, 20):
        assert await immediate_alerts(runtime.sessions, vault, settings, t0 + minute * later) == 0
    # ... then one notice with what arrived meanwhile: two people, so no figure at all.
    assert await immediate_alerts(runtime.sessions, vault, settings, t0 + minute * 24) == 2
    runtime.wake_outbox()
    await stack.wait(lambda: len(fake.to_chat(chat)) == 2, "second notice")
    second = fake.to_chat(chat)[1].text
    counts = second.splitlines()[1]
    since = (t0 + minute * 8 - timedelta(seconds=10)).astimezone(
        __import__("zoneinfo").ZoneInfo(settings.timezone)
    )
    assert counts == translate("en", NEW_FEWER, since=f"{since:%Y-%m-%d %H:%M}", k=K), counts
    assert " 2 " not in second and "2 new" not in second and "2 people" not in second
    clean(second)
    # Nothing new: nothing sent.
    assert await immediate_alerts(runtime.sessions, vault, settings, t0 + minute * 60) == 0


async def test_daily_notice_in_the_staff_language(stack: Stack) -> None:
    runtime, fake = stack.runtime, stack.fake
    chat = 7700000202
    d0 = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1, hours=1)
    await staff_with_alert(
        runtime, "rustam", chat, "ru", d0, goal=3, region=None, frequency="daily"
    )
    await messages(runtime, [d0 + timedelta(hours=h) for h in range(1, 8)], 3, "ganja_dashkasan")
    settings, vault = runtime.settings, runtime.services.vault
    # The immediate job leaves daily subscriptions alone.
    await immediate_alerts(runtime.sessions, vault, settings, d0 + timedelta(hours=12))
    assert await daily_alerts(runtime.sessions, vault, settings, d0 + timedelta(days=1)) >= 1
    runtime.wake_outbox()
    await stack.wait(lambda: len(fake.to_chat(chat)) == 1, "daily notice")
    text = fake.to_chat(chat)[0].text
    assert text.startswith("fikir: новые сообщения — ЦУР 3"), text
    assert "новых сообщений — 7, написавших людей — 7" in text, text
    assert "/admin/inbox?goal=3" in text and "region=" not in text
    clean(text)
    # The day after: nothing new, nothing sent.
    assert await daily_alerts(runtime.sessions, vault, settings, d0 + timedelta(days=2)) == 0


def _weekly(now: datetime, per_week: list[int]) -> list[datetime]:
    """Moments spread over past weeks: per_week[0] is this week, [1] the week before, …"""
    at = []
    for week, count in enumerate(per_week):
        for i in range(count):
            at.append(now - timedelta(days=7 * week + 1 + (i % 5), hours=i))
    return at


async def test_sharp_rise_is_announced_and_a_flat_series_is_not(stack: Stack) -> None:
    runtime, fake = stack.runtime, stack.fake
    now = datetime.now(UTC).replace(microsecond=0)
    rising_chat, flat_chat = 7700000303, 7700000404
    recent = now - timedelta(minutes=5)  # neither gets a new-messages notice, only rises count
    await staff_with_alert(
        runtime, "aysel", rising_chat, "en", recent, goal=4, region=None,
        frequency="immediate", last_sent_at=recent,
    )  # fmt: skip
    await staff_with_alert(
        runtime, "murad", flat_chat, "en", recent, goal=8, region="shaki_zagatala",
        frequency="immediate", last_sent_at=recent,
    )  # fmt: skip
    # fikir has run for 14 weeks: every one of the 12 weeks before this one counts as history.
    await messages(runtime, [now - timedelta(weeks=14)], 1, "nakhchivan")
    # Education in Shaki-Zagatala: about 2 people a week for 12 weeks, then 14 this week.
    await messages(
        runtime, _weekly(now, [14, 2, 1, 3, 2, 2, 1, 3, 2, 2, 1, 2, 3]), 4, "shaki_zagatala"
    )
    # Work there: about 6 a week throughout, 8 this week (within its usual spread).
    await messages(
        runtime, _weekly(now, [8, 6, 5, 7, 6, 6, 5, 7, 6, 6, 5, 6, 7]), 8, "shaki_zagatala"
    )
    # Education in Baku: a rise from 1 a week to 4, which is fewer than k people.
    await messages(runtime, _weekly(now, [4, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1]), 4, "baku")
    settings, vault = runtime.settings, runtime.services.vault
    # (The earlier tests' goals rose from nothing to k or more people: those are told too.)
    assert await daily_alerts(runtime.sessions, vault, settings, now) >= 1
    runtime.wake_outbox()
    await stack.wait(lambda: len(fake.to_chat(rising_chat)) == 1, "rise notice")
    text = fake.to_chat(rising_chat)[0].text
    assert text.splitlines()[0] == translate(
        "en", RISE_SUBJECT, goal=4, name=goal_name(4, "en"), region="Shaki-Zagatala"
    )
    assert "In the last 7 days 14 people wrote about SDG 4" in text, text
    assert "about 2.0 people a week" in text, text
    assert "/admin/inbox?goal=4&region=shaki_zagatala" in text
    clean(text)
    await asyncio.sleep(1.0)
    assert fake.to_chat(flat_chat) == [], [m.text for m in fake.to_chat(flat_chat)]
    assert len(fake.to_chat(rising_chat)) == 1  # Baku's four people made no notice
    # The same rise is told once a week, not every day.
    assert await daily_alerts(runtime.sessions, vault, settings, now + timedelta(hours=1)) == 0


def _texts(sent: list[SentMessage]) -> list[str]:
    return [m.text for m in sent]
