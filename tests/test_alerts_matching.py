"""What an alert counts, on both stores: people's messages on the goal and region asked for;
with any goal, messages the tagger found no goal in count for their region too; test traffic and
safety-flagged messages never count; staff's tags replace the tagger's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fikir.alerts.matching import hits, tally
from fikir.runtime import Runtime
from fikir.storage.models import Feedback, FeedbackTag
from fikir.storage.safety_tables import FeedbackSafety


async def _add(
    runtime: Runtime, at: datetime, region: str, tags: list[tuple[int, str]], **extra: object
) -> int:
    async with runtime.sessions() as session, session.begin():
        feedback = Feedback(
            ref_code=f"M{at.timestamp():.0f}{region[:3]}{len(tags)}{len(extra)}",
            text="x", channel=str(extra.get("channel", "telegram")), region=region, created_at=at,
        )  # fmt: skip
        session.add(feedback)
        await session.flush()
        for goal, source in tags:
            session.add(FeedbackTag(feedback_id=feedback.id or 0, goal=goal, source=source))
        if extra.get("flagged"):
            session.add(FeedbackSafety(feedback_id=feedback.id or 0, category="threat"))
        return feedback.id or 0


async def test_what_an_alert_counts(runtime: Runtime) -> None:
    t = datetime(2026, 12, 7, 9, tzinfo=UTC)
    tagged = await _add(runtime, t, "baku", [(4, "auto"), (6, "auto")])
    untagged = await _add(runtime, t + timedelta(seconds=1), "baku", [])
    await _add(runtime, t + timedelta(seconds=2), "baku", [(4, "auto")], channel="simulator")
    await _add(runtime, t + timedelta(seconds=3), "baku", [(4, "auto")], flagged=True)
    retagged = await _add(runtime, t + timedelta(seconds=4), "baku", [(4, "auto"), (8, "staff")])
    await _add(runtime, t + timedelta(seconds=5), "nakhchivan", [(4, "auto")])
    end = t + timedelta(minutes=1)
    async with runtime.sessions() as session:
        region_any_goal = await hits(session, t, end, None, "baku")
        goal4_baku = await hits(session, t, end, 4, "baku")
        goal4_any = await hits(session, t, end, 4, None)
        later = await hits(session, end, end + timedelta(minutes=1), None, "baku")
    assert {h.message for h in region_any_goal} == {tagged, untagged, retagged}
    assert tally(region_any_goal, 2).messages == 3  # a message with two goals counts once
    assert {h.message for h in goal4_baku} == {tagged}  # staff moved `retagged` to goal 8
    assert len(goal4_any) == 2 and later == []
    assert tally(goal4_baku, 2).people is None  # one person: under k, no figure
