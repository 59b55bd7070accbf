"""Live meeting mode: the projector's figures are batched (a new snapshot only after k more
people answered), suppressed under k and rounded, so a single answer is never seen arriving."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from fikir.cli.demo import DEMO_POLL
from fikir.polls.live import ROUND_TO, LiveFigures, figures, live_figures
from fikir.polls.manage import PollSpec, create_poll, set_status
from fikir.polls.service import load_view
from fikir.runtime import Runtime
from fikir.storage.models import PollAnswer, Respondent

K = 5


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=2, max_size=6))
def test_figures_are_suppressed_and_rounded(counts: list[int]) -> None:
    shown = figures(dict(enumerate(counts)), K)
    total = sum(counts)
    if total < K:
        assert shown == LiveFigures(shown=False)
        return
    if not shown.shown:
        return  # too few to show even merged
    assert shown.total % ROUND_TO == 0 and total - ROUND_TO < shown.total <= total
    for share in [*shown.shares.values(), shown.other or 0]:
        assert share % ROUND_TO == 0 and 0 <= share <= 100
    for position, share in shown.shares.items():
        assert counts[position] >= K  # an option under k is never shown on its own
        assert abs(share - 100 * counts[position] / total) <= ROUND_TO / 2


async def _answer(
    runtime: Runtime, poll_id: int, who: int, position: int, at: datetime, channel: str = "sms"
) -> None:
    async with runtime.sessions() as session, session.begin():
        pseudonym = f"live-{who}".rjust(64, "0")
        person = (
            await session.exec(select(Respondent).where(Respondent.pseudonym == pseudonym))
        ).first()
        if person is None:
            person = Respondent(pseudonym=pseudonym, channel=channel, language="az", consent_at=at)
            session.add(person)
            await session.flush()
        answer = (
            await session.exec(
                select(PollAnswer).where(
                    PollAnswer.poll_id == poll_id, PollAnswer.respondent_id == person.id
                )
            )
        ).first() or PollAnswer(
            poll_id=poll_id, respondent_id=person.id or 0, channel=channel, position=0
        )
        answer.position = position
        answer.answered_at = at
        session.add(answer)


async def _shown(runtime: Runtime, poll_id: int) -> LiveFigures:
    async with runtime.sessions() as session, session.begin():
        view = await load_view(session, poll_id)
        assert view is not None
        return await live_figures(session, view, K)


async def test_no_single_answer_is_seen_arriving(runtime: Runtime) -> None:
    """The rule, checked on the stored snapshots: between two consecutive states (one more
    answer, new or changed) the display is the same, unless at least k people answered since
    the display last changed; and every shown figure is rounded."""
    now = datetime.now(UTC)
    async with runtime.sessions() as session, session.begin():
        poll = await create_poll(session, PollSpec.from_dict(DEMO_POLL))
        await set_status(session, poll.slug, "open", now)
    assert poll.id is not None
    rng = random.Random(18)
    previous = await _shown(runtime, poll.id)
    assert not previous.shown
    since_change: set[int] = set()
    changes = 0
    people = 0
    for step in range(120):
        # Mostly new people; now and then someone changes their answer.
        if people and rng.random() < 0.2:
            who = rng.randrange(people)
        else:
            who, people = people, people + 1
        at = now + timedelta(seconds=step + 1)
        await _answer(runtime, poll.id, who, rng.choice([0, 0, 1, 2]), at)
        since_change.add(who)
        shown = await _shown(runtime, poll.id)
        if shown != previous:
            changes += 1
            assert len(since_change) >= K, (step, len(since_change), previous, shown)
            since_change = set()
        if shown.shown:
            assert shown.total % ROUND_TO == 0
            assert all(v % ROUND_TO == 0 for v in shown.shares.values())
        previous = shown
    assert changes >= 5  # it does move, in batches
    # Staff trying the poll in the simulator never move the figures.
    before = await _shown(runtime, poll.id)
    for who in range(1000, 1000 + 2 * K):
        await _answer(runtime, poll.id, who, 1, now + timedelta(hours=1), channel="simulator")
    assert await _shown(runtime, poll.id) == before
