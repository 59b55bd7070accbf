"""The inbound spool: durable, encrypted, replayed in order and exactly once when the store returns."""

from __future__ import annotations

import asyncio
import itertools
import stat
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy.engine import make_url
from sqlmodel import col, select

from fikir.dialog.messages import Inbound, Outcome
from fikir.runtime import Runtime, build_runtime
from fikir.spool import InboundSpool, NotKept, handle_or_spool, replay_loop, replay_once
from fikir.spool.entry import decode, encode
from fikir.spool.store import Spool, SpoolError
from fikir.storage.migrate import upgrade
from fikir.storage.models import Feedback, OutboxMessage, ProcessedEvent, Respondent
from tests.conftest import TEST_SECRET, make_settings, truncate
from tests.pausable_proxy import PausableProxy

_sids = itertools.count(1)
PHONE = "+994501234567"
SECRET_TEXT = "Kəndimizdə su yoxdur, Əliyev Rəşad 0501112233"


def sms(text: str, address: str = PHONE) -> Inbound:
    return Inbound(
        channel="sms-twilio", address=address, text=text, external_id=f"twilio:SM{next(_sids)}"
    )


# The store, in two kinds, with a switch that takes it away and brings it back ----------------
@dataclass
class Store:
    runtime: Runtime
    down_fn: object
    up_fn: object

    async def down(self) -> None:
        await self.runtime.db.dispose()
        self.down_fn()  # type: ignore[operator]

    async def up(self) -> None:
        self.up_fn()  # type: ignore[operator]


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    if request.param == "sqlite":
        # "Down" is the database's directory gone (an unmounted disk): opening it fails.
        home = tmp_path / "db"
        home.mkdir()
        url = f"sqlite:///{home / 'fikir.db'}"
        upgrade(url)
        runtime = build_runtime(make_settings(tmp_path, url))
        yield Store(
            runtime,
            lambda: home.rename(tmp_path / "db-away"),
            lambda: (tmp_path / "db-away").rename(home),
        )
        await runtime.close()
        return
    pg_url = str(request.getfixturevalue("postgres_url"))
    truncate(pg_url)
    target = make_url(pg_url)
    proxy = PausableProxy(target.host or "127.0.0.1", target.port or 5432).start()
    url = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    runtime = build_runtime(make_settings(tmp_path, url))
    try:
        yield Store(runtime, proxy.down, proxy.up)
    finally:
        await runtime.close()
        proxy.stop()


async def count(runtime: Runtime, model: type[object]) -> int:
    async with runtime.sessions() as session:
        return int((await session.exec(select(func.count()).select_from(model))).one())


def pending_gauge(runtime: Runtime) -> float | None:
    return runtime.metrics.registry.get_sample_value("fikir_spool_pending")


async def onboard(runtime: Runtime, address: str = PHONE) -> int:
    """A subscriber in Azerbaijani who has consented; returns how much feedback is stored."""
    await runtime.engine.handle(sms("Salam, yollar çox pisdir", address))
    await runtime.engine.handle(sms("1", address))
    async with runtime.sessions() as session, session.begin():
        person = (await session.exec(select(Respondent))).one()
        assert person.consent_at is not None
        # Past the optional profile questions, so that no number in a text answers one.
        person.state, person.state_data = "menu", "{}"
        session.add(person)
    return await count(runtime, Feedback)


async def feedback_texts(runtime: Runtime, after: int) -> list[str]:
    async with runtime.sessions() as session:
        rows = (await session.exec(select(Feedback).order_by(col(Feedback.id)))).all()
    return [row.text or "" for row in rows][after:]


# The directory itself ------------------------------------------------------------------------
def test_entries_are_encrypted_private_and_carry_nothing_in_their_name(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool", TEST_SECRET.encode())
    name = spool.put(encode(sms(SECRET_TEXT)))
    path = tmp_path / "spool" / name
    raw = path.read_bytes()
    for secret in (SECRET_TEXT, PHONE, "994501234567", "0501112233", "su yoxdur"):
        assert secret.encode() not in raw
        assert secret not in name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "spool").stat().st_mode) == 0o700
    back = decode(spool.read(name))
    assert back.text == SECRET_TEXT and back.address == PHONE and back.channel == "sms-twilio"
    assert back.received_at.tzinfo is not None


