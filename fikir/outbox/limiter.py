"""Rate limits for sending: an overall token bucket and a minimum gap per recipient."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict


class TokenBucket:
    """At most `rate` units per second on average, with bursts up to `burst` units."""

    def __init__(self, rate: float, burst: float | None = None) -> None:
        self.rate = rate
        self.capacity = burst if burst is not None else max(1.0, rate)
        self._tokens = self.capacity
        self._updated = time.monotonic()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = time.monotonic()
        self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    async def acquire(self, cost: float = 1.0) -> None:
        """Wait until `cost` units may be spent (a cost above capacity waits for a full bucket)."""
        async with self._lock:
            while True:
                self._refill()
                needed = min(cost, self.capacity)
                if self._tokens >= needed:
                    self._tokens -= cost
                    return
                await asyncio.sleep((needed - self._tokens) / self.rate)

    def pause(self, seconds: float) -> None:
        """The provider said 429: spend the next `seconds` worth of tokens now."""
        self._refill()
        self._tokens = min(self._tokens, 0.0) - seconds * self.rate


class PerKeyGap:
    """At most one send per `gap` seconds to the same recipient (Telegram: 1 per chat per s)."""

    def __init__(self, gap: float, remember: int = 100_000) -> None:
        self.gap = gap
        self._last: OrderedDict[str, float] = OrderedDict()
        self._remember = remember

    def wait_time(self, key: str) -> float:
        last = self._last.get(key)
        if last is None:
            return 0.0
        return max(0.0, last + self.gap - time.monotonic())

    def mark(self, key: str) -> None:
        self._last[key] = time.monotonic()
        self._last.move_to_end(key)
        while len(self._last) > self._remember:
            self._last.popitem(last=False)
