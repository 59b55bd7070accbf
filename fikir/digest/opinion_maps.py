"""The opinion maps in the digest: each topic people voted on during the month, its groups as
of the build (fikir.opinion.report: groups and figures from k people only)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.opinion.render import MapView, map_view
from fikir.opinion.report import Figures, OpinionMap, topic_map
from fikir.storage.opinion_tables import OpinionStatement, OpinionTopic, OpinionVote


@dataclass(frozen=True)
class OpinionFigure:
    """One topic's map; `title` is (language, text) pairs."""

    slug: str
    title: tuple[tuple[str, str], ...]
    found: OpinionMap

    def view(self, lang: str) -> MapView:
        return map_view(dict(self.title), self.found, lang)


async def month_opinion_maps(
    session: AsyncSession, start: datetime, end: datetime, k: int
) -> tuple[OpinionFigure, ...]:
    """Topics with a vote in [start, end), each with its map as of now."""
    voted = (
        select(OpinionStatement.topic_id)
        .join(OpinionVote, col(OpinionVote.statement_id) == col(OpinionStatement.id))
        .where(col(OpinionVote.voted_at) >= start, col(OpinionVote.voted_at) < end)
    )
    topics = (
        await session.exec(
            select(OpinionTopic)
            .where(col(OpinionTopic.id).in_(voted))
            .order_by(col(OpinionTopic.id))
        )
    ).all()
    found = []
    for topic in topics:
        title = tuple(sorted(json.loads(topic.title).items()))
        found.append(OpinionFigure(topic.slug, title, await topic_map(session, topic, k)))
    return tuple(found)


def _figures(f: Figures | None) -> dict[str, object] | None:
    if f is None:
        return None
    return {
        "statement": f.statement_id,
        "text": dict(sorted(f.texts.items())),
        "agree": f.agree,
        "disagree": f.disagree,
        "votes": f.votes,
    }


def opinions_json(items: tuple[OpinionFigure, ...]) -> list[dict[str, object]]:
    """The maps in the machine-readable digest (docs/digest-schema.md)."""
    return [
        {
            "slug": item.slug,
            "title": dict(item.title),
            "groups": [
                {
                    "number": g.number,
                    "people": g.people,
                    "agrees": [_figures(f) for f in g.agrees],
                }
                for g in item.found.groups
            ],
            "divided": [
                {
                    "statement": d.statement_id,
                    "text": dict(sorted(d.texts.items())),
                    "groups": [_figures(f) for f in d.by_group],
                }
                for d in item.found.divided
            ],
            "consensus": [_figures(f) for f in item.found.consensus],
        }
        for item in items
    ]
