"""Handle an inbound message or spool it, and replay the spool once the database is back.

A webhook may answer 2xx only when its message is durable: committed by the engine, or fsynced
in the spool. While this instance's spool holds anything, new messages join it behind the
older ones, so that each person's messages reach the engine in the order they arrived.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fikir.config.channels import channel_of
from fikir.dialog.engine import StoreUnavailable, failure_kind
from fikir.dialog.messages import Handled, Inbound, Outcome
from fikir.spool.inbound import Spooled

if TYPE_CHECKING:
    from fikir.runtime import Runtime

log = logging.getLogger(__name__)

# Under Twilio's 15 s webhook timeout: past this the message is spooled and answered later.
HANDLE_TIMEOUT = 10.0
REPLAY_BATCH = 500
REPLAY_CONCURRENCY = 64  # people replayed side by side; the engine batches their turns
IDLE_WAIT = 1.0
MAX_BACKOFF = 2.0
LOCK_RETRY = 5.0


class NotKept(Exception):
    """Neither the database nor the local spool kept the message: the sender must retry it."""


async def handle_or_spool(
    runtime: Runtime, inbound: Inbound, *, queue_replies: bool = False
) -> Handled:
    """The engine's outcome, or SPOOLED when the message was kept on disk (acknowledge it, say
    nothing: the replay answers once the database is back).

    Raises NotKept only when neither the database nor the local disk could keep the message:
    the channel must then answer with an error so that the provider delivers it again.
    """
    spool = runtime.spool
    try:
        waiting = await spool.backlog()
    except OSError as exc:
        waiting = 0  # the disk is unusable; the database may still take the message
        log.error("spool unusable (%s): only the database can keep messages", _disk(exc))
    if waiting == 0:
        try:
            return await asyncio.wait_for(
                runtime.engine.handle(
                    inbound, queue_replies=queue_replies, raise_store_errors=True
                ),
                HANDLE_TIMEOUT,
            )
        except (StoreUnavailable, TimeoutError) as exc:
            log.warning("database unavailable (%s): spooling an inbound message", _why(exc))
    try:
        await spool.put(inbound)
    except OSError as exc:
        log.error(
            "an inbound message was neither stored nor spooled (%s); refused for a retry",
            _disk(exc),
        )
        raise NotKept(_disk(exc)) from exc
    return Handled(Outcome.SPOOLED)


@dataclass(frozen=True)
class ReplayOutcome:
    replayed: int
    store_down: bool


async def replay_once(runtime: Runtime, batch: int = REPLAY_BATCH) -> ReplayOutcome:
    """Give the oldest spooled messages to the engine; each person's in arrival order.

    Replies are queued in the outbox (the webhook that brought them was answered long ago).
    An entry is deleted only after the engine committed it; a crash in between replays it
    again, which the engine ignores as a duplicate of the same external id.
    """
    spool = runtime.spool
    entries = await spool.oldest(batch)
    if not entries:
        return ReplayOutcome(0, False)
    people: dict[tuple[str, str], list[Spooled]] = {}
    for entry in entries:
        key = (channel_of(entry.inbound.channel).family, entry.inbound.address)
        people.setdefault(key, []).append(entry)
    down = asyncio.Event()
    gate = asyncio.Semaphore(REPLAY_CONCURRENCY)
    replayed = 0

    async def replay_person(queue: list[Spooled]) -> None:
        nonlocal replayed
        async with gate:
            for entry in queue:
                if down.is_set():
                    return
                try:
                    await asyncio.wait_for(
                        runtime.engine.handle(
                            entry.inbound, queue_replies=True, raise_store_errors=True
                        ),
                        HANDLE_TIMEOUT,
                    )
                except (StoreUnavailable, TimeoutError):
                    down.set()
                    return
                await spool.remove(entry.name)
                replayed += 1

    await asyncio.gather(*(replay_person(queue) for queue in people.values()))
    if replayed:
        runtime.wake_outbox()
        log.info("spool: replayed %d inbound messages", replayed)
    return ReplayOutcome(replayed, down.is_set())


async def replay_loop(runtime: Runtime, stop: asyncio.Event) -> None:
    """Replay until `stop` is set; only one process per spool directory replays (an flock)."""
    spool = runtime.spool
    while not await asyncio.to_thread(spool.store.try_lock):
        if await _stopped(stop, LOCK_RETRY):
            return
    backoff = IDLE_WAIT / 4
    try:
        while not stop.is_set():
            try:
                outcome = await replay_once(runtime)
            except Exception:
                log.exception("spool replay failed; retrying")
                outcome = ReplayOutcome(0, True)
            if outcome.store_down:
                # Puts do not wake us while the database is away: probe on a short backoff.
                backoff = min(MAX_BACKOFF, backoff * 2)
                await _stopped(stop, backoff)
                continue
            backoff = IDLE_WAIT / 4
            if outcome.replayed == 0:
                await _first(stop, spool.wait(IDLE_WAIT))
    finally:
        await asyncio.to_thread(spool.store.unlock)


async def _stopped(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep up to `seconds`; True if `stop` was set meanwhile."""
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return False
    return True


async def _first(stop: asyncio.Event, waiting: Awaitable[None]) -> None:
    """Wait for the spool's wake-up or for `stop`, whichever comes first."""
    tasks = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(waiting)]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()


def _why(exc: BaseException) -> str:
    """Why the message is spooled, in words for the operator's log (never the driver's text)."""
    if isinstance(exc, TimeoutError):
        return f"no answer within {HANDLE_TIMEOUT:.0f} s"
    return failure_kind(exc)


def _disk(exc: OSError) -> str:
    """What the disk refused, for the operator's log (the error's kind, never a path)."""
    return type(exc).__name__
