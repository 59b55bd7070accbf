"""Delivery: once per month per recipient, by Telegram (outbox, loopback Bot API) and e-mail
(loopback SMTP), across repeats, restarts, failures and two instances on one database."""

from __future__ import annotations

import asyncio
import email
import email.policy
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import col, select

from fikir.bot.client import make_bot
from fikir.bot.pacing import Pacer
from fikir.bot.sender import TelegramSender
from fikir.bot.staff import staff_pseudonym
from fikir.config.settings import Settings
from fikir.digest.delivery import email_key, send_digest
from fikir.digest.render import summary_text
from fikir.digest.schedule import JOB, catch_up, run_digest
from fikir.outbox.message import OutboundMessage
from fikir.outbox.worker import OutboxWorker, WorkerConfig
from fikir.runtime import Runtime, build_runtime
from fikir.storage.models import Contact, DigestDelivery, JobRun, OutboxMessage, StaffUser
from tests.conftest import free_port, make_settings
from tests.fakes.telegram_server import FakeTelegram
from tests.test_digest_seed import MONTH, make_seed, store_seed

BAKU_9_05 = datetime(2026, 11, 1, 5, 5, tzinfo=UTC)  # 09:05 in Baku on 1 November


@dataclass
class Mailbox:
    """A loopback SMTP server that keeps what it receives."""

    port: int
    received: list[EmailMessage] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?from=digest@fikir.example"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if m["To"] == address]


async def start_mailbox(port: int | None = None) -> tuple[Mailbox, Controller]:
    box = Mailbox(port or free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    await asyncio.to_thread(controller.start)
    return box, controller


@pytest.fixture
async def mailbox() -> AsyncIterator[Mailbox]:
    box, controller = await start_mailbox()
    try:
        yield box
    finally:
        await asyncio.to_thread(controller.stop)


async def add_staff(
    runtime: Runtime, name: str, lang: str, chat: int | None, *, active: bool = True
) -> None:
    async with runtime.sessions() as session, session.begin():
        pseudonym = staff_pseudonym(runtime.services, chat) if chat else None
        session.add(
            StaffUser(name=name, language=lang, telegram_pseudonym=pseudonym, active=active)
        )
        if pseudonym and chat:
            sealed = runtime.services.vault.seal(str(chat))
            session.add(Contact(pseudonym=pseudonym, channel="telegram", address_enc=sealed))


async def digest_outbox(runtime: Runtime) -> list[OutboxMessage]:
    async with runtime.sessions() as session:
        rows = await session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.kind == "digest")
            .order_by(col(OutboxMessage.id))
        )
        return list(rows.all())


async def deliveries(runtime: Runtime, month: str = MONTH) -> dict[str, str]:
    async with runtime.sessions() as session:
        rows = await session.exec(select(DigestDelivery).where(DigestDelivery.month == month))
        return {row.recipient: row.status for row in rows.all()}


async def seeded_runtime(settings: Settings) -> Runtime:
    runtime = build_runtime(settings)
    async with runtime.sessions() as session, session.begin():
        await store_seed(session, make_seed())
    return runtime