def test_entries_keep_arrival_order_and_half_written_ones_vanish(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool", TEST_SECRET.encode())
    texts = [f"message {i}" for i in range(30)]
    for text in texts:
        spool.put(encode(sms(text)))
    # A crash between write and rename leaves a temp file that was never acknowledged.
    (tmp_path / "spool" / "00000000000000000001-000000000-crashed.spool.part").write_bytes(b"x")
    reopened = Spool(tmp_path / "spool", TEST_SECRET.encode())
    names = reopened.names()
    assert [decode(reopened.read(n)).text for n in names] == texts
    assert not list((tmp_path / "spool").glob("*.part"))
    reopened.remove(names[0])
    assert reopened.count() == 29


def test_another_key_cannot_read_an_entry(tmp_path: Path) -> None:
    Spool(tmp_path / "spool", TEST_SECRET.encode()).put(encode(sms(SECRET_TEXT)))
    other = Spool(tmp_path / "spool", b"another-secret-key-0123456789-abcdefghijk")
    with pytest.raises(SpoolError):
        other.read(other.names()[0])


def test_only_one_replayer_per_directory(tmp_path: Path) -> None:
    first = Spool(tmp_path / "spool", TEST_SECRET.encode())
    second = Spool(tmp_path / "spool", TEST_SECRET.encode())
    assert first.try_lock()
    assert not second.try_lock()
    first.unlock()
    assert second.try_lock()
    second.unlock()


# Handling, spooling and replaying -----------------------------------------------------------
async def test_a_reachable_store_answers_at_once_and_spools_nothing(store: Store) -> None:
    runtime = store.runtime
    handled = await handle_or_spool(runtime, sms("Salam"))
    assert handled.outcome is Outcome.REPLIED
    assert handled.replies, "the engine's replies come back for the webhook's answer"
    assert await runtime.spool.backlog() == 0
    assert await count(runtime, ProcessedEvent) == 1


async def test_an_unreachable_store_spools_and_replay_stores_each_message_once_in_order(
    store: Store,
) -> None:
    runtime = store.runtime
    before = await onboard(runtime)
    await store.down()
    texts = [f"Xəstəxanada həkim yoxdur, növbə {i} saat çəkir" for i in range(5)]
    for text in texts:
        assert (await handle_or_spool(runtime, sms(text))).outcome is Outcome.SPOOLED
    # STOP after the feedback: replayed out of order it would cancel nothing, or lose feedback.
    assert (await handle_or_spool(runtime, sms("STOP"))).outcome is Outcome.SPOOLED
    assert await runtime.spool.backlog() == 6
    assert pending_gauge(runtime) == 6

    outcome = await replay_once(runtime)
    assert outcome.store_down and outcome.replayed == 0
    assert await runtime.spool.backlog() == 6, "nothing is dropped while the store is away"

    await store.up()
    outcome = await replay_once(runtime)
    assert (outcome.replayed, outcome.store_down) == (6, False)
    assert await runtime.spool.backlog() == 0
    assert not list(runtime.spool.directory.glob("*.spool"))
    async with runtime.sessions() as session:
        person = (await session.exec(select(Respondent))).one()
        queued = (await session.exec(select(OutboxMessage))).all()
    stored = await feedback_texts(runtime, before)
    assert [text[-20:] for text in stored] == [text[-20:] for text in texts]
    assert person.opted_out and not person.subscribed, "STOP came last and was applied last"
    # The webhook answered nothing for spooled messages: their replies wait in the outbox.
    assert queued and all(row.kind == "reply" and row.channel == "sms" for row in queued)
    assert pending_gauge(runtime) == 0


async def test_new_messages_queue_behind_the_spool_until_it_is_replayed(store: Store) -> None:
    runtime = store.runtime
    before = await onboard(runtime)
    await store.down()
    assert (
        await handle_or_spool(runtime, sms("Birinci: yollar bərbad vəziyyətdədir"))
    ).outcome is Outcome.SPOOLED
    await store.up()
    # The store is back but the older message is not replayed yet: this one waits behind it.
    assert (
        await handle_or_spool(runtime, sms("İkinci: məktəbdə müəllim çatışmır"))
    ).outcome is Outcome.SPOOLED
    await replay_once(runtime)
    stored = await feedback_texts(runtime, before)
    assert [text.split(":")[0] for text in stored] == ["Birinci", "İkinci"]
    answered = await handle_or_spool(runtime, sms("Üçüncü: su yoxdur"))
    assert answered.outcome is Outcome.REPLIED and answered.replies, "empty spool: answered"


async def test_replaying_a_message_the_store_already_has_is_harmless(store: Store) -> None:
    runtime = store.runtime
    before = await onboard(runtime)
    message = sms("İşsizlik çox böyük problemdir, gənclər xaricə gedir")
    # A crash after the commit and before the webhook answered: the provider redelivers, and
    # the same message also sits in the spool.
    await runtime.engine.handle(message)
    await runtime.spool.put(message)
    outcome = await replay_once(runtime)
    assert outcome.replayed == 1 and await runtime.spool.backlog() == 0
    assert await count(runtime, Feedback) == before + 1


async def test_unreadable_entries_are_set_aside_without_holding_up_the_rest(
    store: Store, tmp_path: Path
) -> None:
    runtime = store.runtime
    before = await onboard(runtime)
    foreign = Spool(runtime.spool.directory, b"a-key-from-before-rotation-0123456789-abcdef")
    foreign.put(encode(sms("yazılmış köhnə açarla")))
    await runtime.spool.put(sms("Qiymətlər artır, maaş çatmır"))
    outcome = await replay_once(runtime)
    assert outcome.replayed == 1
    assert len(list((runtime.spool.directory / "unreadable").iterdir())) == 1
    assert await count(runtime, Feedback) == before + 1


async def test_nothing_is_acknowledged_when_neither_store_nor_disk_can_keep_it(
    store: Store, tmp_path: Path
) -> None:
    runtime = store.runtime
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the spool directory should be")
    runtime.spool = InboundSpool(blocked / "spool", TEST_SECRET.encode(), runtime.metrics)
    await store.down()
    with pytest.raises(NotKept):
        await handle_or_spool(runtime, sms("Salam"))


async def test_the_replay_loop_drains_the_spool_when_the_store_returns(store: Store) -> None:
    runtime = store.runtime
    before = await onboard(runtime)
    stop = asyncio.Event()
    loop = asyncio.create_task(replay_loop(runtime, stop))
    try:
        await store.down()
        for i in range(20):
            assert (
                await handle_or_spool(runtime, sms(f"Yol təmiri lazımdır, küçə {i}"))
            ).outcome is Outcome.SPOOLED
        await asyncio.sleep(0.5)
        assert await runtime.spool.backlog() == 20
        await store.up()
        for _ in range(100):
            if await runtime.spool.backlog() == 0:
                break
            await asyncio.sleep(0.1)
        assert await runtime.spool.backlog() == 0, "replayed within 10 s of the store's return"
        assert await count(runtime, Feedback) == before + 20
    finally:
        stop.set()
        await asyncio.wait_for(loop, 5)
    assert loop.done() and loop.exception() is None
