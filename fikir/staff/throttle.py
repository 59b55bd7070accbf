"""Sign-in throttling by source, so a stranger's wrong guesses never lock the owner out.

Failures are counted per source and name (a few free, then waits that double up to a cap) and
per source across all names (many free, the same waits), never per account: the owner, coming
from another source, signs in at once. Counts live in the database, so every instance behind
a load balancer sees them. A source is kept only as a keyed hash (HMAC under a key derived
from FIKIR_SECRET_KEY), never as an address; IPv6 sources count by /64 network, the block one
subscriber usually holds.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.privacy.keys import derive_key
from fikir.storage.bulk import insert_new, table_of
from fikir.storage.models import LoginThrottle

FREE_PER_NAME = 3  # wrong passwords from one source for one name before waits begin
FREE_PER_SOURCE = 20  # from one source for any names (guessing many accounts)
MAX_WAIT = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=24)  # a source's count starts again after a quiet day


@dataclass(frozen=True)
class Keys:
    """The two counters one attempt touches, as keyed hashes."""

    source: str
    pair: str


def network(source: str) -> str:
    """The unit one attacker controls: the address, or its /64 for IPv6."""
    try:
        address = ipaddress.ip_address(source)
    except ValueError:
        return source[:200]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def keys_for(secret: bytes, source: str, name: str) -> Keys:
    """Keyed hashes of the source and of source + name (the name folded to lower case)."""
    key = derive_key(secret, "login-throttle")
    where = network(source)

    def digest(value: str) -> str:
        return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()

    return Keys(digest(f"source\x1f{where}"), digest(f"pair\x1f{where}\x1f{name.strip().lower()}"))


def wait_after(failures: int, free: int) -> timedelta:
    """No wait for the first `free` failures; then 1 s, 2 s, 4 s … up to MAX_WAIT."""
    if failures < free:
        return timedelta(0)
    return min(MAX_WAIT, timedelta(seconds=2 ** min(failures - free, 20)))


async def wait_left(session: AsyncSession, keys: Keys, now: datetime) -> timedelta:
    """How long this source must wait before trying this name again (zero: go ahead)."""
    rows = await session.exec(
        select(LoginThrottle).where(col(LoginThrottle.key).in_([keys.source, keys.pair]))
    )
    left = timedelta(0)
    for row in rows.all():
        if now - row.last_failure_at < FORGET_AFTER:
            left = max(left, row.next_allowed_at - now)
    return left


async def record_failure(session: AsyncSession, keys: Keys, now: datetime) -> None:
    """Count a wrong password (or unknown name) against the source and the pair."""
    await session.exec(
        delete(LoginThrottle).where(col(LoginThrottle.last_failure_at) < now - FORGET_AFTER)
    )
    rows = [
        {"key": key, "failures": 0, "last_failure_at": now, "next_allowed_at": now}
        for key in (keys.source, keys.pair)
    ]
    # The rows first (a race with another instance is settled by the database), then counted
    # under a row lock, so two instances never lose one of each other's failures.
    await insert_new(session, table_of(LoginThrottle), rows, ("key",), ("key",))
    found = await session.exec(
        select(LoginThrottle)
        .where(col(LoginThrottle.key).in_([keys.source, keys.pair]))
        .with_for_update()
    )
    for row in found.all():
        free = FREE_PER_SOURCE if row.key == keys.source else FREE_PER_NAME
        row.failures += 1
        row.last_failure_at = now
        row.next_allowed_at = now + wait_after(row.failures, free)
        session.add(row)


async def record_success(session: AsyncSession, keys: Keys) -> None:
    """The right password clears the pair's count; the source's count runs out on its own."""
    await session.exec(delete(LoginThrottle).where(col(LoginThrottle.key) == keys.pair))
