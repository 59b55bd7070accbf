"""Participants' own statements on the opinion map are free text: the retention job deletes
them after the configured months as it blanks old feedback, with every vote on them; staff's
seed statements and the votes on those stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from fikir.jobs.scheduler import retention_job
from fikir.opinion.service import moderate
from fikir.runtime import Runtime
from fikir.storage.opinion_tables import OpinionStatement, OpinionVote
from tests.harness import Conversation
from tests.test_opinion_dialog import _seed
from tests.test_polls_lifecycle import onboard


async def _statements(runtime: Runtime) -> list[OpinionStatement]:
    async with runtime.sessions() as session:
        return list((await session.exec(select(OpinionStatement))).all())


async def _votes(runtime: Runtime) -> list[tuple[int, int]]:
    async with runtime.sessions() as session:
        rows = (await session.exec(select(OpinionVote))).all()
        return sorted((row.statement_id, row.respondent_id) for row in rows)


async def _write(talk: Conversation, text: str) -> None:
    """Votes on the three statements of the round, then writes one's own."""
    for _ in range(3):
        await talk.send("1")
    await talk.send(text)


async def test_retention_deletes_old_participant_statements_with_their_votes(
    runtime: Runtime,
) -> None:
    old_author = await onboard(runtime, "sms", "+994505550201", "en", "baku")
    new_author = await onboard(runtime, "sms", "+994505550202", "en", "baku")
    voter = await onboard(runtime, "telegram", "tg-retention-1", "en", "baku")
    await _seed(runtime)
    await _write(old_author, "The library should open on Sundays for students too")
    await _write(new_author, "Young people need a quiet room to study in the evenings")
    seeds = {s.id for s in await _statements(runtime) if s.author_id is None}
    async with runtime.sessions() as session, session.begin():
        written = (
            await session.exec(select(OpinionStatement).where(OpinionStatement.status == "pending"))
        ).all()
        assert len(written) == 2
        for statement in written:
            assert statement.id is not None
            await moderate(session, statement.id, "approved")
            if "Sundays" in statement.texts:  # written long ago: past the retention months
                statement.created_at = datetime.now(UTC) - timedelta(days=800)
                session.add(statement)
        # Staff's seed statements are as old: they are not participants' free text.
        for seed in (await session.exec(select(OpinionStatement))).all():
            if seed.author_id is None:
                seed.created_at = datetime.now(UTC) - timedelta(days=800)
                session.add(seed)
    [old] = [s for s in await _statements(runtime) if "Sundays" in s.texts]
    [new] = [s for s in await _statements(runtime) if "quiet room" in s.texts]
    for statement in (old, new):  # the voter votes on both, and on every seed statement
        await voter.press(f"opinion:v:{statement.id}:1:d")
    for seed_id in seeds:
        await voter.press(f"opinion:v:{seed_id}:1:a")
    before = await _votes(runtime)
    assert sum(sid == old.id for sid, _ in before) == 1

    await retention_job(runtime, datetime.now(UTC))  # the scheduler's job, 24 months

    left = await _statements(runtime)
    assert old.id not in {s.id for s in left}  # the old participant's statement is gone
    assert new.id in {s.id for s in left}  # a recent one stays
    assert seeds <= {s.id for s in left}  # staff's seed statements stay
    after = await _votes(runtime)
    assert not any(sid == old.id for sid, _ in after)  # its votes went with it
    assert after == [vote for vote in before if vote[0] != old.id]
    assert all("Sundays" not in s.texts for s in left)
