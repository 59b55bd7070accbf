"""The polls that closed during the month, with their results as the polls service suppresses them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col
from sqlmodel import select as select_models
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.population import load_population
from fikir.digest.document import PollFigure, PollOptionFigure, WeightedFigure
from fikir.polls.service import load_view, results
from fikir.polls.weighting import weighted_results
from fikir.storage.models import Poll
from fikir.surveys.service import survey_ids


async def closed_polls(
    session: AsyncSession, start: datetime, end: datetime, k: int
) -> tuple[PollFigure, ...]:
    """Polls that closed during the month, with results suppressed by the polls service."""
    polls = (
        await session.exec(
            select_models(Poll)
            .where(
                col(Poll.status) == "closed",
                col(Poll.closes_at) >= start,
                col(Poll.closes_at) < end,
            )
            .order_by(col(Poll.closes_at), col(Poll.id))
        )
    ).all()
    figures = []
    surveys = await survey_ids(session, [poll.id or 0 for poll in polls])
    for poll in polls:
        view = await load_view(session, poll.id or 0)
        if view is None or view.id in surveys:  # surveys have their own section
            continue
        result = await results(session, view, k)
        weighted = await weighted_results(session, view, result, load_population(), k)
        options = tuple(
            PollOptionFigure(
                position=index + 1,
                labels=tuple(sorted(labels.items())),
                count=result.counts.shown.get(index),
                weighted_share=None if weighted is None else weighted.shares.get(index),
            )
            for index, labels in enumerate(view.options)
        )
        figures.append(
            PollFigure(
                slug=poll.slug,
                question=tuple(sorted(view.question.items())),
                closed_at=poll.closes_at,
                total=result.counts.total,
                options=options if result.counts.total is not None else (),
                other=result.counts.other,
                weighted=None
                if weighted is None
                else WeightedFigure(weighted.other, weighted.answers, weighted.coverage),
            )
        )
    return tuple(figures)