async def test_each_recipient_gets_it_once_across_repeats_and_a_restart(
    tmp_path: Path, sqlite_url: str, mailbox: Mailbox
) -> None:
    settings = make_settings(
        tmp_path, sqlite_url, smtp_url=mailbox.url,
        digest_emails="Analyst@example.org, partner@example.org,partner@example.org",
    )  # fmt: skip
    runtime = await seeded_runtime(settings)
    await add_staff(runtime, "aysel", "az", 111)
    await add_staff(runtime, "ivan", "ru", 222)
    await add_staff(runtime, "analyst@example.org", "ru", None)
    await add_staff(runtime, "left", "az", 333, active=False)
    await add_staff(runtime, "nochat", "en", None)

    report = await send_digest(runtime, MONTH, BAKU_9_05)
    assert sorted(report.queued) == ["staff:1:telegram", "staff:2:telegram"]
    assert sorted(report.emailed) == [
        email_key("analyst@example.org"),
        email_key("partner@example.org"),
    ]
    assert not report.failed and not report.skipped

    rows = await digest_outbox(runtime)
    assert len(rows) == 2 and all(r.channel == "telegram" and r.status == "pending" for r in rows)
    from fikir.digest.build import build

    doc = await build(runtime, MONTH, BAKU_9_05)
    for row, lang in zip(rows, ("az", "ru"), strict=True):
        message = OutboundMessage.from_json(row.payload)
        assert message.language == lang and message.text == summary_text(doc, lang)
        assert message.document_name == f"fikir-digest-{MONTH}-{lang}.pdf"
        assert message.document and Path(message.document).read_bytes()[:5] == b"%PDF-"
    assert "@" not in "".join(r.pseudonym for r in rows)

    [analyst] = mailbox.to("Analyst@example.org")
    [partner] = mailbox.to("partner@example.org")
    assert analyst["Subject"] == "Дайджест fikir: Октябрь 2026"
    assert partner["Subject"] == "fikir digest for October 2026"
    assert partner["From"] == "digest@fikir.example"
    [attachment] = list(partner.iter_attachments())
    assert attachment.get_filename() == f"fikir-digest-{MONTH}-en.pdf"
    assert attachment.get_content()[:5] == b"%PDF-"
    body = partner.get_body(("plain",))
    assert body is not None
    assert summary_text(doc, "en") in body.get_content().replace("\r\n", "\n")

    # Again on the same instance: nothing new.
    again = await send_digest(runtime, MONTH, BAKU_9_05 + timedelta(minutes=5))
    assert not again.queued and not again.emailed and len(again.skipped) == 4
    await runtime.close()

    # A restart (a new runtime on the same database) running the scheduled job: nothing new,
    # except for a staff member who linked a chat since.
    restarted = build_runtime(settings)
    await add_staff(restarted, "new", "en", 444)
    assert await run_digest(restarted, BAKU_9_05 + timedelta(hours=1))
    assert len(await digest_outbox(restarted)) == 3
    assert len(mailbox.received) == 2
    statuses = await deliveries(restarted)
    assert sorted(statuses.values()) == ["queued", "queued", "queued", "sent", "sent"]
    await restarted.close()


async def test_telegram_gets_summary_and_pdf_through_the_outbox(
    tmp_path: Path, sqlite_url: str
) -> None:
    fake = FakeTelegram()
    await fake.start()
    settings = make_settings(
        tmp_path, sqlite_url, telegram_token=fake.token, telegram_api_url=fake.url
    )
    runtime = await seeded_runtime(settings)
    bot = make_bot(settings)
    try:
        await add_staff(runtime, "aysel", "az", 7305550111)
        worker = OutboxWorker(
            runtime.sessions, runtime.services.vault, TelegramSender(bot, Pacer(30)),
            WorkerConfig(rate=30), runtime.instance,
        )  # fmt: skip
        for _ in range(2):  # the second run finds the month delivered
            await send_digest(runtime, MONTH, BAKU_9_05)
            await worker.drain_once()
        [sent] = fake.to_chat(7305550111)
        assert sent.kind == "document"
        assert sent.file_name == f"fikir-digest-{MONTH}-az.pdf"
        assert sent.file_bytes is not None and sent.file_bytes[:5] == b"%PDF-"
        assert sent.text.startswith("fikir icmalı: Oktyabr 2026")
        [row] = await digest_outbox(runtime)
        assert row.status == "sent"
    finally:
        await bot.session.close()
        await runtime.close()
        await fake.stop()


