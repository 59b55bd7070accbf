"""Staff's edits to a month's themes and quotes (fikir.storage.digest_edits), read once per build
and applied by fikir.digest.month_themes, so a renamed, merged or hidden theme stays so when the
month is built again."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from fikir.storage.digest_edits import DigestEdit


def quote_key(text: str) -> str:
    """A quote's key for its English rendering: the hash of its words, not the words."""
    folded = " ".join(text.split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Edits:
    """One month's edits: hidden theme keys, new names, merges (key -> into) and renderings."""

    hidden: frozenset[str] = frozenset()
    names: dict[str, str] = field(default_factory=dict)
    merges: dict[str, str] = field(default_factory=dict)
    english: dict[str, str] = field(default_factory=dict)  # quote_key -> English

    def target(self, key: str) -> str:
        """The theme a theme ends up in after merges (chains followed, loops broken)."""
        seen = {key}
        while key in self.merges and self.merges[key] not in seen:
            key = self.merges[key]
            seen.add(key)
        return key


async def load_edits(conn: AsyncConnection, month: str) -> Edits:
    """The edits staff saved for `month` (none: nothing changes)."""
    rows = (
        await conn.execute(
            select(
                col(DigestEdit.kind),
                col(DigestEdit.key),
                col(DigestEdit.hidden),
                col(DigestEdit.name),
                col(DigestEdit.merge_into),
                col(DigestEdit.english),
            ).where(col(DigestEdit.month) == month)
        )
    ).all()
    hidden: set[str] = set()
    names: dict[str, str] = {}
    merges: dict[str, str] = {}
    english: dict[str, str] = {}
    for kind, key, is_hidden, name, into, rendering in rows:
        if kind == "quote":
            if rendering:
                english[key] = rendering
            continue
        if is_hidden:
            hidden.add(key)
        if name:
            names[key] = name
        if into and into != key:
            merges[key] = into
    return Edits(frozenset(hidden), names, merges, english)
