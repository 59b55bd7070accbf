"""An outbox worker running for as long as the service does: restarted after a failure that
escapes it (a database hiccup must not end sending), woken by whoever queues a message, and
given a grace period at shutdown to finish the batch in hand."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress

from fikir.outbox.worker import OutboxWorker

log = logging.getLogger(__name__)

RESTART_DELAY = 5.0
STOP_GRACE = 5.0


async def supervised(worker: OutboxWorker, stop: asyncio.Event, name: str) -> None:
    """Run the worker until stopped, starting it again after any failure."""
    while not stop.is_set():
        try:
            await worker.run(stop)
        except Exception:
            log.exception(
                "the %s outbox worker stopped; restarting it in %.0f s", name, RESTART_DELAY
            )
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=RESTART_DELAY)


@asynccontextmanager
async def running(
    worker: OutboxWorker, wakers: list[Callable[[], None]], name: str, grace: float = STOP_GRACE
) -> AsyncIterator[OutboxWorker]:
    """`worker` sending in the background while the block runs; `wakers` is the runtime's list
    of callbacks that queuing code calls (polls opened, spooled replies replayed)."""
    stop = asyncio.Event()
    task = asyncio.create_task(supervised(worker, stop, name), name=f"{name}-outbox")
    wakers.append(worker.wake)
    try:
        yield worker
    finally:
        wakers.remove(worker.wake)
        stop.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=grace)
        except TimeoutError:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