async def test_two_instances_on_one_database_deliver_once(
    tmp_path: Path, db_url: str, mailbox: Mailbox
) -> None:
    settings = make_settings(
        tmp_path, db_url, smtp_url=mailbox.url, digest_emails="partner@example.org"
    )
    first = await seeded_runtime(settings)
    second = build_runtime(settings)
    try:
        await add_staff(first, "aysel", "en", 111)
        # The scheduled job: one instance claims the month, the other skips it.
        ran = await asyncio.gather(run_digest(first, BAKU_9_05), run_digest(second, BAKU_9_05))
        assert sorted(ran) == [False, True]
        # Even without the job's claim, two sends racing for a fresh month send once each.
        await asyncio.gather(
            send_digest(first, "2026-09", BAKU_9_05), send_digest(second, "2026-09", BAKU_9_05)
        )
        rows = await digest_outbox(first)
        assert sorted(OutboundMessage.from_json(r.payload).document_name or "" for r in rows) == [
            "fikir-digest-2026-09-en.pdf", "fikir-digest-2026-10-en.pdf",
        ]  # fmt: skip
        assert len(mailbox.received) == 2
        assert sorted(m["Subject"] for m in mailbox.received) == [
            "fikir digest for October 2026", "fikir digest for September 2026",
        ]  # fmt: skip
        for month in (MONTH, "2026-09"):
            assert set(await deliveries(first, month)) == {
                "staff:1:telegram", email_key("partner@example.org"),
            }  # fmt: skip
    finally:
        await first.close()
        await second.close()


async def test_a_refused_email_is_retried_by_the_next_check(
    tmp_path: Path, sqlite_url: str
) -> None:
    port = free_port()  # nothing listens here yet
    settings = make_settings(
        tmp_path, sqlite_url, smtp_url=f"smtp://127.0.0.1:{port}",
        digest_emails="partner@example.org",
    )  # fmt: skip
    runtime = await seeded_runtime(settings)
    key = email_key("partner@example.org")
    try:
        assert not await run_digest(runtime, BAKU_9_05)
        assert await deliveries(runtime) == {}, "a failed e-mail gives its claim back"
        async with runtime.sessions() as session:
            assert (await session.exec(select(JobRun).where(JobRun.job == JOB))).first() is None
        # Before 09:00 on the 1st nothing is due; after it, the hourly check runs the month.
        assert not await catch_up(runtime, datetime(2026, 11, 1, 4, 0, tzinfo=UTC))
        box, controller = await start_mailbox(port)
        try:
            assert await catch_up(runtime, BAKU_9_05 + timedelta(hours=1))
            assert not await catch_up(runtime, BAKU_9_05 + timedelta(hours=2))
        finally:
            await asyncio.to_thread(controller.stop)
        assert len(box.received) == 1 and await deliveries(runtime) == {key: "sent"}
        assert box.received[0]["From"] == "fikir@127.0.0.1"
    finally:
        await runtime.close()


async def test_an_email_claim_left_by_a_stopped_instance(
    tmp_path: Path, sqlite_url: str, mailbox: Mailbox
) -> None:
    settings = make_settings(
        tmp_path, sqlite_url, smtp_url=mailbox.url, digest_emails="a@example.org,b@example.org"
    )
    runtime = await seeded_runtime(settings)
    try:
        async with runtime.sessions() as session, session.begin():
            # a@: claimed an hour ago by an instance that died mid-send; b@: claimed just now.
            for address, age in (("a@example.org", 60), ("b@example.org", 1)):
                session.add(
                    DigestDelivery(
                        month=MONTH, recipient=email_key(address), channel="email",
                        status="sending", created_at=BAKU_9_05 - timedelta(minutes=age),
                    )
                )  # fmt: skip
        report = await send_digest(runtime, MONTH, BAKU_9_05)
        assert report.emailed == [email_key("a@example.org")]
        assert report.skipped == [email_key("b@example.org")]
        assert [m["To"] for m in mailbox.received] == ["a@example.org"]
    finally:
        await runtime.close()
