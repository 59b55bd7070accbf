"""Poll answers and results: the rules of one answer per person and suppressed totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import ColumnElement, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import TEST_CHANNELS
from fikir.polls.model import Audience, PollView, view
from fikir.privacy.suppression import SuppressedCounts, SuppressedTable, suppress, suppress_table
from fikir.storage.language_tables import load_fallbacks
from fikir.storage.models import Poll, PollAnswer, PollOption, Respondent
from fikir.storage.survey_tables import SurveyQuestion

AnswerOutcome = Literal["recorded", "changed", "closed", "outside", "invalid"]


async def load_view(session: AsyncSession, poll_id: int) -> PollView | None:
    poll = await session.get(Poll, poll_id)
    if poll is None:
        return None
    options = (await session.exec(select(PollOption).where(PollOption.poll_id == poll_id))).all()
    return view(poll, list(options), await load_fallbacks(session))


def is_open(poll: Poll, now: datetime) -> bool:
    if poll.status != "open":
        return False
    return poll.closes_at is None or poll.closes_at > now


async def open_polls_for(
    session: AsyncSession, respondent: Respondent, now: datetime, *, unanswered_only: bool = True
) -> list[PollView]:
    """Open polls whose audience includes the respondent, oldest first."""
    polls = (
        await session.exec(select(Poll).where(Poll.status == "open").order_by(col(Poll.id)))
    ).all()
    answered: set[int] = set()
    if unanswered_only and respondent.id is not None:
        answered = set(
            (
                await session.exec(
                    select(PollAnswer.poll_id).where(PollAnswer.respondent_id == respondent.id)
                )
            ).all()
        )
    found = []
    for poll in polls:
        if poll.id in answered or not is_open(poll, now):
            continue
        if not Audience.from_json(poll.audience).includes(respondent):
            continue
        loaded = await load_view(session, poll.id or 0)
        if loaded is not None:
            found.append(loaded)
    return found


async def answers_of(
    session: AsyncSession, respondent: Respondent, poll_ids: list[int]
) -> dict[int, int]:
    """The respondent's current answer (option position) to each of these polls they answered."""
    if respondent.id is None or not poll_ids:
        return {}
    rows = (
        await session.exec(
            select(PollAnswer.poll_id, PollAnswer.position).where(
                PollAnswer.respondent_id == respondent.id, col(PollAnswer.poll_id).in_(poll_ids)
            )
        )
    ).all()
    return {int(poll_id): int(position) for poll_id, position in rows}


async def record_answer(
    session: AsyncSession,
    poll: PollView,
    respondent: Respondent,
    position: int,
    now: datetime,
) -> AnswerOutcome:
    """Store or replace the respondent's answer; the caller commits.

    Every answer passes here, whatever the channel or the path (a button's payload, a typed
    reply, an SMS number): the poll must be open and its audience must include the respondent
    as they are now, or nothing is stored.
    """
    if not is_open(poll.poll, now):
        return "closed"
    if not Audience.from_json(poll.poll.audience).includes(respondent):
        return "outside"
    if not 0 <= position < len(poll.options) or respondent.id is None:
        return "invalid"
    existing = (
        await session.exec(
            select(PollAnswer).where(
                PollAnswer.poll_id == poll.id, PollAnswer.respondent_id == respondent.id
            )
        )
    ).first()
    answer = existing or PollAnswer(
        poll_id=poll.id, respondent_id=respondent.id, position=position, channel=""
    )
    answer.position = position
    answer.answered_at = now
    # A snapshot of the profile, so results stay right if the profile changes later.
    answer.channel = respondent.channel
    answer.language = respondent.language
    answer.region = respondent.region
    answer.age_band = respondent.age_band
    answer.gender = respondent.gender
    session.add(answer)
    if existing is not None:
        return "changed"
    return "recorded"


@dataclass(frozen=True)
class PollResults:
    """Per-option counts of distinct respondents, suppressed for k."""

    poll: PollView
    counts: SuppressedCounts[int]

    def percentages(self) -> dict[int, int]:
        total = self.counts.total or 0
        if not total:
            return {}
        return {pos: round(100 * n / total) for pos, n in self.counts.shown.items()}


def _from_people() -> ColumnElement[bool]:
    """Answers staff gave while trying the poll (simulator, console) are never counted."""
    return col(PollAnswer.channel).not_in(TEST_CHANNELS)


async def results(session: AsyncSession, poll: PollView, k: int) -> PollResults:
    rows = (
        await session.exec(
            select(PollAnswer.position, func.count(func.distinct(PollAnswer.respondent_id)))
            .where(PollAnswer.poll_id == poll.id, _from_people())
            .group_by(col(PollAnswer.position))
        )
    ).all()
    counts = dict.fromkeys(range(len(poll.options)), 0)
    counts.update({int(position): int(n) for position, n in rows})
    return PollResults(poll=poll, counts=suppress(counts, k))


async def latest_shared_results(session: AsyncSession, k: int, limit: int = 3) -> list[PollResults]:
    """Closed polls whose results are to be shared, newest first."""
    polls = (
        await session.exec(
            select(Poll)
            .where(Poll.status == "closed", col(Poll.share_results).is_(True))
            # A survey's results are question by question (fikir.surveys.results), not options.
            .where(col(Poll.id).not_in(select(SurveyQuestion.poll_id)))
            .order_by(col(Poll.closes_at).desc(), col(Poll.id).desc())
            .limit(limit)
        )
    ).all()
    found = []
    for poll in polls:
        loaded = await load_view(session, poll.id or 0)
        if loaded is not None:
            found.append(await results(session, loaded, k))
    return found


BREAKDOWNS = ("channel", "language", "region", "age_band", "gender")


async def breakdown(
    session: AsyncSession, poll: PollView, dimension: str, k: int
) -> SuppressedTable[str, int]:
    """Option counts per channel, language, region, age band or gender, suppressed as a table."""
    if dimension not in BREAKDOWNS:
        raise ValueError(f"breakdown must be one of {', '.join(BREAKDOWNS)}")
    column = getattr(PollAnswer, dimension)
    rows = (
        await session.exec(
            select(column, PollAnswer.position, func.count(func.distinct(PollAnswer.respondent_id)))
            .where(PollAnswer.poll_id == poll.id, _from_people())
            .group_by(column, col(PollAnswer.position))
        )
    ).all()
    table: dict[str, dict[int, int]] = {}
    for value, position, n in rows:
        table.setdefault(str(value or "undisclosed"), {})[int(position)] = int(n)
    return suppress_table(table, k)
