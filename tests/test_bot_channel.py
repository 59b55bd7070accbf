"""The whole Telegram channel in this process (polling, engine, outbox) against the fake Bot API.

The services are simple stand-ins here (no tagger), so these tests pin down the adapter's own
behaviour: exactly-once, set-aside failures, callbacks, staff linking, blocked users.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlmodel import func, select

from fikir.bot.channel import lifecycle
from fikir.bot.commands import CMD_HELP, CMD_OPINION
from fikir.bot.staff import (
    DIGEST_KIND,
    DIGEST_NONE,
    DIGEST_NOT_LINKED,
    STAFF_CODE_REFUSED,
    STAFF_LINKED,
    staff_pseudonym,
)
from fikir.dialog import prompts as p
from fikir.dialog.services import Services
from fikir.i18n import translate
from fikir.outbox.message import OutboundMessage
from fikir.outbox.queue import enqueue
from fikir.privacy.pseudonym import Pseudonymizer
from fikir.privacy.vault import Vault
from fikir.runtime import Runtime, build_runtime
from fikir.staff.accounts import add_staff
from fikir.storage.models import Contact, OutboxMessage, ProcessedEvent, Respondent, StaffUser
from tests.conftest import TEST_SECRET, make_settings
from tests.fakes.fikir_process import settle
from tests.fakes.telegram_server import FakeTelegram, FakeUser
from tests.harness import spoken

POISON = "zəhərli-mesaj"


def _services(fail_on: str = POISON) -> Services:
    secret = TEST_SECRET.encode()

    def detect(text: str) -> str | None:
        if fail_on in text:
            raise RuntimeError("the language detector broke")
        return None

    return Services(
        pseudonymizer=Pseudonymizer(secret),
        vault=Vault(secret),
        k=5,
        tag=lambda text, lang: [],
        redact=lambda text: (text, ()),
        detect=detect,
    )


class Channel:
    """The fake server, the runtime and the database file of one running channel."""

    def __init__(self, fake: FakeTelegram, runtime: Runtime) -> None:
        self.fake = fake
        self.runtime = runtime
        database = make_url(runtime.settings.effective_database_url).database
        assert database is not None
        self.database = Path(database)

    async def settle(self) -> None:
        await settle(self.fake, self.database)

    def pseudonym(self, user: FakeUser) -> str:
        return self.runtime.services.pseudonymizer.pseudonym("telegram", str(user.id))


@pytest.fixture
async def channel(tmp_path: Path, sqlite_url: str) -> AsyncIterator[Channel]:
    fake = FakeTelegram()
    await fake.start()
    settings = make_settings(
        tmp_path, sqlite_url, telegram_token=fake.token, telegram_api_url=fake.url
    )
    runtime = build_runtime(settings, _services())
    try:
        async with lifecycle(runtime):
            await fake.wait_for(lambda: bool(fake.calls_to("getUpdates")), what="polling")
            yield Channel(fake, runtime)
    finally:
        await runtime.close()
        await fake.stop()


def _user(n: int, lang: str | None = "az") -> FakeUser:
    return FakeUser(7320000000 + n, f"Ad{n}", f"Soyad{n}", f"user_{n}", lang)


async def test_start_registers_commands_in_every_two_letter_language(channel: Channel) -> None:
    commands = channel.fake.commands
    assert set(commands) == {None, "az", "ru", "en", "ka", "uk"}
    for lang in ("az", "ru", "en", "ka", "uk"):
        names = [c["command"] for c in commands[lang]]
        assert names == [
            "start", "help", "language", "feedback", "polls", "opinion", "results", "news",
            "forget",
        ]  # fmt: skip
        described = {c["command"]: c["description"] for c in commands[lang]}
        assert described["help"] == translate(lang, CMD_HELP)
        assert described["feedback"] == translate(lang, p.MENU_FEEDBACK)
        assert described["news"] == translate(lang, p.SET_UPDATES)
        assert described["opinion"] == translate(lang, CMD_OPINION)
    assert commands[None] == commands["az"]
    assert not channel.fake.calls_to("setWebhook") and channel.fake.calls_to("deleteWebhook")


async def test_a_press_is_answered_its_keyboard_removed_and_its_reply_sent(
    channel: Channel,
) -> None:
    fake, user = channel.fake, _user(1, "ru")
    fake.say(user, "/start")
    [welcome] = await fake.replies(user.id, 1)
    assert welcome.text == spoken("ru", p.WELCOME)
    assert welcome.data_for("lang:ru") == "lang:ru"
    press = fake.press(user, welcome, "Русский")
    consent = (await fake.replies(user.id, 2))[-1]
    assert consent.text == spoken("ru", p.CONSENT)
    await channel.settle()
    assert fake.answered == {press["callback_query"]["id"]: 1}
    assert welcome.keyboard_removed and not consent.keyboard_removed
    assert fake.unanswered_callbacks() == set()


async def test_a_redelivered_update_changes_nothing(channel: Channel) -> None:
    fake, user = channel.fake, _user(2)
    first = fake.say(user, "/start")
    await fake.replies(user.id, 1)
    await channel.settle()
    before = await _counts(channel)
    fake.redeliver(first)
    await channel.settle()
    assert len(fake.to_chat(user.id)) == 1
    assert await _counts(channel) == before


async def test_an_update_that_fails_is_set_aside_with_an_apology(channel: Channel) -> None:
    fake, user = channel.fake, _user(3, None)
    fake.say(user, f"{POISON}: kənddə işıq yoxdur")
    fake.say(user, "/help")
    await channel.settle()
    texts = [m.text for m in fake.to_chat(user.id)]
    assert texts == [translate("az", p.ERROR), spoken("az", p.HELP)]
    async with channel.runtime.sessions() as session:
        keys = (await session.exec(select(ProcessedEvent.key))).all()
        queued = (await session.exec(select(OutboxMessage.dedupe_key))).all()
    assert len(keys) == 1  # only /help was recorded; the failed update may be tried again
    assert any(key.endswith(":failed") for key in queued)


async def test_media_gets_what_the_bot_can_take_and_nothing_is_kept(channel: Channel) -> None:
    fake = channel.fake
    kinds = ("voice", "photo", "sticker", "video", "document", "location", "contact")
    users = [_user(40 + i, "ka") for i in range(len(kinds))]
    for user, kind in zip(users, kinds, strict=True):
        fake.queue(fake.media_update(user, kind))
    await channel.settle()
    for user in users:
        [reply] = fake.to_chat(user.id)
        assert reply.text == translate("ka", p.MEDIA)  # no language chosen yet: the app's
    raw = b"".join(path.read_bytes() for path in channel.database.parent.glob("fikir.db*"))
    for secret in (b"994501112233", b"40.409", b"49.867"):
        assert secret not in raw


async def test_groups_are_ignored(channel: Channel) -> None:
    fake, user = channel.fake, _user(5)
    group_id = -1009876543210
    group: dict[str, object] = {"id": group_id, "type": "supergroup", "title": "Qonşular"}
    for text in ("salam", "/start", "/help", "/forget"):
        fake.queue(fake.text_update(user, text, chat=group))
    await channel.settle()
    assert fake.to_chat(group_id) == []
    async with channel.runtime.sessions() as session:
        assert (await session.exec(select(func.count()).select_from(Respondent))).one() == 0


async def test_staff_link_a_chat_and_ask_for_the_digest(channel: Channel, tmp_path: Path) -> None:
    fake, runtime = channel.fake, channel.runtime
    staff = FakeUser(7329990001, "Aynur", "Quliyeva", "aynur_un", "ru")
    now = datetime.now(UTC)
    async with runtime.sessions() as session, session.begin():
        _, code = await add_staff(session, "Aynur Q", "analyst", "ru", now)
    fake.say(staff, "/digest")
    fake.say(staff, "/staff wrong-code")
    fake.say(staff, f"/staff {code}")
    fake.say(staff, f"/staff {code}")  # used up
    fake.say(staff, "/digest")
    await channel.settle()
    texts = [m.text for m in fake.to_chat(staff.id)]
    assert texts == [
        translate("ru", DIGEST_NOT_LINKED),
        translate("ru", STAFF_CODE_REFUSED),
        translate("ru", STAFF_LINKED),
        translate("ru", STAFF_CODE_REFUSED),
        translate("ru", DIGEST_NONE),
    ]
    pseudonym = staff_pseudonym(runtime.services, staff.id)
    async with runtime.sessions() as session:
        user = (await session.exec(select(StaffUser))).one()
        assert user.telegram_pseudonym == pseudonym and user.link_code_hash is None
        contact = (await session.exec(select(Contact).where(Contact.pseudonym == pseudonym))).one()
        assert runtime.services.vault.open(contact.address_enc) == str(staff.id)
        # The citizen side of the same chat knows nothing of it.
        assert (await session.exec(select(Respondent))).all() == []

    pdf = tmp_path / "fikir-digest-2026-10-ru.pdf"
    pdf.write_bytes(b"%PDF-1.4 digest ru")
    async with runtime.sessions() as session, session.begin():
        for lang in ("en", "ru"):
            await enqueue(
                session,
                pseudonym="a" * 64,
                channel="telegram",
                kind=DIGEST_KIND,
                message=OutboundMessage(f"Digest 2026-10 ({lang})", (), lang, str(pdf), pdf.name),
                dedupe_key=f"digest:2026-10:{lang}",
                now=now,
            )
        rows = (
            await session.exec(select(OutboxMessage).where(OutboxMessage.kind == DIGEST_KIND))
        ).all()
        for row in rows:
            row.status = "sent"  # delivered earlier to other staff
            session.add(row)
    fake.say(staff, "/digest")
    await channel.settle()
    latest = fake.to_chat(staff.id)[-1]
    assert latest.kind == "document" and latest.text == "Digest 2026-10 (ru)"
    assert latest.file_bytes == pdf.read_bytes()


async def test_a_linked_group_gets_the_digest_and_nothing_else(channel: Channel) -> None:
    fake, runtime = channel.fake, channel.runtime
    member = FakeUser(7329990002, "Kamran", None, None, "en")
    group_id = -1005550001111
    group: dict[str, object] = {"id": group_id, "type": "group", "title": "fikir staff"}
    async with runtime.sessions() as session, session.begin():
        _, code = await add_staff(session, "Kamran", "viewer", "en", datetime.now(UTC))
    fake.queue(fake.text_update(member, "/digest", chat=group))  # not linked yet: silence
    fake.queue(fake.text_update(member, f"/staff@fikir_bot {code}", chat=group))
    fake.queue(fake.text_update(member, "what a nice bot", chat=group))
    fake.queue(fake.text_update(member, "/digest", chat=group))
    await channel.settle()
    assert [m.text for m in fake.to_chat(group_id)] == [
        translate("en", STAFF_LINKED),
        translate("en", DIGEST_NONE),
    ]


async def test_blocking_the_bot_marks_the_respondent(channel: Channel) -> None:
    fake, user = channel.fake, _user(6)
    fake.say(user, "/start")
    await fake.replies(user.id, 1)
    await channel.settle()
    fake.blocked.add(user.id)
    fake.say(user, "/help")  # written just before blocking: the answer bounces
    await channel.settle()
    attempts = [t for t, chat in fake.send_attempts if chat == user.id]
    assert len(attempts) == 2  # tried once, not retried
    assert await _blocked(channel, user)
    async with channel.runtime.sessions() as session:
        failed = (
            await session.exec(select(OutboxMessage).where(OutboxMessage.status == "failed"))
        ).all()
    assert len(failed) == 1 and failed[0].address_enc is None
    fake.blocked.discard(user.id)
    fake.queue(fake.member_update(user, "member"))
    await channel.settle()
    assert not await _blocked(channel, user)
    fake.queue(fake.member_update(user, "kicked"))
    await channel.settle()
    assert await _blocked(channel, user)


async def _blocked(channel: Channel, user: FakeUser) -> bool:
    async with channel.runtime.sessions() as session:
        respondent = (
            await session.exec(
                select(Respondent).where(Respondent.pseudonym == channel.pseudonym(user))
            )
        ).one()
    return respondent.blocked


async def test_429_is_waited_out_and_the_message_arrives_once(channel: Channel) -> None:
    fake, user = channel.fake, _user(7)
    fake.fail_next("sendMessage", retry_after=2, chat_id=user.id)
    fake.say(user, "/start")
    [welcome] = await fake.replies(user.id, 1, timeout=10)
    refused = [c for c in fake.calls_to("sendMessage") if c.status == 429]
    assert len(refused) == 1
    assert welcome.at - refused[0].at >= 2.0
    await channel.settle()
    assert len(fake.to_chat(user.id)) == 1


async def _counts(channel: Channel) -> dict[str, int]:
    counts = {}
    async with channel.runtime.sessions() as session:
        for table in (Respondent, OutboxMessage, ProcessedEvent, Contact):
            counts[table.__name__] = (
                await session.exec(select(func.count()).select_from(table))
            ).one()
        payloads = (await session.exec(select(OutboxMessage.payload))).all()
    counts["payload"] = hash(json.dumps(sorted(payloads)))
    return counts
