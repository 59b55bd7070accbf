"""The building blocks every published figure is counted from, so that all publishers agree.

Which tags count (docs/digest-schema.md, "Goals"): a message's goals come from the
highest-ranked source that tagged it, staff, then the writer, then the automatic tagger. A staff
re-tag replaces the writer's and the tagger's goals (staff see them all when they re-tag, and
could not otherwise remove a wrong one); a writer's own choice replaces the tagger's guesses.

Whose profile counts: a person's answers describe all of their messages in the month, so each
person's region, age band and gender for a month are those of their latest message of that
month that carries any answer, and, when none does (an SMS writer's first message is stored
before the profile questions), the answers on their record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy import (
    CTE,
    ColumnElement,
    Integer,
    Select,
    Subquery,
    and_,
    case,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import aliased
from sqlmodel import col

from fikir.storage.models import Feedback, FeedbackTag, Respondent

SOURCE_RANK: Mapping[str, int] = {"staff": 3, "respondent": 2, "auto": 1}
PROFILE_FIELDS = ("region", "age_band", "gender")


class Tagged(Protocol):
    """A stored tag as far as the rule needs it."""

    @property
    def source(self) -> str: ...

    @property
    def goal(self) -> int: ...

    @property
    def score(self) -> float: ...


T = TypeVar("T", bound=Tagged)


def effective_of(tags: Iterable[T]) -> tuple[T, ...]:
    """The tags that count for one message (the rule above), best score first."""
    found = list(tags)
    if not found:
        return ()
    best = max(SOURCE_RANK.get(tag.source, 1) for tag in found)
    chosen: dict[int, T] = {}
    for tag in found:
        if SOURCE_RANK.get(tag.source, 1) == best:
            chosen.setdefault(tag.goal, tag)
    return tuple(sorted(chosen.values(), key=lambda tag: (-tag.score, tag.goal)))


def effective_tags() -> Select[Any]:
    """(feedback_id, goal, score), one row per message and goal that counts (the rule above).

    Only one source counts per message, and (feedback_id, goal, source) is unique, so (message,
    goal) is unique and messages can be counted with COUNT(*). Both tests are correlated
    lookups in the (feedback_id, goal, source) index, so a month costs what its own tags cost.
    """
    source, feedback_id = col(FeedbackTag.source), col(FeedbackTag.feedback_id)

    def has(*sources: str) -> ColumnElement[bool]:
        other = aliased(FeedbackTag)
        return (
            select(col(other.id))
            .where(col(other.feedback_id) == feedback_id, col(other.source).in_(sources))
            .exists()
        )

    chosen = ("staff", "respondent")
    return select(
        feedback_id.label("feedback_id"),
        col(FeedbackTag.goal).label("goal"),
        col(FeedbackTag.score).label("score"),
    ).where(
        or_(
            source == "staff",
            and_(source == "respondent", ~has("staff")),
            and_(source.not_in(chosen), ~has(*chosen)),
        )
    )


def goal_bits(where: ColumnElement[bool], person: Any) -> Subquery:
    """(person, bits) per message matching `where`: bit g set when goal g counts (0: untagged)."""
    tags = effective_tags().subquery("eff_bits")
    bit = literal(1, Integer).op("<<")(tags.c.goal)
    return (
        select(
            person.label("person"),
            func.coalesce(func.sum(bit), 0).label("bits"),
        )
        .select_from(Feedback)
        .outerjoin(tags, tags.c.feedback_id == col(Feedback.id))
        .where(where)
        .group_by(col(Feedback.id), person)
        .subquery("goal_bits")
    )


def mask(goals: Iterable[int]) -> int:
    return sum(1 << goal for goal in set(goals))


def residual_people(
    bits: Subquery, parents: Sequence[tuple[int | None, int]]
) -> Select[tuple[int, ...]]:
    """One row: for each (parent goals mask or None for every message, shown children mask),
    the distinct people of the parent's messages that none of the shown children cover."""
    columns = []
    for parent, shown in parents:
        uncovered = bits.c.bits.op("&")(shown) == 0
        condition = (
            uncovered if parent is None else and_(bits.c.bits.op("&")(parent) != 0, uncovered)
        )
        columns.append(func.count(func.distinct(bits.c.person)).filter(condition))
    return select(*columns)


def month_profiles(rows: Subquery | CTE) -> CTE:
    """(rid, messages, region, age_band, gender): each writer's profile for the month.

    `rows` are the month's messages with columns rid, fid and answered (1 when the message
    carries any profile answer: `answered()`). One row per person who wrote (erased writers,
    with no id, are left out: their messages keep their own snapshot). "Latest" is the highest
    message id, the order messages were stored in.
    """
    person = (
        select(
            rows.c.rid.label("rid"),
            func.count().label("messages"),
            func.max(case((rows.c.answered == 1, rows.c.fid))).label("pid"),
        )
        .where(rows.c.rid.is_not(None))
        .group_by(rows.c.rid)
        .subquery("person_month")
    )
    latest = aliased(Feedback)
    return (
        select(
            person.c.rid,
            person.c.messages,
            *(
                case(
                    (person.c.pid.is_not(None), getattr(latest, f)),
                    else_=getattr(Respondent, f),
                ).label(f)
                for f in PROFILE_FIELDS
            ),
        )
        .select_from(person)
        .outerjoin(latest, col(latest.id) == person.c.pid)
        .outerjoin(Respondent, col(Respondent.id) == person.c.rid)
        .cte("month_profile")
    )


def profiles_where(where: ColumnElement[bool], name: str) -> CTE:
    """Each writer's month profile (`month_profiles`) over the messages `where` selects."""
    rows = (
        select(
            col(Feedback.respondent_id).label("rid"),
            col(Feedback.id).label("fid"),
            answered().label("answered"),
        )
        .where(where)
        .subquery(name)
    )
    return month_profiles(rows)


def answered() -> ColumnElement[int]:
    """1 when a stored message carries any profile answer, else 0."""
    given = or_(*(getattr(Feedback, f).is_not(None) for f in PROFILE_FIELDS))
    return case((given, 1), else_=0)


def profile_of(profiles: Subquery | CTE, field: str) -> ColumnElement[Any]:
    """A message's `field` under its writer's month profile (its own snapshot once erased)."""
    return case((profiles.c.rid.is_not(None), profiles.c[field]), else_=getattr(Feedback, field))
