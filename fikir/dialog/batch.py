"""Group commit: messages that arrive while a transaction runs share the next one.

A commit per message caps throughput at the database's commit rate (an fsync on PostgreSQL,
the one writer lock on SQLite) and charges every message the fixed cost of a transaction.
Instead, messages waiting for the engine are handed to it together; each still gets its own
outcome, in the order it arrived, and is acknowledged only after the commit that holds it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from fikir.dialog.messages import Handled, Inbound

log = logging.getLogger(__name__)

# Large enough that a burst is absorbed in a few transactions, small enough that one
# transaction stays well under the latency a webhook can afford.
MAX_BATCH = 64


@dataclass(eq=False)
class Pending:
    """One message waiting for its transaction; a result of None marks a redelivery."""

    inbound: Inbound
    queue_replies: bool
    future: asyncio.Future[Handled | None] = field(repr=False)

    @property
    def abandoned(self) -> bool:
        """The caller stopped waiting (it spooled the message, or its request went away)."""
        return self.future.cancelled()


class GroupCommit:
    """A queue in front of `run`, which handles a list of messages and settles every future."""

    def __init__(
        self, run: Callable[[list[Pending]], Awaitable[None]], limit: int = MAX_BATCH
    ) -> None:
        self._run = run
        self._limit = limit
        self._waiting: list[Pending] = []
        self._drainer: asyncio.Task[None] | None = None

    async def submit(self, inbound: Inbound, queue_replies: bool) -> Handled | None:
        """The message's outcome once committed (None: already processed); raises its error."""
        item = Pending(inbound, queue_replies, asyncio.get_running_loop().create_future())
        self._waiting.append(item)
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain(), name="dialog-group-commit")
        return await item.future

    async def _drain(self) -> None:
        while self._waiting:
            batch = [item for item in self._waiting[: self._limit] if not item.abandoned]
            del self._waiting[: self._limit]
            if not batch:
                continue
            try:
                await self._run(batch)
            except Exception as exc:  # a bug in `run`: nobody may be left waiting for ever
                log.exception("the dialog engine's batch failed unexpectedly")
                for item in batch:
                    if not item.future.done():
                        item.future.set_exception(exc)
