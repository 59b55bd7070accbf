"""What the opinion map publishes: groups of at least k people, what each agrees on, what
divides them and what they share; a figure only from at least k votes.

Every figure is computed over the members of the published groups alone, so a hidden group's
votes can never be recovered by subtracting the shown groups from a total; a statement that
divides the groups shows each group's figures (each from at least k votes) and no total.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.opinion.groups import group
from fikir.storage.opinion_tables import OpinionStatement, OpinionTopic, OpinionVote

AGREED = 0.6  # a group "agrees" with a statement when at least this share of its votes agree
DIVIDED = 0.5  # a statement divides when two groups' shares of agreement differ by this much
SHOWN = 5  # statements listed per heading


@dataclass(frozen=True)
class Figures:
    """Votes on one statement by one set of people (a group, or all published groups)."""

    statement_id: int
    texts: dict[str, str]
    agree: int
    disagree: int
    votes: int  # passes included

    @property
    def agree_share(self) -> float:
        return self.agree / self.votes if self.votes else 0.0

    def percent(self) -> tuple[int, int]:
        return round(100 * self.agree / self.votes), round(100 * self.disagree / self.votes)


@dataclass(frozen=True)
class GroupView:
    number: int
    people: int
    agrees: tuple[Figures, ...]


@dataclass(frozen=True)
class Divided:
    """A statement that divides: each published group's figures, None below k votes."""

    statement_id: int
    texts: dict[str, str]
    by_group: tuple[Figures | None, ...]


@dataclass(frozen=True)
class OpinionMap:
    k: int
    groups: tuple[GroupView, ...] = ()
    divided: tuple[Divided, ...] = ()
    consensus: tuple[Figures, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.groups


Vote = tuple[int, int, int]  # respondent id, statement id, vote


def build_map(votes: Sequence[Vote], statements: dict[int, dict[str, str]], k: int) -> OpinionMap:
    """The publishable map from raw votes (approved statements only); nothing below k."""
    votes = [v for v in votes if v[1] in statements]
    people = sorted({v[0] for v in votes})
    ids = sorted(statements)
    if len(people) < k or not ids:
        return OpinionMap(k)
    row = {p: i for i, p in enumerate(people)}
    column = {s: j for j, s in enumerate(ids)}
    matrix = np.full((len(people), len(ids)), np.nan)
    for person, statement, vote in votes:
        matrix[row[person], column[statement]] = vote
    labels = group(matrix).labels
    sizes = np.bincount(labels)
    published = [g for g in np.argsort(-sizes, kind="stable") if sizes[g] >= k]
    if not published:
        return OpinionMap(k)

    def figures(members: np.ndarray, j: int) -> Figures | None:
        cast = matrix[members, j]
        cast = cast[~np.isnan(cast)]
        if len(cast) < k:
            return None
        sid = ids[j]
        return Figures(
            sid, statements[sid], int((cast > 0).sum()), int((cast < 0).sum()), len(cast)
        )

    members = [labels == g for g in published]
    table = [[figures(m, j) for j in range(len(ids))] for m in members]
    groups = tuple(
        GroupView(
            number,
            int(sizes[g]),
            tuple(
                sorted(
                    (f for f in table[i] if f is not None and f.agree_share >= AGREED),
                    key=lambda f: -f.agree_share,
                )[:SHOWN]
            ),
        )
        for number, (i, g) in enumerate(enumerate(published), start=1)
    )
    pooled = np.logical_or.reduce(members)
    consensus, divided = [], []
    for j, sid in enumerate(ids):
        cells = [table[i][j] for i in range(len(published))]
        if all(c is not None and c.agree_share >= AGREED for c in cells):
            total = figures(pooled, j)
            if total is not None:
                consensus.append(total)
        shown = [c.agree_share for c in cells if c is not None]
        if len(shown) >= 2 and max(shown) - min(shown) >= DIVIDED:
            divided.append((max(shown) - min(shown), Divided(sid, statements[sid], tuple(cells))))
    consensus.sort(key=lambda f: -f.agree_share)
    divided.sort(key=lambda d: -d[0])
    return OpinionMap(k, groups, tuple(d for _, d in divided[:SHOWN]), tuple(consensus[:SHOWN]))


async def topic_map(session: AsyncSession, topic: OpinionTopic, k: int) -> OpinionMap:
    """The map of one topic from the store."""
    statements = {
        s.id: json.loads(s.texts)
        for s in (
            await session.exec(
                select(OpinionStatement).where(
                    OpinionStatement.topic_id == topic.id, OpinionStatement.status == "approved"
                )
            )
        ).all()
        if s.id is not None
    }
    rows = (
        await session.exec(
            select(
                OpinionVote.respondent_id,
                OpinionVote.statement_id,
                OpinionVote.vote,
                OpinionVote.voted_at,
            ).where(col(OpinionVote.statement_id).in_(list(statements)))
        )
    ).all()
    votes = [(r, s, v) for r, s, v, _ in rows]
    latest = max((when for *_, when in rows), default=None)
    key = (topic.id or 0, k, len(votes), latest, tuple(sorted(statements)))
    if key not in _maps:
        # Grouping is CPU work (seconds for a large topic): off the event loop, once per state.
        found = await asyncio.to_thread(build_map, votes, statements, k)
        if len(_maps) >= CACHED_MAPS:
            _maps.pop(next(iter(_maps)))
        _maps[key] = found
    return _maps[key]


CACHED_MAPS = 16
# Maps already computed, by topic and the state of its votes (count, latest vote, statements).
_maps: dict[tuple[object, ...], OpinionMap] = {}
