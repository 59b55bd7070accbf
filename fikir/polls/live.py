"""Live meeting mode: poll figures for a projector from which nobody in the room can read one
person's answer as it arrives.

The rule (docs/privacy.md, "Live meeting mode"):

1. Batches. The page shows a published snapshot. A new snapshot is taken only once at least k
   people have answered, or changed their answer, since the last one. Between snapshots the
   figures do not move, so a single answer never changes what is shown: every change mixes at
   least k people's answers.
2. Suppression. Under k answers in all nothing is shown; options under k are merged into
   "other" (fikir.privacy.suppression.suppress, as everywhere else).
3. Rounding. The total is shown rounded down to a multiple of 5, each option as its share of
   the answers in steps of 5 %, so even a snapshot's exact counts stay unknown.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import TEST_CHANNELS
from fikir.polls.model import PollView
from fikir.privacy.suppression import suppress
from fikir.storage.models import PollAnswer

ROUND_TO = 5


@dataclass(frozen=True)
class LiveFigures:
    """What the projector shows: nothing under k, else a rounded total and rounded shares."""

    shown: bool
    total: int = 0  # rounded down to a multiple of ROUND_TO
    shares: dict[int, int] = field(default_factory=dict)  # option position → percent
    other: int | None = None  # percent of the options merged because they are small

    def to_json(self) -> dict[str, object]:
        return {
            "shown": self.shown,
            "total": self.total,
            "shares": {str(k): v for k, v in sorted(self.shares.items())},
            "other": self.other,
        }


def figures(counts: Mapping[int, int], k: int) -> LiveFigures:
    """The display of one snapshot of option counts (rules 2 and 3)."""
    result = suppress(counts, k)
    if result.suppressed or not result.total:
        return LiveFigures(shown=False)
    total = result.total
    shares = {position: _step(100 * n / total) for position, n in result.shown.items()}
    other = _step(100 * result.other / total) if result.other else None
    return LiveFigures(True, total // ROUND_TO * ROUND_TO, shares, other)


def _step(percent: float) -> int:
    return int(ROUND_TO * round(percent / ROUND_TO))


def snapshot_due(published: bool, fresh: int, k: int) -> bool:
    """Rule 1: a first snapshot, or at least k people answered since the last one."""
    return not published or fresh >= k


async def live_figures(session: AsyncSession, poll: PollView, k: int) -> LiveFigures:
    """The published figures, taking a new snapshot when one is due; the caller commits."""
    row = poll.poll
    people = col(PollAnswer.channel).not_in(TEST_CHANNELS)
    fresh_query = select(func.count(func.distinct(PollAnswer.respondent_id))).where(
        PollAnswer.poll_id == poll.id, people
    )
    if row.live_at is not None:
        fresh_query = fresh_query.where(col(PollAnswer.answered_at) > row.live_at)
    fresh = int((await session.exec(fresh_query)).one())
    if snapshot_due(row.live_counts is not None, fresh, k):
        rows = (
            await session.exec(
                select(PollAnswer.position, PollAnswer.answered_at).where(
                    PollAnswer.poll_id == poll.id, people
                )
            )
        ).all()
        counts = dict.fromkeys(range(len(poll.options)), 0)
        latest: datetime | None = row.live_at
        for position, answered_at in rows:
            counts[int(position)] = counts.get(int(position), 0) + 1
            if latest is None or answered_at > latest:
                latest = answered_at
        row.live_counts = json.dumps({str(p): n for p, n in counts.items()})
        row.live_at = latest
        session.add(row)
    stored = json.loads(row.live_counts or "{}")
    return figures({int(p): int(n) for p, n in stored.items()}, k)
