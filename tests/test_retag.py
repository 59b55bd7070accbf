"""Re-tagging the store keeps people's own tags; corrections export as training data."""

from __future__ import annotations

import io
import json

from sqlmodel import select

from fikir.runtime import Runtime
from fikir.storage.models import AuditEvent, Feedback, FeedbackTag
from fikir.tagging.retag import export_corrections, retag_all
from tests.harness import Conversation


async def test_retag_all_and_export_corrections(runtime: Runtime) -> None:
    talk = Conversation(runtime.engine, channel="telegram", address="55")
    await talk.send("/start")
    await talk.press("lang:en")
    await talk.press("consent:yes")
    await talk.press("region:skip")
    await talk.press("age:skip")
    await talk.press("gender:skip")
    for text in (
        "Our village has had no clean drinking water for a week",
        "Teachers in the school ask parents for bribes before exams",
        "hello",
    ):
        await talk.send(text)
        await talk.send("/menu")
    async with runtime.sessions() as session, session.begin():
        first = (await session.exec(select(Feedback).order_by(Feedback.id))).first()
        assert first is not None and first.id is not None
        session.add(FeedbackTag(feedback_id=first.id, goal=3, source="staff"))
        session.add(FeedbackTag(feedback_id=first.id, goal=6, source="respondent"))
        # A stale automatic tag, as an older tagger might have left it.
        session.add(FeedbackTag(feedback_id=first.id, goal=15, score=0.2, source="auto"))

    seen: list[int] = []
    assert (
        await retag_all(runtime.sessions, runtime.services.tag, seen.append) == 3
    )  # "hello" is kept too, with no goal
    assert sum(seen) == 3
    async with runtime.sessions() as session:
        tags = (await session.exec(select(FeedbackTag))).all()
        audits = (await session.exec(select(AuditEvent.action))).all()
    by_source = {(t.feedback_id, t.source, t.goal) for t in tags}
    assert (first.id, "staff", 3) in by_source and (first.id, "respondent", 6) in by_source
    assert (first.id, "auto", 15) not in by_source, "stale automatic tags are replaced"
    assert "retag" in audits

    out = io.StringIO()
    assert await export_corrections(runtime.sessions, out) == 1
    line = json.loads(out.getvalue())
    assert line["source"] == "staff" and line["sdgs"] == [3]
    assert line["id"] == first.ref_code and line["lang"] == "en"
