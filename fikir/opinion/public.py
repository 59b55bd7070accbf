"""The opinion maps everyone may see: topics sent out (open or closed), newest first."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.opinion.render import MapView, topic_view
from fikir.opinion.report import topic_map
from fikir.storage.opinion_tables import OpinionTopic

MAPS_SHOWN = 3
# Each map, computed once, rendered in whichever language the reader picks.
OpinionMaps = list[Callable[[str], MapView]]


async def public_maps(session: AsyncSession, k: int, limit: int = MAPS_SHOWN) -> OpinionMaps:
    shown = (
        await session.exec(
            select(OpinionTopic)
            .where(col(OpinionTopic.status).in_(("open", "closed")))
            .order_by(col(OpinionTopic.id).desc())
            .limit(limit)
        )
    ).all()
    return [partial(topic_view, topic, await topic_map(session, topic, k)) for topic in shown]
