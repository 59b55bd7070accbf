"""What the opinion map publishes: no group under k people, no figure from under k votes, and
nothing a hidden group voted recoverable from the figures shown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from sqlmodel import select

from fikir.opinion.report import Figures, OpinionMap, Vote, build_map, topic_map
from fikir.opinion.service import TopicSpec, create_topic
from fikir.opinion.synthetic import planted
from fikir.runtime import Runtime
from fikir.storage.models import Respondent
from fikir.storage.opinion_tables import OpinionVote
from tests.test_opinion_dialog import TOPIC

K = 5


def votes_of(matrix: np.ndarray, first_person: int = 1) -> list[Vote]:
    return [
        (first_person + i, 1 + j, int(matrix[i, j]))
        for i in range(matrix.shape[0])
        for j in range(matrix.shape[1])
        if not np.isnan(matrix[i, j])
    ]


def statements(n: int) -> dict[int, dict[str, str]]:
    return {1 + j: {"en": f"Statement {1 + j}"} for j in range(n)}


def every_figure(found: OpinionMap) -> list[Figures]:
    shown = [f for g in found.groups for f in g.agrees] + list(found.consensus)
    shown += [f for d in found.divided for f in d.by_group if f is not None]
    return shown


def test_groups_and_figures_are_published_only_from_k_people() -> None:
    data = planted((40, 25, 3), 20, seed=7)  # a planted group of three must never show
    found = build_map(votes_of(data.votes), statements(20), K)
    assert found.groups, "the two large groups are shown"
    assert all(g.people >= K for g in found.groups)
    assert sum(g.people for g in found.groups) <= 65 + 3
    assert all(f.votes >= K for f in every_figure(found))
    assert {g.people for g in found.groups} <= {40, 25, 41, 26, 42, 27, 43, 28}
    assert found.divided, "two opposed groups differ on some statements"
    for divided in found.divided:
        assert len(divided.by_group) == len(found.groups)


def test_a_figure_from_fewer_than_k_votes_is_not_shown() -> None:
    data = planted((30, 30), 12, missing=0.0, noise=0.0, passes=0.0, seed=3)
    votes = votes_of(data.votes)
    # Statement 99: only four people voted on it, all agreeing.
    votes += [(person, 99, 1) for person in (1, 2, 3, 4)]
    found = build_map(votes, statements(12) | {99: {"en": "Rare"}}, K)
    assert found.groups
    assert all(f.statement_id != 99 for f in every_figure(found))
    assert all(d.statement_id != 99 for d in found.divided)


def test_fewer_than_k_people_publish_nothing() -> None:
    votes = [(person, s, 1) for person in range(1, K) for s in (1, 2, 3)]
    found = build_map(votes, statements(3), K)
    assert found.empty and not every_figure(found) and not found.divided


def test_hidden_group_is_left_out_of_every_total() -> None:
    """The consensus figures count only members of published groups: adding a hidden group of
    three who all disagree changes no figure shown."""
    data = planted((30, 30), 12, missing=0.0, noise=0.0, passes=0.0, seed=11)
    data.votes[:, 0] = 1.0  # everyone agrees with statement 1: a consensus
    base = build_map(votes_of(data.votes), statements(12), K)
    dissent = np.full((3, 12), -1.0)
    dissent[:, 1:] = -data.votes[:3, 1:]  # three people unlike anyone else
    both = build_map(votes_of(data.votes) + votes_of(dissent, first_person=1000), statements(12), K)
    assert sorted(g.people for g in both.groups) == sorted(g.people for g in base.groups)
    assert [(f.statement_id, f.agree, f.votes) for f in both.consensus] == [
        (f.statement_id, f.agree, f.votes) for f in base.consensus
    ]
    assert any(f.statement_id == 1 for f in base.consensus)


async def test_the_stored_map_follows_changed_votes(runtime: Runtime) -> None:
    """The map is cached by the state of the votes: a changed vote (same count) is seen."""
    async with runtime.sessions() as session, session.begin():
        topic = await create_topic(session, TopicSpec.from_dict(TOPIC))
        people = []
        for number in range(12):
            person = Respondent(pseudonym=f"map-{number}".rjust(64, "0"), channel="telegram")
            session.add(person)
            people.append(person)
        await session.flush()
        for number, person in enumerate(people):
            for statement in (1, 2, 3, 4):
                vote = 1 if number < 6 or statement == 4 else -1
                session.add(
                    OpinionVote(statement_id=statement, respondent_id=person.id or 0, vote=vote)
                )
    async with runtime.sessions() as session:
        before = await topic_map(session, topic, K)
    assert sorted(g.people for g in before.groups) == [6, 6] and before.divided
    later = datetime.now(UTC) + timedelta(seconds=1)
    async with runtime.sessions() as session, session.begin():
        for row in (await session.exec(select(OpinionVote).where(OpinionVote.vote == -1))).all():
            row.vote, row.voted_at = 1, later
            session.add(row)
    async with runtime.sessions() as session:
        after = await topic_map(session, topic, K)
    assert not after.divided and {f.statement_id for f in after.consensus} == {1, 2, 3, 4}
