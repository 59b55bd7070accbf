"""Telegram's limits, enforced where requests leave: N messages in any second, 1 per chat.

The outbox worker already spaces its sends, but a token bucket lets a full bucket burst on
top of the steady rate, and rows for one chat claimed together can leave together. Here each
limit is counted from the moment a request *finished*: Telegram has received a request
before it answers, so however late our event loop gets round to writing the next one, the
gaps Telegram sees are never shorter than these.
"""

from __future__ import annotations

import asyncio
import heapq
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

MARGIN = 0.02  # seconds: clock granularity, nothing more (see above)


class Window:
    """At most `limit` requests in any `period` seconds, as the receiving end sees them.

    A place is taken when a request starts and given back `period` seconds after it ends.
    """

    def __init__(self, limit: int, period: float) -> None:
        self.limit = max(1, limit)
        self.period = period
        self._places = asyncio.Semaphore(self.limit)
        self._paused_until = 0.0

    @asynccontextmanager
    async def place(self) -> AsyncIterator[None]:
        while (wait := self._paused_until - time.monotonic()) > 0:
            await asyncio.sleep(wait)
        await self._places.acquire()
        try:
            yield
        finally:
            asyncio.get_running_loop().call_later(self.period, self._places.release)

    def pause(self, seconds: float) -> None:
        """Telegram said 429: start nothing more until `seconds` have passed."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)


@dataclass
class _Chat:
    turn: asyncio.Condition = field(default_factory=asyncio.Condition)
    queue: list[int] = field(default_factory=list)  # a heap of the waiters' order keys
    busy: bool = False
    last: float = float("-inf")


class Pacer:
    """`rate` messages per second overall and one per `gap` seconds to each chat, in order."""

    def __init__(self, rate: float, gap: float = 1.0, remember: int = 50_000) -> None:
        limit = max(1, int(rate))
        self.window = Window(limit, limit / rate + MARGIN)
        self.gap = gap + MARGIN
        self._chats: dict[int, _Chat] = {}
        self._remember = remember

    def pause(self, seconds: float) -> None:
        self.window.pause(seconds)

    @asynccontextmanager
    async def slot(self, chat_id: int, order: int = 0) -> AsyncIterator[None]:
        """Wait for this chat's turn and a place in the window; hold the chat while sending.

        Among messages waiting for one chat, the lowest `order` (the outbox id: the order the
        engine queued them in) goes first, so a person reads the replies in the right order.
        """
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = _Chat()
        async with chat.turn:
            heapq.heappush(chat.queue, order)
            await chat.turn.wait_for(lambda: not chat.busy and chat.queue[0] == order)
            heapq.heappop(chat.queue)
            chat.busy = True
        try:
            wait = chat.last + self.gap - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            async with self.window.place():
                yield
        finally:
            # Measured from the end of the request: the next one cannot arrive sooner.
            chat.last = time.monotonic()
            async with chat.turn:
                chat.busy = False
                chat.turn.notify_all()
            if len(self._chats) > self._remember:
                self._forget_idle()

    def _forget_idle(self) -> None:
        cutoff = time.monotonic() - self.gap
        for key in [
            k for k, c in self._chats.items() if not c.busy and not c.queue and c.last < cutoff
        ]:
            del self._chats[key]
