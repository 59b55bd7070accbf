"""The spool as channels and the replayer use it: async, counted, and able to wake the replayer."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from fikir.dialog.messages import Inbound
from fikir.metrics import Metrics
from fikir.spool.entry import EntryError, decode, encode
from fikir.spool.store import Spool, SpoolError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Spooled:
    """One entry read back: its name in the spool and the message it holds."""

    name: str
    inbound: Inbound


class InboundSpool:
    """Inbound messages kept on local disk while the database cannot take them."""

    def __init__(self, directory: Path, secret: bytes, metrics: Metrics | None = None) -> None:
        self.store = Spool(directory, secret)
        self._metrics = metrics
        self._pending: int | None = None
        self._wake = asyncio.Event()

    @property
    def directory(self) -> Path:
        return self.store.directory

    async def backlog(self) -> int:
        """Entries waiting for replay (counted on disk the first time, then kept in memory)."""
        if self._pending is None:
            await self.recount()
        return self._pending or 0

    async def recount(self) -> int:
        self._set_pending(await asyncio.to_thread(self.store.count))
        return self._pending or 0

    async def put(self, inbound: Inbound) -> None:
        """Return only once the message is encrypted and fsynced; raise if the disk refuses."""
        record = encode(inbound)
        await asyncio.to_thread(self.store.put, record)
        self._set_pending((self._pending or 0) + 1)
        self._wake.set()

    async def oldest(self, limit: int) -> list[Spooled]:
        """Up to `limit` entries in arrival order; unreadable ones are set aside and logged."""
        spooled, unreadable, waiting = await asyncio.to_thread(self._load, limit)
        self._set_pending(waiting)
        if unreadable:
            log.error(
                "spool: %d entries cannot be read with the current FIKIR_SECRET_KEY; moved to "
                "%s/unreadable for the operator (they were never answered)",
                unreadable,
                self.directory,
            )
        return spooled

    def _load(self, limit: int) -> tuple[list[Spooled], int, int]:
        found: list[Spooled] = []
        unreadable = 0
        names = self.store.names()
        for name in names[:limit]:
            try:
                found.append(Spooled(name, decode(self.store.read(name))))
            except FileNotFoundError:
                continue  # replayed by another process sharing the directory
            except (SpoolError, EntryError):
                self.store.set_aside(name)
                unreadable += 1
        return found, unreadable, len(names) - unreadable

    async def remove(self, name: str) -> None:
        await asyncio.to_thread(self.store.remove, name)
        self._set_pending(max(0, (self._pending or 1) - 1))

    async def wait(self, timeout: float) -> None:
        """Sleep until something is spooled or `timeout` passes."""
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), timeout)
        except TimeoutError:
            pass

    def _set_pending(self, value: int) -> None:
        self._pending = value
        if self._metrics is not None:
            self._metrics.spooled.set(value)
