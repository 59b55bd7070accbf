"""Store-wide tagging jobs: re-tag everything after the tagger improves; export corrections."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TextIO

from sqlalchemy import delete, func
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from fikir.storage.engine import SessionMaker
from fikir.storage.models import AuditEvent, Feedback, FeedbackTag

BATCH = 500
# Staff corrections outrank a respondent's own choice, which outranks the tagger.
# The tagger as the running service has it: (text, language) -> [(goal, score), ...].
Tag = Callable[[str, str | None], list[tuple[int, float]]]

SOURCE_RANK = {"staff": 0, "respondent": 1, "auto": 2}


async def count_taggable(sessions: SessionMaker) -> int:
    async with sessions() as session:
        return int(
            (
                await session.exec(
                    select(func.count())
                    .select_from(Feedback)
                    .where(col(Feedback.text).is_not(None))
                )
            ).one()
        )


async def retag_all(
    sessions: SessionMaker, tag: Tag, progress: Callable[[int], None] | None = None
) -> int:
    """Replace every automatic tag with the current tagger's; staff and respondent tags stay."""
    done = 0
    last_id = 0
    while True:
        async with sessions() as session, session.begin():
            rows = (
                await session.exec(
                    select(Feedback.id, Feedback.text, Feedback.language)
                    .where(col(Feedback.id) > last_id, col(Feedback.text).is_not(None))
                    .order_by(col(Feedback.id))
                    .limit(BATCH)
                )
            ).all()
            if not rows:
                return done
            ids = [row[0] for row in rows if row[0] is not None]
            await session.exec(
                delete(FeedbackTag).where(
                    col(FeedbackTag.feedback_id).in_(ids), col(FeedbackTag.source) == "auto"
                )
            )
            for feedback_id, text, language in rows:
                assert feedback_id is not None and text is not None  # noqa: S101
                for goal, score in tag(text, language):
                    session.add(
                        FeedbackTag(feedback_id=feedback_id, goal=goal, score=score, source="auto")
                    )
            session.add(
                AuditEvent(
                    action="retag",
                    object_type="feedback",
                    detail=f"{len(ids)} messages re-tagged by the command line",
                )
            )
            last_id = ids[-1]
        done += len(rows)
        if progress is not None:
            progress(len(rows))


async def export_corrections(sessions: SessionMaker, out: TextIO) -> int:
    """Messages whose goals a person set (staff or respondent), as tagger training data."""
    written = 0
    async with sessions() as session:
        rows = (
            await session.exec(  # type: ignore[call-overload]
                sa_select(
                    col(Feedback.ref_code),
                    col(Feedback.text),
                    col(Feedback.language),
                    col(FeedbackTag.goal),
                    col(FeedbackTag.source),
                )
                .join(FeedbackTag, col(FeedbackTag.feedback_id) == col(Feedback.id))
                .where(
                    col(FeedbackTag.source).in_(("staff", "respondent")),
                    col(Feedback.text).is_not(None),
                )
                .order_by(col(Feedback.id))
            )
        ).all()
    by_message: dict[str, dict[str, object]] = {}
    for ref, text, language, goal, source in rows:
        entry = by_message.setdefault(
            ref, {"id": ref, "text": text, "lang": language, "goals": {}, "source": source}
        )
        goals: dict[str, set[int]] = entry["goals"]  # type: ignore[assignment]
        goals.setdefault(source, set()).add(goal)
    for entry in by_message.values():
        goals = entry.pop("goals")  # type: ignore[assignment]
        best = min(goals, key=lambda source: SOURCE_RANK[source])
        entry["source"] = best
        entry["sdgs"] = sorted(goals[best])
        out.write(json.dumps(entry, ensure_ascii=False) + "\n")
        written += 1
    async with sessions() as session, session.begin():
        session.add(
            AuditEvent(
                action="export",
                object_type="corrections",
                detail=f"{written} corrected messages exported by the command line",
            )
        )
    return written
