"""Turning a message into stored feedback: redacted first, then tagged, in the caller's transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.dialog.services import Services
from fikir.dialog.text import MAX_FEEDBACK_CHARS
from fikir.storage.bulk import table_of
from fikir.storage.models import Feedback, FeedbackTag, Respondent
from fikir.storage.safety_tables import FeedbackSafety, SafetyCase

FEEDBACK = table_of(Feedback)
FEEDBACK_TAG = table_of(FeedbackTag)
FEEDBACK_SAFETY = table_of(FeedbackSafety)
SAFETY_CASE = table_of(SafetyCase)
_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REF_LENGTH = 6


@dataclass(frozen=True)
class Recorded:
    """What the respondent is told: the reference, whether the text was shortened, and the
    kinds of personal details taken out of it ("name", "phone", …; one per placeholder)."""

    ref_code: str
    truncated: bool
    goals: tuple[int, ...] = ()
    safety: tuple[str, ...] = ()  # the safety categories found; () for an ordinary message
    removed: tuple[str, ...] = ()

    @property
    def display_code(self) -> str:
        return display_code(self.ref_code)


def display_code(ref_code: str) -> str:
    """How a reference is shown to people: ABC-DEF, easy to read out and type."""
    return f"{ref_code[:3]}-{ref_code[3:]}"


def new_ref_code() -> str:
    return "".join(secrets.choice(_REF_ALPHABET) for _ in range(REF_LENGTH))


@dataclass
class FeedbackWrites:
    """The feedback of one transaction, written together: one INSERT for the messages, one for
    their tags, and one query for free reference codes, however many messages the batch holds.

    Rows wait here until `flush`; anything that must see them in the database first (an
    erasure, a button carrying the message's id) flushes explicitly. The caller commits.
    """

    expected: int = 1
    _codes: list[str] = field(default_factory=list)
    _rows: list[dict[str, object]] = field(default_factory=list)
    _goals: dict[str, tuple[tuple[int, float], ...]] = field(default_factory=dict)
    _safety: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _ids: dict[str, int] = field(default_factory=dict)

    async def ref_code(self, session: AsyncSession) -> str:
        """A reference code no stored message has (one query for `expected` codes at a time)."""
        while not self._codes:
            candidates = {new_ref_code() for _ in range(self.expected + 2)}
            taken = set(
                (
                    await session.exec(
                        select(Feedback.ref_code).where(col(Feedback.ref_code).in_(candidates))
                    )
                ).all()
            )
            self._codes = list(candidates - taken)
        return self._codes.pop()

    def add(
        self,
        row: dict[str, object],
        goals: tuple[tuple[int, float], ...],
        safety: tuple[str, ...] = (),
    ) -> None:
        self._rows.append(row)
        self._goals[str(row["ref_code"])] = goals
        if safety:
            self._safety[str(row["ref_code"])] = safety

    async def id_of(self, session: AsyncSession, ref_code: str) -> int:
        await self.flush(session)
        return self._ids[ref_code]

    async def flush(self, session: AsyncSession) -> None:
        """Insert the waiting messages, their automatic tags, and the safety flags and queue
        entries of those a safety category was found in."""
        if not self._rows:
            return
        # Core statements on the tables: one INSERT … RETURNING for all rows (insertmanyvalues),
        # compiled once, without the ORM's per-row bookkeeping.
        inserted = await session.exec(
            insert(FEEDBACK).returning(FEEDBACK.c.id, FEEDBACK.c.ref_code), params=self._rows
        )
        created = {str(row["ref_code"]): row["created_at"] for row in self._rows}
        tags: list[dict[str, object]] = []
        flags: list[dict[str, object]] = []
        cases: list[dict[str, object]] = []
        for feedback_id, ref_code in inserted.all():
            self._ids[ref_code] = feedback_id
            categories = self._safety.pop(ref_code, ())
            flags.extend({"feedback_id": feedback_id, "category": c} for c in categories)
            if categories:
                cases.append(
                    {"feedback_id": feedback_id, "status": "new", "created_at": created[ref_code]}
                )
            tags.extend(
                {
                    "feedback_id": feedback_id,
                    "goal": goal,
                    "score": score,
                    "source": "auto",
                    "created_at": created[ref_code],
                }
                for goal, score in self._goals.pop(ref_code, ())
            )
        self._rows.clear()
        if tags:
            await session.exec(insert(FEEDBACK_TAG), params=tags)
        if flags:
            await session.exec(insert(FEEDBACK_SAFETY), params=flags)
            await session.exec(insert(SAFETY_CASE), params=cases)


async def record_feedback(
    services: Services,
    respondent: Respondent,
    text: str,
    now: datetime,
    writes: FeedbackWrites,
    session: AsyncSession,
) -> Recorded:
    """Redact, label the language, tag, look for safety categories, and queue the rows; raw text
    never leaves this function (only the categories found in it are kept)."""
    truncated = len(text) > MAX_FEEDBACK_CHARS
    text = text[:MAX_FEEDBACK_CHARS]
    redacted, removed = services.redact(text)
    language = services.detect(redacted) or respondent.language
    code = await writes.ref_code(session)
    goals = tuple(services.tag(redacted, language))
    safety = tuple(services.safety(text, language))
    writes.add(
        {
            "ref_code": code,
            "respondent_id": respondent.id,
            "text": redacted,
            "language": language,
            "channel": respondent.channel,
            "region": respondent.region,
            "age_band": respondent.age_band,
            "gender": respondent.gender,
            "redactions": len(removed),
            "created_at": now,
        },
        goals,
        safety,
    )
    return Recorded(
        ref_code=code,
        truncated=truncated,
        goals=tuple(goal for goal, _ in goals),
        safety=safety,
        removed=removed,
    )


async def record_topic(
    session: AsyncSession, respondent: Respondent, feedback_id: int, goal: int, now: datetime
) -> bool:
    """The respondent's own choice of topic, kept as a tag that outranks the automatic ones."""
    feedback = await session.get(Feedback, feedback_id)
    if feedback is None or feedback.respondent_id != respondent.id or not 1 <= goal <= 17:
        return False
    exists = (
        await session.exec(
            select(FeedbackTag.id).where(
                FeedbackTag.feedback_id == feedback_id,
                FeedbackTag.source == "respondent",
                FeedbackTag.goal == goal,
            )
        )
    ).first()
    if exists is None:
        session.add(
            FeedbackTag(
                feedback_id=feedback_id, goal=goal, score=1.0, source="respondent", created_at=now
            )
        )
    return True
