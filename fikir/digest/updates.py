"""The "you said, we did" updates staff sent during the month, for the digest."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.digest.document import UpdateFigure
from fikir.privacy.suppression import safe_count
from fikir.storage.models import Poll
from fikir.updates.manage import published


async def month_updates(
    session: AsyncSession, start: datetime, end: datetime, k: int
) -> tuple[UpdateFigure, ...]:
    """Updates sent in [start, end), oldest first; how many people each reached under the k rule."""
    figures = []
    for update in reversed(await published(session, since=start, until=end)):
        row = update.update
        poll = await session.get(Poll, row.poll_id) if row.poll_id is not None else None
        figures.append(
            UpdateFigure(
                id=update.id,
                title=tuple((lang, update.title[lang]) for lang in update.languages),
                text=tuple((lang, update.body[lang]) for lang in update.languages),
                goals=update.goals,
                regions=update.regions,
                poll=poll.slug if poll is not None else None,
                sent_at=row.sent_at,
                recipients=safe_count(row.recipients, k),
            )
        )
    return tuple(figures)
